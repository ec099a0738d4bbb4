/**
 * Service calls (scheduled visits), the tickets they cover and the technicians sent. The chain is
 * ServiceCalls -> ServiceCallTickets (created through ServiceCalls/{id}/Tickets) ->
 * ServiceCallTicketResources (through ServiceCallTickets/{id}/Resources).
 *
 * The original declared every one of these tools twice with different argument names (`id` /
 * `serviceCallId` …); both spellings are accepted, and an "either of" rule is checked at call time.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { compact, f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, id, instant, num, picklist, searchTerm, text , ticketId } from "./args.ts";
import { createTool, deleteTool, itemOutput, notFound, pickId, searchTool, updateTool } from "./crud.ts";
import { defineTool, ToolError, type Tool } from "./define.ts";
import { present, presentOne } from "./format.ts";
import { defaultValue } from "./picklists.ts";

const CALLS = "ServiceCalls";
const CALL_TICKETS = "ServiceCallTickets";
const CALL_RESOURCES = "ServiceCallTicketResources";
const CALL_ID = "Service call ID (from autotask_search_service_calls)";
const CALL_TICKET_ID = "Service call ticket link ID (the `id` from autotask_search_service_call_tickets — not the ticket's own id)";
const CALL_RESOURCE_ID = "Assignment ID (the `id` from autotask_search_service_call_ticket_resources)";
const BOTH = "(`id` and the longer name are the same argument; pass either)";

/** Two optional spellings of one id argument. */
const aliases = (names: readonly [string, string], description: string) =>
  Object.fromEntries(names.map((name) => [name, id(description).optional()])) as Record<string, z.ZodOptional<ReturnType<typeof id>>>;

/** A single-id builder tool (idArg = names[0]) that also accepts the second spelling. */
function withIdAlias(tool: Tool, names: readonly [string, string], description: string): Tool {
  return {
    ...tool,
    input: tool.input.extend(aliases(names, description)),
    requireOneOf: [[...names]],
    run(input, ctx) {
      const args = input as Record<string, unknown>;
      const recordId = pickId(args, names);
      const { [names[1]]: _alias, ...rest } = args;
      return tool.run({ ...rest, [names[0]]: recordId }, ctx);
    },
  };
}

const isComplete = (complete: boolean | undefined) => (complete === undefined ? undefined : complete ? 1 : 0);

function checkTimes(start: string | undefined, end: string | undefined): void {
  if (start && end && Date.parse(end) <= Date.parse(start)) throw new ToolError(`endDateTime (${end}) must be after startDateTime (${start}).`);
}

/** Fields a service call shares between create and update, with the original's argument names. */
const callFields = {
  description: text("What the visit is for").optional(),
  startDateTime: instant("When the visit starts").optional(),
  endDateTime: instant("When the visit ends").optional(),
  status: picklist("Status value (autotask_list_picklist ServiceCalls status)").optional(),
  duration: num("Duration in hours (on create, computed from start and end when not given)").optional(),
  complete: bool("Mark the service call complete (true) or not complete (false)").optional(),
};

type CallArgs = { description?: string; startDateTime?: string; endDateTime?: string; status?: number; duration?: number; complete?: boolean };

function callBody({ complete, ...fields }: CallArgs): Record<string, unknown> {
  checkTimes(fields.startDateTime, fields.endDateTime);
  return { ...fields, isComplete: isComplete(complete) };
}

/** The tickets a service call covers, each with the technicians assigned to it. */
async function callTickets(ctx: ToolContext, serviceCallId: number) {
  const { items: links } = await ctx.client.queryAll<Row>(CALL_TICKETS, { filter: [f.eq("serviceCallID", serviceCallId)] }, 100);
  if (links.length === 0) return [];
  const [tickets, { items: assignments }] = await Promise.all([
    present(ctx, CALL_TICKETS, links),
    ctx.client.queryAll<Row>(CALL_RESOURCES, { filter: [f.in("serviceCallTicketID", links.map((link) => link.id))] }, 500),
  ]);
  const resources = await present(ctx, CALL_RESOURCES, assignments);
  return tickets.map((ticket) => ({
    serviceCallTicketId: ticket.id,
    ticketID: ticket.ticketID,
    ticketName: ticket.ticketName,
    resources: resources
      .filter((resource) => resource.serviceCallTicketID === ticket.id)
      .map((resource) => ({ id: resource.id, resourceID: resource.resourceID, resourceName: resource.resourceName })),
  }));
}

const createAssignment = createTool({
  name: "autotask_create_service_call_ticket_resource",
  title: "Assign technician to service call ticket",
  description:
    "Sends a technician (resource) on a service call for one of its tickets. serviceCallTicketID is the link id from autotask_search_service_call_tickets (or autotask_create_service_call_ticket), not the ticket id. roleID is optional: Autotask's assignment record has no role field, so it is only checked against the resource's roles and not stored.",
  toolset: "service_calls",
  category: "service_calls",
  entity: CALL_RESOURCES,
  parentArg: "serviceCallTicketID",
  args: {
    serviceCallTicketID: id(CALL_TICKET_ID),
    resourceID: id("Technician to send", "from autotask_search_resources"),
    roleID: id("Role the technician works in (checked, not stored: the assignment has no role field)").optional(),
  },
  async build(args, ctx) {
    if (args.roleID !== undefined) {
      const { items } = await ctx.client.query<Row>("ResourceRoles", { filter: [f.eq("resourceID", args.resourceID), f.eq("isActive", true)], maxRecords: 100 });
      if (!items.some((row) => row.roleID === args.roleID)) {
        const roles = await present(ctx, "ResourceRoles", items);
        const choices = roles.map((role) => `${role.roleID} ${role.roleName ?? ""}`.trim()).join(", ");
        throw new ToolError(`Resource ${args.resourceID} does not work in role ${args.roleID}. Its active roles: ${choices || "none"}. Leave roleID out or pass one of these.`);
      }
    }
    return { resourceID: args.resourceID };
  },
});

export const serviceCallTools: Tool[] = [
  searchTool({
    name: "autotask_search_service_calls",
    title: "Search service calls",
    description:
      "Finds service calls (scheduled visits) with their company, status label, start/end time, duration and completion. Filters combine with AND; startAfter/startDate and startBefore/endDate both filter on the start time (the two spellings of the original). Oldest first, 25 per page. For the tickets and technicians of one call use autotask_get_service_call.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALLS,
    args: {
      searchTerm: searchTerm("the description").optional(),
      status: picklist("Only this status value (autotask_list_picklist ServiceCalls status)").optional(),
      companyId: id("Only service calls for this company", "from autotask_search_companies").optional(),
      startAfter: instant("Only calls starting at or after this time").optional(),
      startBefore: instant("Only calls starting before this time").optional(),
      startDate: instant("Same as startAfter: only calls starting at or after this time").optional(),
      endDate: instant("Same as startBefore: only calls starting before this time").optional(),
      complete: bool("true: only completed calls; false: only calls not completed").optional(),
    },
    filters: (args) =>
      compact([
        args.searchTerm && f.contains("description", args.searchTerm),
        args.status !== undefined && f.eq("status", args.status),
        args.companyId !== undefined && f.eq("companyID", args.companyId),
        args.startAfter && f.gte("startDateTime", args.startAfter),
        args.startDate && f.gte("startDateTime", args.startDate),
        args.startBefore && f.lt("startDateTime", args.startBefore),
        args.endDate && f.lt("startDateTime", args.endDate),
        args.complete === true && f.eq("isComplete", 1),
        args.complete === false && f.or(f.eq("isComplete", 0), f.notExist("isComplete")),
      ]),
  }),

  defineTool({
    name: "autotask_get_service_call",
    title: "Get service call",
    description: `One service call in full (company, location, status label, times, duration, completion) plus the tickets it covers, each with the technicians assigned (serviceCallTicketId is the link id the ticket-resource tools need). Pass id or serviceCallId ${BOTH}.`,
    toolset: "service_calls",
    category: "service_calls",
    input: z.object(aliases(["id", "serviceCallId"], CALL_ID)),
    requireOneOf: [["id", "serviceCallId"]],
    output: itemOutput,
    annotations: { readOnly: true },
    async run(args, ctx) {
      const callId = pickId(args, ["id", "serviceCallId"]);
      const row = await ctx.client.get<Row>(CALLS, callId);
      if (!row) throw notFound("ServiceCall", callId);
      const [item, tickets] = await Promise.all([presentOne(ctx, CALLS, row), callTickets(ctx, callId)]);
      return { entity: CALLS, item: { ...item, tickets } };
    },
  }),

  createTool({
    name: "autotask_create_service_call",
    title: "Create service call",
    description:
      "Schedules a service call (a visit) for a company. Autotask requires companyID (from autotask_search_companies) even though older clients did not ask for it. status defaults to the tenant's default; duration is computed from start and end when not given; complete defaults to false (complete: true records a visit that already happened). Link tickets afterwards with autotask_create_service_call_ticket.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALLS,
    args: {
      ...callFields,
      description: text("What the visit is for"),
      startDateTime: instant("When the visit starts"),
      endDateTime: instant("When the visit ends"),
      status: picklist("Status value (autotask_list_picklist ServiceCalls status); default the tenant's default").optional(),
      companyID: id("Company visited (required by Autotask)", "from autotask_search_companies").optional(),
      companyLocationID: id("Company location visited", "from the company's locations").optional(),
    },
    async build({ companyID, companyLocationID, ...args }, ctx) {
      if (companyID === undefined) {
        throw new ToolError("companyID is required: Autotask needs the company the service call is for. Find it with autotask_search_companies and pass companyID. Nothing was created.");
      }
      return {
        ...callBody(args),
        isComplete: isComplete(args.complete ?? false),
        companyID,
        companyLocationID,
        status: args.status ?? (await defaultValue(ctx, CALLS, "status")),
      };
    },
  }),

  withIdAlias(
    updateTool({
      name: "autotask_update_service_call",
      title: "Update service call",
      description: `Changes only the given fields of a service call: description, times, status, duration, or complete (true/false). Pass id or serviceCallId ${BOTH}.`,
      toolset: "service_calls",
      category: "service_calls",
      entity: CALLS,
      idArg: "id",
      idDescription: CALL_ID,
      args: callFields,
      build: (args) => callBody(args),
    }),
    ["id", "serviceCallId"],
    CALL_ID,
  ),

  deleteTool({
    name: "autotask_delete_service_call",
    title: "Delete service call",
    description: `Permanently deletes a service call; its ticket links and technician assignments go with it (the tickets themselves stay). Needs confirm: true. Pass id or serviceCallId ${BOTH}.`,
    toolset: "service_calls",
    category: "service_calls",
    entity: CALLS,
    idArgs: ["id", "serviceCallId"],
    idDescription: CALL_ID,
  }),

  searchTool({
    name: "autotask_search_service_call_tickets",
    title: "List service call tickets",
    description:
      "Lists links between service calls and tickets, with the ticket's number and title (ticketName) and the call's description (serviceCallName). Filter by serviceCallId for a call's tickets, or ticketId for the calls a ticket is on. The `id` of each row is the link id the technician tools need.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_TICKETS,
    args: {
      serviceCallId: id("Only links of this service call", "from autotask_search_service_calls").optional(),
      ticketId: ticketId("Only links of this ticket").optional(),
    },
    filters: (args) => compact([args.serviceCallId !== undefined && f.eq("serviceCallID", args.serviceCallId), args.ticketId !== undefined && f.eq("ticketID", args.ticketId)]),
  }),

  createTool({
    name: "autotask_create_service_call_ticket",
    title: "Add ticket to service call",
    description:
      "Links a ticket to a service call (through the call's Tickets URL), so the visit covers it. Returns the link; its id is what autotask_create_service_call_ticket_resource needs to send a technician. A ticket can be on a call only once.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_TICKETS,
    parentArg: "serviceCallID",
    args: {
      serviceCallID: id("Service call", "from autotask_search_service_calls"),
      ticketID: ticketId("Ticket to add"),
    },
    build: (args) => ({ ticketID: args.ticketID }),
  }),

  deleteTool({
    name: "autotask_delete_service_call_ticket",
    title: "Remove ticket from service call",
    description: `Unlinks a ticket from a service call (the ticket itself stays); the technicians assigned for that ticket on the call are removed too. Needs confirm: true. Pass id or serviceCallTicketId ${BOTH} — the link id, not the ticket id.`,
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_TICKETS,
    idArgs: ["id", "serviceCallTicketId"],
    idDescription: CALL_TICKET_ID,
  }),

  searchTool({
    name: "autotask_search_service_call_ticket_resources",
    title: "List service call technicians",
    description:
      "Lists technicians (resources) assigned to service call tickets, with their names. Filter by serviceCallTicketId (the link id from autotask_search_service_call_tickets) or resourceId for one technician's visits. autotask_get_service_call shows a whole call's technicians at once.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_RESOURCES,
    args: {
      serviceCallTicketId: id("Only assignments on this service call ticket link", "from autotask_search_service_call_tickets").optional(),
      resourceId: id("Only assignments of this technician", "from autotask_search_resources").optional(),
    },
    filters: (args) =>
      compact([args.serviceCallTicketId !== undefined && f.eq("serviceCallTicketID", args.serviceCallTicketId), args.resourceId !== undefined && f.eq("resourceID", args.resourceId)]),
  }),

  {
    ...createAssignment,
    async run(input, ctx) {
      const output = (await createAssignment.run(input, ctx)) as { message: string };
      const roleId = (input as { roleID?: number }).roleID;
      return roleId === undefined
        ? output
        : { ...output, message: `${output.message}. roleID ${roleId} was checked but not stored: Autotask's service call ticket resources have no role field.` };
    },
  } satisfies Tool,

  deleteTool({
    name: "autotask_delete_service_call_ticket_resource",
    title: "Unassign technician from service call ticket",
    description: `Removes a technician's assignment from a service call ticket (the technician and ticket stay). Needs confirm: true. Pass id or serviceCallTicketResourceId ${BOTH}.`,
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_RESOURCES,
    idArgs: ["id", "serviceCallTicketResourceId"],
    idDescription: CALL_RESOURCE_ID,
  }),
];
