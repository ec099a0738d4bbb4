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

function ticketPicklistTool(spec: { name: string; title: string; field: string; noun: string; usedBy: string }): Tool {
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: `The tenant's ticket ${spec.noun}: value (what ${spec.field} takes), label, whether it is the default, whether it is active (inactive ones are listed last and cannot be set). ${spec.usedBy} Read from the tenant's field metadata, cached for 15 minutes.`,
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
      'Finds resources (the MSP\'s technicians and other staff users) by name, email or user name; "Ada Lovelace" matches first + last name. Returns id, name, email, title, type, active flag and default role. Use it to get a resourceID for assigning tickets, time entries or owners; autotask_get_resource adds the resource\'s roles.',
    toolset: "resources",
    category: "resources",
    entity: "Resources",
    args: {
      searchTerm: searchTerm('first name, last name, "first last", email or user name').optional(),
      isActive: bool("true: only active resources; false: only inactive ones; omit for both").optional(),
      resourceType: picklist(
        "Only this resource type: the tenant's resourceType value, or where those values are text, its position in the tenant's list (1 = first; autotask_list_picklist Resources resourceType)",
      ).optional(),
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
      "One resource (staff user) in full — contact details, type, license, default service desk role — plus `roles`: every role the resource works in with its department and queue names. Roles are what a ticket's assignedResourceRoleID or a time entry's roleID must be one of.",
    toolset: "resources",
    category: "resources",
    entity: "Resources",
    idArg: "resourceId",
    idDescription: "Resource ID (from autotask_search_resources)",
    async shape(item, args, ctx) {
      const { items } = await ctx.client.queryAll<Row>("ResourceRoles", { filter: [f.eq("resourceID", args.resourceId as number)] }, 100);
      const roles = (await present(ctx, "ResourceRoles", items)).map(({ resourceID: _id, resourceName: _name, ...role }) => role);
      return { ...item, roles };
    },
  }),

  ticketPicklistTool({
    name: "autotask_list_queues",
    title: "List ticket queues",
    field: "queueID",
    noun: "queues",
    usedBy: "Use a value as queueID in autotask_create_ticket, autotask_update_ticket and autotask_search_tickets.",
  }),
  ticketPicklistTool({
    name: "autotask_list_ticket_statuses",
    title: "List ticket statuses",
    field: "status",
    noun: "statuses",
    usedBy: "Use a value as status in autotask_create_ticket, autotask_update_ticket and autotask_search_tickets; a ticket is closed by setting the tenant's completed status.",
  }),
  ticketPicklistTool({
    name: "autotask_list_ticket_priorities",
    title: "List ticket priorities",
    field: "priority",
    noun: "priorities",
    usedBy: "Use a value as priority in autotask_create_ticket, autotask_update_ticket and autotask_search_tickets.",
  }),
];
