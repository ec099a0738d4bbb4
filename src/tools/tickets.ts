/** Tickets: search, details, create, update. Notes, charges, checklists and attachments have their own files. */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { compact, f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { VIEWS } from "../ui/catalog.ts";
import { bool, id, instant, num, picklist, searchTerm, text, TICKET_NUMBER, udfs } from "./args.ts";
import { createTool, getTool, searchTool, updateTool } from "./crud.ts";
import { ToolError } from "./define.ts";
import { present } from "./format.ts";
import { roleForResource } from "./lookups.ts";
import { activeValues, defaultValue, picklistOf } from "./picklists.ts";

const COMPANY = "Company ID (from autotask_search_companies)";
const RESOURCE = "Resource ID (from autotask_search_resources)";

/** Ticket fields that may be set on create and update, with the original's argument names. */
const ticketFields = {
  description: text("Ticket description").optional(),
  status: picklist("Status value (autotask_list_ticket_statuses)").optional(),
  priority: picklist("Priority value (autotask_list_ticket_priorities)").optional(),
  assignedResourceID: id("Primary resource", "from autotask_search_resources").optional(),
  assignedResourceRoleID: id("Role of the primary resource; defaults to the resource's default service desk role").optional(),
  contactID: id("Contact ID", "from autotask_search_contacts").optional(),
  queueID: picklist("Queue value (autotask_list_queues)").optional(),
  ticketCategory: picklist("Ticket category value (autotask_list_picklist Tickets ticketCategory)").optional(),
  ticketType: picklist("Ticket type value (autotask_list_picklist Tickets ticketType)").optional(),
  issueType: picklist("Issue type value (autotask_list_picklist Tickets issueType)").optional(),
  subIssueType: picklist("Sub-issue type value; must belong to the issue type").optional(),
  source: picklist("Source value (autotask_list_picklist Tickets source)").optional(),
  billingCodeID: id("Work type / billing code ID").optional(),
  serviceLevelAgreementID: picklist("Service level agreement value").optional(),
  estimatedHours: num("Estimated hours").optional(),
  projectID: id("Project ID", "from autotask_search_projects").optional(),
  ticketAdditionalContacts: z.array(id("Contact ID")).optional().describe("Additional contact IDs (not supported by this server: reported back, not saved)"),
  resolution: text("Resolution text").optional(),
  userDefinedFields: udfs().optional(),
  dueDateTime: instant("Due date").optional(),
};

/**
 * Arguments -> ticket body. Autotask requires a role with an assigned resource (the original
 * failed here): the resource's default role fills it when not given.
 */
async function ticketBody(args: Record<string, unknown>, ctx: ToolContext): Promise<Record<string, unknown>> {
  const { ticketAdditionalContacts, ...body } = args;
  if (Array.isArray(ticketAdditionalContacts) && ticketAdditionalContacts.length) {
    throw new ToolError("ticketAdditionalContacts is not supported by this server yet: leave it out and add the contacts in Autotask. Nothing was saved.");
  }
  if (typeof body.assignedResourceID === "number" && body.assignedResourceRoleID === undefined) {
    body.assignedResourceRoleID = await roleForResource(ctx, body.assignedResourceID);
  }
  return body;
}

/** The tenant's "Complete" status (5 on a stock tenant) — what "open" excludes. */
async function completeStatus(ctx: ToolContext): Promise<number> {
  const values = activeValues(await picklistOf(ctx, "Tickets", "status"));
  const complete = values.find((value) => /^complete[d]?$/i.test(value.label.trim()));
  return complete ? Number(complete.value) : 5;
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
      "Finds tickets, oldest first (Autotask's order). Without `status` only open tickets (not Complete) are returned; pass `status` or includeCompleted: true for others. Filters combine with AND. Use createdAfter / lastActivityAfter for recent work, autotask_count for totals, autotask_get_ticket_details for one ticket.",
    toolset: "tickets",
    category: "tickets",
    entity: "Tickets",
    ui: VIEWS["queue-board"].uri,
    args: {
      searchTerm: searchTerm("title, or a ticket number like T20240201.0001").optional(),
      companyID: id("Only tickets of this company", COMPANY).optional(),
      status: picklist("Only this status value (autotask_list_ticket_statuses)").optional(),
      assignedResourceID: id("Only tickets assigned to this resource", RESOURCE).optional(),
      unassigned: bool("Only tickets without a primary resource").optional(),
      createdAfter: instant("Created on or after").optional(),
      createdBefore: instant("Created before").optional(),
      lastActivityAfter: instant("Last activity on or after").optional(),
      priority: picklist("Only this priority value (autotask_list_ticket_priorities)").optional(),
      queueID: picklist("Only this queue (autotask_list_queues)").optional(),
      contactID: id("Only tickets of this contact", "from autotask_search_contacts").optional(),
      includeCompleted: bool("Also return Complete tickets when no status is given (default false)").optional(),
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
      "One ticket with every field that has a value, names next to ids and labels next to picklist values. fullDetails: true adds its latest notes, time entries and checklist. The id comes from autotask_search_tickets (the numeric id, not the T-number).",
    toolset: "tickets",
    category: "tickets",
    entity: "Tickets",
    ui: VIEWS["ticket-card"].uri,
    idArg: "ticketID",
    idDescription: "Ticket ID (numeric; from autotask_search_tickets)",
    args: { fullDetails: bool("Also include the latest notes, time entries and checklist items").optional() },
    async shape(item, args, ctx) {
      if (!args.fullDetails) return item;
      const ticketId = args.ticketID as number;
      const related = async (entityName: string, field: string, fields?: string[]) => {
        const { items } = await ctx.client.queryAll<Row>(entityName, { filter: [f.eq(field, ticketId)], includeFields: fields }, 50);
        return present(ctx, entityName, items);
      };
      const [notes, timeEntries, checklist] = await Promise.all([
        related("TicketNotes", "ticketID", ["id", "title", "description", "noteType", "publish", "createDateTime", "creatorResourceID"]),
        related("TimeEntries", "ticketID", ["id", "dateWorked", "resourceID", "hoursWorked", "summaryNotes", "isNonBillable"]),
        related("TicketChecklistItems", "ticketID", ["id", "itemName", "isCompleted", "position"]),
      ]);
      const hours = timeEntries.reduce((sum, entry) => sum + (Number(entry.hoursWorked) || 0), 0);
      return { ...item, notes, timeEntries, totalHoursWorked: Math.round(hours * 100) / 100, checklist };
    },
  }),

  createTool({
    name: "autotask_create_ticket",
    title: "Create ticket",
    description:
      "Creates a ticket for a company. status and priority default to the tenant's defaults (usually New / Medium). With assignedResourceID and no assignedResourceRoleID the resource's default role is used. Picklist values (status, priority, queue …) are checked against the tenant before sending. Returns the new ticket with its T-number.",
    toolset: "tickets",
    category: "tickets",
    entity: "Tickets",
    ui: VIEWS["ticket-card"].uri,
    args: {
      companyID: id("Company the ticket is for", COMPANY),
      title: text("Short summary", 255),
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
      "Changes only the given fields of a ticket (status, priority, assignment, queue, due date, resolution …). Assigning a resource without a role uses the resource's default role. To close a ticket set status to the tenant's Complete value (autotask_list_ticket_statuses).",
    toolset: "tickets",
    category: "tickets",
    entity: "Tickets",
    ui: VIEWS["ticket-card"].uri,
    idArg: "ticketId",
    idDescription: "Ticket ID (numeric; from autotask_search_tickets)",
    args: {
      title: text("Short summary", 255).optional(),
      companyID: id("Move the ticket to this company", COMPANY).optional(),
      ...ticketFields,
    },
    build: ticketBody,
  }),
];
