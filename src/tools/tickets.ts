/** Tickets: search, details, create, update. Notes, charges, checklists and attachments have their own files. */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { compact, f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { VIEWS } from "../ui/catalog.ts";
import { bool, id, instant, num, picklist, searchTerm, text, TICKET_NUMBER, udfs } from "./args.ts";
import { checklistItems } from "./checklists.ts";
import { createTool, getTool, notFound, searchTool, updateTool } from "./crud.ts";
import { ToolError } from "./define.ts";
import { present } from "./format.ts";
import { namedRole, roleForResource } from "./lookups.ts";
import { newestFirst } from "./paging.ts";
import { activeValues, defaultValue, picklistOf } from "./picklists.ts";

/** Ticket fields that may be set on create and update, with the original's argument names. */
const ticketFields = {
  description: text().optional(),
  status: picklist().optional(),
  priority: picklist().optional(),
  assignedResourceID: id().optional(),
  assignedResourceRoleID: id().optional(),
  assignedResourceRoleName: text("Role by name").optional(),
  contactID: id().optional(),
  queueID: picklist().optional(),
  ticketCategory: picklist().optional(),
  ticketType: picklist().optional(),
  issueType: picklist().optional(),
  subIssueType: picklist("Must belong to issueType").optional(),
  source: picklist().optional(),
  billingCodeID: id().optional(),
  serviceLevelAgreementID: picklist().optional(),
  estimatedHours: num().optional(),
  projectID: id().optional(),
  ticketAdditionalContacts: z.array(id()).optional().describe("Not supported yet: refused"),
  resolution: text().optional(),
  userDefinedFields: udfs().optional(),
  dueDateTime: instant().optional(),
};

/**
 * Arguments -> ticket body. Autotask requires a role with an assigned resource (the original
 * failed here): the resource's default role fills it when not given. A role named
 * (assignedResourceRoleName) is looked up among the resource's roles — the one given, or on an
 * update the ticket's current primary resource.
 */
async function ticketBody(args: Record<string, unknown>, ctx: ToolContext, ticketID?: number): Promise<Record<string, unknown>> {
  const { ticketAdditionalContacts, assignedResourceRoleName, ...body } = args;
  if (Array.isArray(ticketAdditionalContacts) && ticketAdditionalContacts.length) {
    throw new ToolError("ticketAdditionalContacts is not supported by this server yet: leave it out and add the contacts in Autotask. Nothing was saved.");
  }
  if (typeof assignedResourceRoleName === "string") {
    const resourceID = typeof body.assignedResourceID === "number" ? body.assignedResourceID : await primaryResourceOf(ctx, ticketID);
    const names = { id: "assignedResourceRoleID", name: "assignedResourceRoleName" };
    body.assignedResourceRoleID = await namedRole(ctx, resourceID, body.assignedResourceRoleID as number | undefined, assignedResourceRoleName, names);
  }
  if (typeof body.assignedResourceID === "number" && body.assignedResourceRoleID === undefined) {
    body.assignedResourceRoleID = await roleForResource(ctx, body.assignedResourceID);
  }
  return body;
}

/** The ticket's primary resource, for a role named without assignedResourceID. */
async function primaryResourceOf(ctx: ToolContext, ticketID: number | undefined): Promise<number> {
  const ticket = ticketID === undefined ? undefined : await ctx.client.get<Row>("Tickets", ticketID);
  if (ticketID !== undefined && !ticket) throw notFound("Ticket", ticketID);
  if (typeof ticket?.assignedResourceID !== "number") {
    throw new ToolError(`assignedResourceRoleName needs assignedResourceID: ${ticket ? `ticket ${ticketID} has no primary resource` : "the role belongs to the resource assigned"}. Pass assignedResourceID too. Nothing was saved.`);
  }
  return ticket.assignedResourceID;
}

/** The tenant's "Complete" status (5 on a stock tenant) — what "open" excludes. */
export async function completeStatus(ctx: ToolContext): Promise<number> {
  const values = activeValues(await picklistOf(ctx, "Tickets", "status"));
  const complete = values.find((value) => /^complete[d]?$/i.test(value.label.trim()));
  return complete ? Number(complete.value) : 5;
}

/** How many notes and time entries fullDetails lists: the latest. */
const LISTED = 50;
/** Time entries read to total the hours; past this the answer says the total is partial. */
const HOURS_CAP = 500;

/**
 * What fullDetails adds to a ticket: its latest notes (newest first) and time entries (latest
 * dateWorked first), how many of each there are, the hours of every time entry (up to 500; past
 * that, totalHoursNote says the total is partial) and the checklist in checklist order. The ticket
 * card view (src/ui) shows these.
 */
async function fullDetails(ctx: ToolContext, ticketID: number): Promise<Record<string, unknown>> {
  const byTicket = [f.eq("ticketID", ticketID)];
  const [notes, time, checklist] = await Promise.all([
    newestFirst(ctx, "TicketNotes", byTicket, ["id", "title", "description", "noteType", "publish", "createDateTime", "creatorResourceID"], 0, LISTED),
    ctx.client.queryAll<Row>("TimeEntries", { filter: byTicket, includeFields: ["id", "dateWorked", "resourceID", "hoursWorked", "summaryNotes", "isNonBillable"] }, HOURS_CAP),
    checklistItems(ctx, ticketID, ["id", "itemName", "isCompleted", "position"]),
  ]);
  const hours = time.items.reduce((sum, entry) => sum + (Number(entry.hoursWorked) || 0), 0);
  const latest = [...time.items].sort((a, b) => String(b.dateWorked).localeCompare(String(a.dateWorked)) || b.id - a.id).slice(0, LISTED);
  const timeEntryCount = time.truncated ? await ctx.client.count("TimeEntries", byTicket) : time.items.length;
  return {
    notes: await present(ctx, "TicketNotes", notes.items),
    noteCount: notes.total,
    timeEntries: await present(ctx, "TimeEntries", latest),
    timeEntryCount,
    totalHoursWorked: Math.round(hours * 100) / 100,
    ...(time.truncated
      ? { totalHoursNote: `totalHoursWorked sums the first ${HOURS_CAP} of ${timeEntryCount} time entries (by id): for the rest, autotask_search_time_entries with ticketID ${ticketID}.` }
      : {}),
    checklist: await present(ctx, "TicketChecklistItems", checklist),
  };
}

/** A ticket number names one ticket: it is matched exactly, whatever the ticket's status. */
const isTicketNumber = (term: string | undefined) => term !== undefined && TICKET_NUMBER.test(term.trim());

function termFilter(term: string): Filter {
  const trimmed = term.trim();
  if (isTicketNumber(trimmed)) return f.eq("ticketNumber", trimmed.toUpperCase());
  return f.or(f.contains("title", trimmed), f.beginsWith("ticketNumber", trimmed));
}

export const ticketTools = [
  searchTool({
    name: "autotask_search_tickets",
    title: "Search tickets",
    description:
      "Finds tickets: only open ones (not Complete) unless status or includeCompleted is given, or searchTerm is a ticket number.",
    toolset: "tickets",
    untrusted: true,
    category: "tickets",
    entity: "Tickets",
    ui: VIEWS["queue-board"].uri,
    notes: true,
    args: {
      searchTerm: searchTerm("Or a ticket number").optional(),
      companyID: id().optional(),
      status: picklist().optional(),
      assignedResourceID: id().optional(),
      unassigned: bool("No primary resource").optional(),
      createdAfter: instant().optional(),
      createdBefore: instant("Exclusive").optional(),
      lastActivityAfter: instant().optional(),
      priority: picklist().optional(),
      queueID: picklist().optional(),
      contactID: id().optional(),
      includeCompleted: bool().optional(),
    },
    async filters(args, ctx) {
      // The default "open only" narrows a search, not a lookup: a ticket named by its number is
      // found whatever its status, and the answer says the default was lifted.
      const defaultOpenOnly = args.status === undefined && !args.includeCompleted;
      const named = isTicketNumber(args.searchTerm);
      const openOnly = defaultOpenOnly && !named;
      const filter = compact([
        args.searchTerm && termFilter(args.searchTerm),
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.status !== undefined && f.eq("status", args.status),
        openOnly && f.noteq("status", await completeStatus(ctx)),
        args.assignedResourceID !== undefined && f.eq("assignedResourceID", args.assignedResourceID),
        args.unassigned && f.notExist("assignedResourceID"),
        args.createdAfter && f.gte("createDate", args.createdAfter),
        args.createdBefore && f.lt("createDate", args.createdBefore),
        args.lastActivityAfter && f.gte("lastActivityDate", args.lastActivityAfter),
        args.priority !== undefined && f.eq("priority", args.priority),
        args.queueID !== undefined && f.eq("queueID", args.queueID),
        args.contactID !== undefined && f.eq("contactID", args.contactID),
      ]);
      return defaultOpenOnly && named
        ? { filter, note: `Searched by ticket number, so Complete tickets were included (the default "open tickets only" does not apply to a ticket named by its number).` }
        : filter;
    },
  }),

  getTool({
    name: "autotask_get_ticket_details",
    title: "Get ticket details",
    description:
      "One ticket; fullDetails: true adds its latest notes, time entries (with total hours) and checklist.",
    toolset: "tickets",
    untrusted: true,
    category: "tickets",
    entity: "Tickets",
    ui: VIEWS["ticket-card"].uri,
    idArg: "ticketID",
    args: { fullDetails: bool().optional() },
    async shape(item, args, ctx) {
      return args.fullDetails ? { ...item, ...(await fullDetails(ctx, args.ticketID as number)) } : item;
    },
  }),

  createTool({
    name: "autotask_create_ticket",
    title: "Create ticket",
    description:
      "Creates a ticket for a company; status and priority default to the tenant's (usually New, Medium).",
    toolset: "tickets",
    category: "tickets",
    entity: "Tickets",
    ui: VIEWS["ticket-card"].uri,
    args: {
      companyID: id(),
      title: text(255),
      ...ticketFields,
      description: text("What is wrong, in the requester's words"),
    },
    async build(args, ctx) {
      const body = await ticketBody(args, ctx);
      body.status ??= await defaultValue(ctx, "Tickets", "status");
      body.priority ??= await defaultValue(ctx, "Tickets", "priority");
      return body;
    },
  }),

  updateTool({
    name: "autotask_update_ticket",
    title: "Update ticket",
    description:
      "Changes a ticket: status (Complete closes it), priority, assignment, queue, due date, resolution …",
    toolset: "tickets",
    category: "tickets",
    entity: "Tickets",
    ui: VIEWS["ticket-card"].uri,
    idArg: "ticketID",
    args: {
      title: text(255).optional(),
      companyID: id("Moves the ticket").optional(),
      ...ticketFields,
    },
    build: (args, ctx, ticketID) => ticketBody(args, ctx, ticketID),
  }),
];
