/**
 * Turning what people and models write into what Autotask stores, before a tool runs:
 *
 * - a picklist label (`status: "In Progress"`) into the tenant's value (8), from the tenant's own
 *   field metadata (cached per tenant). An unknown label is refused with the closest labels and
 *   the full list, so a model can correct itself in one step.
 * - a ticket number (`ticketID: "T20250103.0009"`) into the ticket's id (one query, any status).
 *
 * Which arguments are picklists or ticket ids is declared by their argument builders (args.ts);
 * the entity is the tool's own unless the argument names another.
 */
import type { PicklistValue, Row } from "../autotask/client.ts";
import { findEntity, findField } from "../autotask/entities.ts";
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { nearest } from "../fuzzy.ts";
import { argRef } from "./args.ts";
import { ToolError, type Tool } from "./define.ts";
import { listValues, picklistOf } from "./picklists.ts";

const isNumber = (value: string) => /^-?\d+$/.test(value);

/** The arguments with labels and ticket numbers replaced by stored values (a new object). */
export async function resolveArguments(tool: Tool, args: Record<string, unknown>, ctx: ToolContext): Promise<Record<string, unknown>> {
  const shape = tool.input.shape as Record<string, import("zod").ZodType>;
  const out = { ...args };
  for (const [name, schema] of Object.entries(shape)) {
    const value = args[name];
    if (typeof value !== "string") continue;
    const ref = argRef(schema);
    if (ref?.kind === "ticket") out[name] = await ticketIdOf(ctx, name, value);
    else if (ref?.kind === "picklist") {
      const entity = ref.entity ?? tool.entity;
      if (!entity) throw new Error(`${tool.name}.${name} is a picklist argument without an entity`);
      out[name] = await picklistValue(ctx, entity, ref.field ?? name, name, value);
    }
  }
  return out;
}

/** The picklist field an argument stands for (entity table spelling), or undefined. */
export function picklistFieldOf(tool: Tool, name: string): { entity: string; field: string } | undefined {
  const ref = argRef((tool.input.shape as Record<string, import("zod").ZodType>)[name]!);
  if (ref?.kind !== "picklist") return undefined;
  const def = findEntity(ref.entity ?? tool.entity ?? "");
  const field = def && findField(def, ref.field ?? name);
  return def && field?.picklist ? { entity: def.name, field: field.name } : undefined;
}

async function ticketIdOf(ctx: ToolContext, argName: string, ticketNumber: string): Promise<number> {
  const number = ticketNumber.trim().toUpperCase();
  // No status filter: a ticket named by its number is found whether it is open or complete.
  const { items } = await ctx.client.query<Row>("Tickets", { filter: [f.eq("ticketNumber", number)], includeFields: ["id"], maxRecords: 1 });
  const found = items[0]?.id;
  if (found === undefined) throw new ToolError(`${argName}: no ticket has the number ${number} (or the API user cannot see it). Search with autotask_search_tickets.`);
  return found;
}

/**
 * A label's value: exact (case-insensitive) label match, active values first. A number written as
 * text (`"8"`) is the value itself. Anything else is an error listing what is allowed.
 */
async function picklistValue(ctx: ToolContext, entity: string, field: string, argName: string, given: string): Promise<number | string> {
  const text = given.trim();
  if (isNumber(text)) return Number(text);
  const values = await picklistOf(ctx, entity, field);
  if (values.length === 0) {
    throw new ToolError(`${argName}: ${JSON.stringify(given)} is not a value of ${entity}.${field}, which has no picklist on this tenant; pass the value as a number.`);
  }
  const lower = text.toLowerCase();
  const matches = values.filter((value) => value.label.trim().toLowerCase() === lower || value.value.toLowerCase() === lower);
  const match = matches.find((value) => value.isActive !== false) ?? matches[0];
  if (match) return asStored(match);
  throw new ToolError(`${argName}: ${JSON.stringify(given)} is not a ${field} label on this tenant.${closeLabels(values, text)} Allowed: ${listValues(values)}.`);
}

function asStored(value: PicklistValue): number | string {
  return isNumber(value.value) ? Number(value.value) : value.value;
}

/** " Did you mean: 8 In Progress?" — labels containing the text, or one a typo away. */
function closeLabels(values: PicklistValue[], text: string): string {
  const lower = text.toLowerCase();
  const active = values.filter((value) => value.isActive !== false);
  const containing = active.filter((value) => value.label.toLowerCase().includes(lower) || lower.includes(value.label.toLowerCase()));
  const typo = nearest(text, active.map((value) => value.label));
  const close = [...new Set([...containing, ...active.filter((value) => value.label === typo)])].slice(0, 5);
  return close.length ? ` Did you mean: ${close.map((value) => `${value.value} ${value.label}`).join(", ")}?` : "";
}
