/**
 * Resources (the MSP's own staff) and the ticket picklists an engineer needs before creating or
 * filtering tickets — queues, statuses, priorities — read from the tenant's own field metadata
 * (cached per tenant), never from constants.
 */
import { z } from "zod";
import type { PicklistValue, Row } from "../autotask/client.ts";
import { compact, f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, picklist, searchTerm } from "./args.ts";
import { getTool, searchTool } from "./crud.ts";
import { defineTool, ToolError, type Tool } from "./define.ts";
import { present } from "./format.ts";
import { RESOURCE_NAME, personFilter } from "./people.ts";
import { asValue, picklistOf } from "./picklists.ts";

const isNumeric = (value: string) => typeof asValue(value) === "number";

/**
 * The original took resourceType as a number, but tenants may store it as text. A number that is a
 * value of the tenant's list is used as is; where the values are text, the number is the 1-based
 * position in the tenant's list (in its sort order). Anything else is refused with the choices.
 */
async function resourceTypeValue(ctx: ToolContext, given: number): Promise<string | number> {
  const values = [...(await picklistOf(ctx, "Resources", "resourceType"))].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
  if (values.length === 0) return given;
  const exact = values.find((value) => value.value === String(given));
  if (exact) return asValue(exact.value);
  const textual = values.every((value) => !isNumeric(value.value));
  if (textual && Number.isInteger(given) && given >= 1 && given <= values.length) return values[given - 1]!.value;
  const choices = textual ? values.map((value, index) => `${index + 1} = ${value.label}`) : values.map((value) => `${value.value} = ${value.label}`);
  throw new ToolError(`resourceType ${given} is not a resource type on this tenant. Allowed: ${choices.join(", ")}.`);
}

// ---------------------------------------------------------------------------------------------

const picklistOutput = z.object({
  entity: z.string(),
  field: z.string(),
  count: z.number(),
  values: z.array(
    z.object({
      value: z.union([z.number(), z.string()]),
      label: z.string(),
      isDefault: z.boolean(),
      isActive: z.boolean(),
    }),
  ),
  hint: z.string(),
});

function present_(values: PicklistValue[]) {
  return [...values]
    .sort((a, b) => Number(b.isActive !== false) - Number(a.isActive !== false) || (a.sortOrder ?? 0) - (b.sortOrder ?? 0))
    .map((value) => ({
      value: asValue(value.value),
      label: value.label,
      isDefault: Boolean(value.isDefaultValue),
      isActive: value.isActive !== false,
    }));
}

function ticketPicklistTool(spec: { name: string; title: string; field: string; noun: string; usedBy?: string }): Tool {
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: `The tenant's ticket ${spec.noun} (${spec.field}): value, label, default, active (inactive ones cannot be set).${spec.usedBy ? ` ${spec.usedBy}` : ""}`,
    toolset: "tickets",
    category: "utility",
    input: z.object({}),
    output: picklistOutput,
    annotations: { readOnly: true },
    async run(_args, ctx) {
      const values = present_(await picklistOf(ctx, "Tickets", spec.field));
      const fallback = values.find((value) => value.isDefault && value.isActive);
      return {
        entity: "Tickets",
        field: spec.field,
        count: values.length,
        values,
        hint: values.length
          ? `Pass the value as ${spec.field}.${fallback ? ` The tenant's default is ${fallback.value} (${fallback.label}).` : ""}`
          : `This tenant defines no values for Tickets.${spec.field}.`,
      };
    },
  });
}

export const resourceTools: Tool[] = [
  searchTool({
    name: "autotask_search_resources",
    title: "Search resources",
    description:
      "Finds resources (the MSP's technicians and staff) by name, email or user name: the source of every …ResourceID.",
    toolset: "resources",
    category: "resources",
    entity: "Resources",
    args: {
      searchTerm: searchTerm("A name in any order, email or user name").optional(),
      isActive: bool().optional(),
      resourceType: picklist("For text values, also their position (1 = first)").optional(),
    },
    async filters(args, ctx) {
      return compact([
        args.searchTerm && personFilter(args.searchTerm, RESOURCE_NAME),
        args.isActive !== undefined && f.eq("isActive", args.isActive),
        args.resourceType !== undefined && f.eq("resourceType", await resourceTypeValue(ctx, args.resourceType)),
      ]);
    },
  }),

  getTool({
    name: "autotask_get_resource",
    title: "Get resource",
    description:
      "One resource (staff user) in full, with `roles`: the roles it works in, which every …RoleID must be one of.",
    toolset: "resources",
    category: "resources",
    entity: "Resources",
    idArg: "resourceID",
    async shape(item, args, ctx) {
      const { items } = await ctx.client.queryAll<Row>("ResourceRoles", { filter: [f.eq("resourceID", args.resourceID as number)] }, 100);
      const roles = (await present(ctx, "ResourceRoles", items)).map(({ resourceID: _id, resourceName: _name, ...role }) => role);
      return { ...item, roles };
    },
  }),

  ticketPicklistTool({
    name: "autotask_list_queues",
    title: "List ticket queues",
    field: "queueID",
    noun: "queues",
  }),
  ticketPicklistTool({
    name: "autotask_list_ticket_statuses",
    title: "List ticket statuses",
    field: "status",
    noun: "statuses",
    usedBy: "Complete closes a ticket.",
  }),
  ticketPicklistTool({
    name: "autotask_list_ticket_priorities",
    title: "List ticket priorities",
    field: "priority",
    noun: "priorities",
  }),
];
