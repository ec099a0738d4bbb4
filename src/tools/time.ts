/**
 * Time entries: log time on a ticket, a project task or as regular (internal) time; search with
 * hour totals; correct and delete entries. Who worked defaults to the acting person's resource and the
 * role to that resource's default role, because Autotask needs both and the original failed there.
 * Hours and start/end times must agree: a missing end is computed, a contradiction is refused.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { compact, f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { VIEWS } from "../ui/catalog.ts";
import { bool, day, DEFAULT_PAGE_SIZE, id, instant, num, page, pageSize, text, ticketId } from "./args.ts";
import { onOrAfter, onOrBefore } from "./dates.ts";
import { createTool, definedOnly, deleteTool, notFound, writeOutput } from "./crud.ts";
import { defineTool, ToolError, type Tool } from "./define.ts";
import { presentOne } from "./format.ts";
import { loadParent, roleOnParent } from "./assignment.ts";
import { actingResourceId, namedRole, resourceByName, roleForResource } from "./lookups.ts";
import { listOutput, searchPage } from "./paging.ts";
import { activeValues, checkBody, picklistOf } from "./picklists.ts";

const HOUR_MS = 3_600_000;
const TICKET = "numeric id from autotask_search_tickets";
const TASK = "from autotask_search_tasks";
const RESOURCE = "from autotask_search_resources";

const round2 = (value: number) => Math.round(value * 100) / 100;
const numberOf = (value: unknown) => (typeof value === "number" ? value : undefined);
const isoPlusHours = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR_MS).toISOString();
const spanHours = (start: string, end: string) => (Date.parse(end) - Date.parse(start)) / HOUR_MS;

function checkHours(hours: number): void {
  if (!(hours > 0 && hours <= 24)) throw new ToolError(`hoursWorked must be more than 0 and at most 24 (got ${hours}).`);
}

/** Start/end consistent with the hours: computes a missing end (or start), refuses a contradiction. */
function timesFor(hours: number, start?: string, end?: string): { startDateTime?: string; endDateTime?: string } {
  if (start && end) {
    const span = spanHours(start, end);
    if (span <= 0) throw new ToolError("endDateTime must be after startDateTime.");
    if (Math.abs(span - hours) > 1 / 60) {
      throw new ToolError(
        `hoursWorked (${hours}) disagrees with startDateTime → endDateTime, which span ${round2(span)} hours. Fix one of them, or pass only startDateTime and the end is computed.`,
      );
    }
    return { startDateTime: start, endDateTime: end };
  }
  if (start) return { startDateTime: start, endDateTime: isoPlusHours(start, hours) };
  if (end) return { startDateTime: isoPlusHours(end, -hours), endDateTime: end };
  return {};
}

// ---------------------------------------------------------------------------------------------
// What the time was for: a ticket, a task, or regular (internal) time named by `category`.

type CodeUse = "work" | "internal";

/** The tenant's BillingCodes.useType values for work types or internal (regular) time, by label. */
async function useTypes(ctx: ToolContext, use: CodeUse): Promise<number[]> {
  const pattern = use === "internal" ? /internal/i : /work ?type|labou?r/i;
  return activeValues(await picklistOf(ctx, "BillingCodes", "useType"))
    .filter((value) => pattern.test(value.label))
    .map((value) => Number(value.value));
}

/** The tenant's billing codes of one use, inactive ones included (an exact name may name one). */
async function allBillingCodes(ctx: ToolContext, use: CodeUse): Promise<Row[]> {
  const uses = await useTypes(ctx, use);
  const filter = compact([uses.length > 0 && f.in("useType", uses)]);
  return (await ctx.client.queryAll<Row>("BillingCodes", { filter, includeFields: ["id", "name", "useType", "isActive"] }, 500)).items;
}

async function billingCodes(ctx: ToolContext, use: CodeUse): Promise<Row[]> {
  return (await allBillingCodes(ctx, use)).filter((row) => row.isActive !== false);
}

const codeList = (rows: Row[]) => rows.map((row) => `"${String(row.name)}" (${row.id})`).join(", ");

/**
 * A billing code by name: exact (case-insensitive) first, else the one active name containing it.
 * An exact name of an inactive code is reported as inactive, not as unknown.
 */
async function billingCodeByName(ctx: ToolContext, name: string, use: CodeUse): Promise<number> {
  const all = await allBillingCodes(ctx, use);
  const codes = all.filter((row) => row.isActive !== false);
  const wanted = name.trim().toLowerCase();
  const exact = codes.filter((row) => String(row.name).toLowerCase() === wanted);
  const matches = exact.length > 0 ? exact : codes.filter((row) => String(row.name).toLowerCase().includes(wanted));
  if (matches.length === 1) return matches[0]!.id;
  const kind = use === "internal" ? "regular-time categories (internal billing codes)" : "work types (billing codes)";
  const inactive = all.find((row) => row.isActive === false && String(row.name).toLowerCase() === wanted);
  if (matches.length === 0 && inactive) throw new ToolError(`category "${name}" is an inactive billing code (${inactive.id}) and cannot be used. Active ${kind}: ${codeList(codes)}.`);
  if (matches.length === 0) throw new ToolError(`category "${name}" is not one of the tenant's active ${kind}. Choose one of: ${codeList(codes) || "none found"}.`);
  throw new ToolError(`category "${name}" matches several ${kind}: ${codeList(matches)}. Pass the full name.`);
}

interface Target {
  ticketID?: number;
  taskID?: number;
  billingCodeID?: number;
  internalBillingCodeID?: number;
}

interface TargetArgs {
  ticketID?: number;
  taskID?: number;
  projectID?: number;
  category?: string;
  billingCodeID?: number;
}

async function targetOf(ctx: ToolContext, args: TargetArgs): Promise<Target> {
  if (args.ticketID && args.taskID) throw new ToolError("Pass ticketID or taskID, not both: a time entry belongs to one ticket or one project task.");
  if (args.category && args.billingCodeID) throw new ToolError("Pass category (a work type name) or billingCodeID, not both.");
  if (args.ticketID && args.projectID) {
    const ticket = await ctx.client.get<Row>("Tickets", args.ticketID);
    if (!ticket) throw notFound("Ticket", args.ticketID);
    if (ticket.projectID !== args.projectID) throw new ToolError(`Ticket ${args.ticketID} does not belong to project ${args.projectID}. Leave out projectID, or pass the right ticket.`);
  }
  if (args.taskID && args.projectID) {
    const task = await ctx.client.get<Row>("Tasks", args.taskID);
    if (!task) throw notFound("Task", args.taskID);
    if (task.projectID !== args.projectID) throw new ToolError(`Task ${args.taskID} belongs to project ${String(task.projectID)}, not ${args.projectID}.`);
  }
  if (!args.ticketID && !args.taskID && args.projectID) {
    const { items } = await ctx.client.query<Row>("Tasks", { filter: [f.eq("projectID", args.projectID)], includeFields: ["id", "title"], maxRecords: 25 });
    const tasks = items.map((task) => `${task.id} "${String(task.title)}"`).join(", ");
    throw new ToolError(
      `Time on a project is logged against one of its tasks: pass taskID too. ${tasks ? `Tasks of project ${args.projectID}: ${tasks}.` : `Project ${args.projectID} has no tasks (or does not exist); find tasks with autotask_search_tasks.`}`,
    );
  }
  if (args.ticketID || args.taskID) {
    const billingCodeID = args.billingCodeID ?? (args.category ? await billingCodeByName(ctx, args.category, "work") : undefined);
    return { ticketID: args.ticketID, taskID: args.taskID, billingCodeID };
  }
  if (args.billingCodeID) throw new ToolError("billingCodeID (a work type) needs a ticketID or taskID; for regular (internal) time pass category instead.");
  if (!args.category) {
    const internal = await billingCodes(ctx, "internal");
    throw new ToolError(
      `Say what the time was for: ticketID (${TICKET}), taskID (${TASK}), or category for regular (internal) time${internal.length ? ` — one of: ${codeList(internal)}` : ""}.`,
    );
  }
  return { internalBillingCodeID: await billingCodeByName(ctx, args.category, "internal") };
}

async function resourceOf(ctx: ToolContext, resourceID?: number, resourceName?: string): Promise<number> {
  if (resourceName) {
    const found = await resourceByName(ctx, resourceName);
    if (resourceID && resourceID !== found) throw new ToolError(`resourceID ${resourceID} and resourceName "${resourceName}" (resource ${found}) name different people; pass one of them.`);
    return found;
  }
  if (resourceID) return resourceID;
  const self = await actingResourceId(ctx);
  if (!self) throw new ToolError(`Cannot tell which resource the API user is: pass resourceID (${RESOURCE}) or resourceName.`);
  return self;
}

// ---------------------------------------------------------------------------------------------
// Search

const timeListOutput = listOutput.extend({
  /** Sum of hoursWorked of this page's rows. */
  totalHours: z.number(),
  totalHoursAllPages: z.number().optional().describe("Left out past 1000 matches"),
});

const ALL_PAGES_CAP = 1000;

/** Filter for "time on this project": its tasks' and tickets' entries (entries have no projectID). */
async function projectFilter(ctx: ToolContext, projectID: number): Promise<Filter | null> {
  const ids = async (entityName: string) => {
    const { items, truncated } = await ctx.client.queryAll<Row>(entityName, { filter: [f.eq("projectID", projectID)], includeFields: ["id"] }, 500);
    if (truncated) throw new ToolError(`Project ${projectID} has more than 500 ${entityName.toLowerCase()}: filter by taskID or ticketID instead.`);
    return items.map((row) => row.id);
  };
  const [taskIds, ticketIds] = await Promise.all([ids("Tasks"), ids("Tickets")]);
  const parts = compact([taskIds.length > 0 && f.in("taskID", taskIds), ticketIds.length > 0 && f.in("ticketID", ticketIds)]);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : f.or(...parts);
}

const searchTimeEntries = defineTool({
  name: "autotask_search_time_entries",
  title: "Search time entries",
  description:
    "Finds time entries (timesheets, time on a ticket, unapproved time) with hour totals (page, and all matches ≤ 1000). projectID covers its tasks and tickets.",
  toolset: "time",
  category: "time_and_billing",
  entity: "TimeEntries",
  ui: VIEWS["time-sheet"].uri,
  // The all-matches total reads up to 1,000 rows, a project up to 500 tasks and 500 tickets first.
  fanOut: true,
  input: z.object({
    resourceID: id().optional(),
    ticketID: ticketId().optional(),
    projectID: id().optional(),
    taskID: id().optional(),
    approvalStatus: z.enum(["unapproved", "approved", "all"]).describe("unapproved: not approved or posted; default all").optional(),
    billable: bool("false: only non-billable").optional(),
    dateWorkedAfter: day().optional(),
    dateWorkedBefore: day().optional(),
    page: page().optional(),
    pageSize: pageSize().optional(),
  }),
  output: timeListOutput,
  annotations: { readOnly: true },
  async run(args, ctx) {
    const pageNumber = args.page ?? 1;
    const size = args.pageSize ?? DEFAULT_PAGE_SIZE;
    const project = args.projectID ? await projectFilter(ctx, args.projectID) : undefined;
    if (project === null) {
      return {
        entity: "TimeEntries",
        items: [],
        page: { page: pageNumber, pageSize: size, returned: 0, hasMore: false, total: 0 },
        hint: `Project ${args.projectID} has no tasks or tickets (or does not exist), so no time is logged on it.`,
        totalHours: 0,
        totalHoursAllPages: 0,
      };
    }
    const filter = compact([
      args.resourceID !== undefined && f.eq("resourceID", args.resourceID),
      args.ticketID !== undefined && f.eq("ticketID", args.ticketID),
      args.taskID !== undefined && f.eq("taskID", args.taskID),
      project,
      args.approvalStatus === "approved" && f.exist("billingApprovalDateTime"),
      args.approvalStatus === "unapproved" && f.notExist("billingApprovalDateTime"),
      args.billable === true && f.eq("isNonBillable", false),
      args.billable === false && f.eq("isNonBillable", true),
      args.dateWorkedAfter && onOrAfter("dateWorked", args.dateWorkedAfter),
      args.dateWorkedBefore && onOrBefore("dateWorked", args.dateWorkedBefore),
    ]);
    const result = await searchPage(ctx, { tool: "autotask_search_time_entries", entity: "TimeEntries", filter, page: pageNumber, pageSize: size });
    const totalHours = round2(result.items.reduce((sum, row) => sum + (Number(row.hoursWorked) || 0), 0));
    let totalHoursAllPages: number | undefined;
    if (pageNumber === 1 && !result.page.hasMore) totalHoursAllPages = totalHours;
    else {
      const all = await ctx.client.queryAll<Row>("TimeEntries", { filter, includeFields: ["id", "hoursWorked"] }, ALL_PAGES_CAP);
      if (!all.truncated) totalHoursAllPages = round2(all.items.reduce((sum, row) => sum + (Number(row.hoursWorked) || 0), 0));
    }
    return { ...result, totalHours, ...(totalHoursAllPages !== undefined ? { totalHoursAllPages } : {}) };
  },
});

// ---------------------------------------------------------------------------------------------
// Update

const updateTimeEntry = defineTool({
  name: "autotask_update_time_entry",
  title: "Update time entry",
  description:
    "Corrects a time entry: hoursWorked alone moves the end, start/end alone the hours; contradictions are refused. Posted entries cannot change.",
  toolset: "time",
  category: "time_and_billing",
  entity: "TimeEntries",
  input: z.object({
    timeEntryID: id(),
    hoursWorked: num("Over 0, at most 24").optional(),
    summaryNotes: text("Customer-visible on invoices", 32000).optional(),
    internalNotes: text(32000).optional(),
    dateWorked: day().optional(),
    startDateTime: instant().optional(),
    endDateTime: instant().optional(),
    isNonBillable: bool().optional(),
    billingCodeID: id().optional(),
  }),
  output: writeOutput,
  annotations: { readOnly: false, idempotent: true },
  async run(args, ctx) {
    const { timeEntryID, hoursWorked, startDateTime, endDateTime, ...rest } = args;
    const changes: Record<string, unknown> = definedOnly(rest);
    if (hoursWorked !== undefined || startDateTime || endDateTime) {
      const current = await ctx.client.get<Row>("TimeEntries", timeEntryID);
      if (!current) throw notFound("TimeEntry", timeEntryID);
      Object.assign(changes, retime(current, hoursWorked, startDateTime, endDateTime));
    }
    if (Object.keys(changes).length === 0) throw new ToolError("Nothing to update: pass at least one of hoursWorked, summaryNotes, internalNotes, dateWorked, startDateTime, endDateTime, isNonBillable, billingCodeID.");
    await checkBody(ctx, "TimeEntries", changes, "update");
    await ctx.client.update("TimeEntries", { ...changes, id: timeEntryID });
    const row = await ctx.client.get<Row>("TimeEntries", timeEntryID);
    const item = row ? await presentOne(ctx, "TimeEntries", row) : undefined;
    const updated = Object.keys(changes);
    return { entity: "TimeEntries", id: timeEntryID, updated, message: `Updated time entry ${timeEntryID}: ${updated.join(", ")}`, ...(item ? { item } : {}) };
  },
});

/** The hour/time fields to send so that hoursWorked and start/end agree after the update. */
function retime(current: Row, hours?: number, start?: string, end?: string): Record<string, unknown> {
  if (hours !== undefined) {
    checkHours(hours);
    if (start || end) return { hoursWorked: hours, ...timesFor(hours, start, end) };
    // Hours alone: keep the start, move the end.
    const currentStart = typeof current.startDateTime === "string" ? current.startDateTime : undefined;
    return currentStart ? { hoursWorked: hours, endDateTime: isoPlusHours(currentStart, hours) } : { hoursWorked: hours };
  }
  const s = start ?? (current.startDateTime as string | undefined);
  const e = end ?? (current.endDateTime as string | undefined);
  if (s && e) {
    const span = spanHours(s, e);
    if (span <= 0) throw new ToolError(`endDateTime must be after startDateTime (the entry would run ${s} → ${e}).`);
    checkHours(round2(span));
    return definedOnly({ startDateTime: start, endDateTime: end, hoursWorked: round2(span) });
  }
  return timesFor(Number(current.hoursWorked), start, end);
}

// ---------------------------------------------------------------------------------------------

export const timeTools: Tool[] = [
  createTool({
    name: "autotask_create_time_entry",
    title: "Log time",
    description:
      "Logs time on one of: ticketID, taskID, or category alone (internal time: meetings, training). Who: resourceID or resourceName, else you. Role, work type and contract come from the ticket or task.",
    toolset: "time",
    category: "time_and_billing",
    entity: "TimeEntries",
    args: {
      ticketID: ticketId().optional(),
      taskID: id().optional(),
      projectID: id("Checked against taskID: time goes on a task, not a project").optional(),
      resourceID: id().optional(),
      resourceName: text("Name, user name or email", 200).optional(),
      category: text('Work type name ("Remote Support"); alone, the internal category ("Training")', 200).optional(),
      dateWorked: day(),
      startDateTime: instant().optional(),
      endDateTime: instant("Default: start + hoursWorked").optional(),
      hoursWorked: num("Over 0, at most 24; must fit start and end"),
      summaryNotes: z.string().min(1).max(32000).describe("What was done; customer-visible on invoices"),
      internalNotes: text(32000).optional(),
      roleID: id().optional(),
      roleName: text('Instead of roleID, e.g. "Engineer"', 100).optional(),
      billingCodeID: id("Instead of category").optional(),
      isNonBillable: bool().optional(),
    },
    async build(args, ctx) {
      checkHours(args.hoursWorked);
      const times = timesFor(args.hoursWorked, args.startDateTime, args.endDateTime);
      const target = await targetOf(ctx, args);
      const resourceID = await resourceOf(ctx, args.resourceID, args.resourceName);
      const explicit = await namedRole(ctx, resourceID, args.roleID, args.roleName || undefined);
      const roleArg = args.roleID !== undefined || !args.roleName ? "roleID" : "roleName";
      // Defaults come from the ticket or task the time is logged on, not from a guess.
      const parent = await loadParent(ctx, target);
      const roleID = parent ? await roleOnParent(ctx, parent, resourceID, explicit, roleArg) : (explicit ?? (await roleForResource(ctx, resourceID, roleArg)));
      return {
        ...target,
        billingCodeID: target.billingCodeID ?? numberOf(parent?.row.billingCodeID),
        contractID: parent?.entity === "Tickets" ? numberOf(parent.row.contractID) : undefined,
        resourceID,
        roleID,
        dateWorked: args.dateWorked,
        ...times,
        hoursWorked: args.hoursWorked,
        summaryNotes: args.summaryNotes,
        internalNotes: args.internalNotes,
        isNonBillable: args.isNonBillable,
      };
    },
  }),

  searchTimeEntries,
  updateTimeEntry,

  deleteTool({
    name: "autotask_delete_time_entry",
    title: "Delete time entry",
    description:
      "Deletes a time entry logged by mistake; approved or posted entries cannot be deleted. Needs confirm: true.",
    toolset: "time",
    category: "time_and_billing",
    entity: "TimeEntries",
    idArgs: ["timeEntryID"],
  }),
];
