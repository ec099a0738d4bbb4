/**
 * Service calls (scheduled visits), the tickets they cover and the technicians sent. The chain is
 * ServiceCalls -> ServiceCallTickets (created through ServiceCalls/{id}/Tickets) ->
 * ServiceCallTicketResources (through ServiceCallTickets/{id}/Resources).
 *
 * The original declared every one of these tools twice with different argument names (`id` /
 * `serviceCallID` …); both spellings are accepted, and an "either of" rule is checked at call time.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { compact, f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, id, instant, num, picklist, searchTerm, text, ticketId } from "./args.ts";
import { aliases, createTool, deleteTool, itemOutput, notFound, pickId, searchTool, updateTool, withIdAlias } from "./crud.ts";
import { checkOrder } from "./dates.ts";
import { defineTool, ToolError, type Tool } from "./define.ts";
import { present, presentOne } from "./format.ts";
import { activeRoles, roleChoices } from "./lookups.ts";
import { defaultValue } from "./picklists.ts";

const CALLS = "ServiceCalls";
const CALL_TICKETS = "ServiceCallTickets";
const CALL_RESOURCES = "ServiceCallTicketResources";
/** The link between a call and a ticket is a record of its own: its id is not the ticket's. */
const LINK_ID = "Link id (autotask_search_service_call_tickets), not a ticket id";

const isComplete = (complete: boolean | undefined) => (complete === undefined ? undefined : complete ? 1 : 0);

/** Fields a service call shares between create and update, with the original's argument names. */
const callFields = {
  description: text("What the visit is for").optional(),
  startDateTime: instant().optional(),
  endDateTime: instant().optional(),
  status: picklist().optional(),
  duration: num("Hours").optional(),
  complete: bool().optional(),
};

type CallArgs = { description?: string; startDateTime?: string; endDateTime?: string; status?: number; duration?: number; complete?: boolean };

function callBody({ complete, ...fields }: CallArgs): Record<string, unknown> {
  checkOrder("startDateTime", fields.startDateTime, "endDateTime", fields.endDateTime, { strictly: true });
  return { ...fields, isComplete: isComplete(complete) };
}

/** The tickets a service call covers, each with the technicians assigned to it. */
async function callTickets(ctx: ToolContext, serviceCallID: number) {
  const { items: links } = await ctx.client.queryAll<Row>(CALL_TICKETS, { filter: [f.eq("serviceCallID", serviceCallID)] }, 100);
  if (links.length === 0) return [];
  const [tickets, { items: assignments }] = await Promise.all([
    present(ctx, CALL_TICKETS, links),
    ctx.client.queryAll<Row>(CALL_RESOURCES, { filter: [f.in("serviceCallTicketID", links.map((link) => link.id))] }, 500),
  ]);
  const resources = await present(ctx, CALL_RESOURCES, assignments);
  return tickets.map((ticket) => ({
    serviceCallTicketID: ticket.id,
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
    "Sends a technician (resource) on a service call for one of its tickets.",
  toolset: "service_calls",
  category: "service_calls",
  entity: CALL_RESOURCES,
  parentArg: "serviceCallTicketID",
  args: {
    serviceCallTicketID: id(LINK_ID),
    resourceID: id(),
    roleID: id("Checked, not stored (Autotask has no such field)").optional(),
  },
  async build(args, ctx) {
    if (args.roleID !== undefined) {
      const roleIds = await activeRoles(ctx, args.resourceID);
      if (!roleIds.includes(args.roleID)) {
        throw new ToolError(`Resource ${args.resourceID} does not work in role ${args.roleID}. Its active roles: ${await roleChoices(ctx, roleIds)}. Leave roleID out or pass one of these.`);
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
      "Finds service calls (scheduled visits). startDate and endDate are older spellings of startAfter and startBefore.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALLS,
    args: {
      searchTerm: searchTerm("Part of the description").optional(),
      status: picklist().optional(),
      companyID: id().optional(),
      startAfter: instant().optional(),
      startBefore: instant("Exclusive").optional(),
      startDate: instant().optional(),
      endDate: instant("Exclusive").optional(),
      complete: bool("true: completed calls; false: open ones").optional(),
    },
    filters: (args) =>
      compact([
        args.searchTerm && f.contains("description", args.searchTerm),
        args.status !== undefined && f.eq("status", args.status),
        args.companyID !== undefined && f.eq("companyID", args.companyID),
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
    description: "One service call with its tickets and their technicians (serviceCallTicketID: the link id the technician tools take).",
    toolset: "service_calls",
    category: "service_calls",
    input: z.object(aliases(["id", "serviceCallID"])),
    requireOneOf: [["id", "serviceCallID"]],
    output: itemOutput,
    annotations: { readOnly: true },
    async run(args, ctx) {
      const callId = pickId(args, ["id", "serviceCallID"]);
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
      "Schedules a service call (a visit); Autotask requires companyID. complete: true records a past visit.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALLS,
    args: {
      ...callFields,
      description: text("What the visit is for"),
      startDateTime: instant(),
      endDateTime: instant(),
      companyID: id().optional(),
      companyLocationID: id("From autotask_get_company with includeRelated").optional(),
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
      description: "Changes a service call's description, times, status, duration or complete flag.",
      toolset: "service_calls",
      category: "service_calls",
      entity: CALLS,
      idArg: "id",
      args: callFields,
      build: (args) => callBody(args),
    }),
    ["id", "serviceCallID"],
  ),

  deleteTool({
    name: "autotask_delete_service_call",
    title: "Delete service call",
    description: "Deletes a service call with its ticket links and technician assignments; the tickets stay.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALLS,
    idArgs: ["id", "serviceCallID"],
  }),

  searchTool({
    name: "autotask_search_service_call_tickets",
    title: "List service call tickets",
    description:
      "The links between service calls and tickets. Each row's id is the link id the technician tools take.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_TICKETS,
    args: {
      serviceCallID: id().optional(),
      ticketID: ticketId().optional(),
    },
    filters: (args) => compact([args.serviceCallID !== undefined && f.eq("serviceCallID", args.serviceCallID), args.ticketID !== undefined && f.eq("ticketID", args.ticketID)]),
  }),

  createTool({
    name: "autotask_create_service_call_ticket",
    title: "Add ticket to service call",
    description:
      "Adds a ticket to a service call (once per call); the link's id is what a technician is sent on.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_TICKETS,
    parentArg: "serviceCallID",
    args: {
      serviceCallID: id(),
      ticketID: ticketId(),
    },
    build: (args) => ({ ticketID: args.ticketID }),
  }),

  deleteTool({
    name: "autotask_delete_service_call_ticket",
    title: "Remove ticket from service call",
    description: "Removes a ticket and its technicians from a service call; serviceCallTicketID is the link id.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_TICKETS,
    idArgs: ["id", "serviceCallTicketID"],
  }),

  searchTool({
    name: "autotask_search_service_call_ticket_resources",
    title: "List service call technicians",
    description:
      "Technicians (resources) sent on service call tickets, per link or per technician.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_RESOURCES,
    args: {
      serviceCallTicketID: id(LINK_ID).optional(),
      resourceID: id().optional(),
    },
    filters: (args) =>
      compact([args.serviceCallTicketID !== undefined && f.eq("serviceCallTicketID", args.serviceCallTicketID), args.resourceID !== undefined && f.eq("resourceID", args.resourceID)]),
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
    description: "Removes a technician's assignment from a service call ticket. Needs confirm: true.",
    toolset: "service_calls",
    category: "service_calls",
    entity: CALL_RESOURCES,
    idArgs: ["id", "serviceCallTicketResourceID"],
  }),
];
