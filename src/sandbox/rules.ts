/**
 * Entity-specific behaviour of the real API that the generic write path cannot derive from the table:
 * numbering, computed amounts, completion stamps, business rules that reject a write, cascades, and
 * the few queries Autotask restricts. Larger domains live beside this file (attachments.ts,
 * contract-rules.ts, history.ts) and are collected here.
 */
import { instantMs } from "../autotask/dates.ts";
import { attachmentRules } from "./attachments.ts";
import { CONTRACT_LINE_RULES } from "./contract-rules.ts";
import { checkHistoryQuery, ticketHistoryHooks } from "./history.ts";
import { fail, isoDate } from "./http.ts";
import { unique, type EntityRules, type Values, type WriteContext } from "./rule-kit.ts";
import type { Row } from "./schema.ts";
import { PROJECT_STATUS, TASK_STATUS, TICKET_STATUS } from "./stock.ts";
import type { TenantDb } from "./store.ts";

const instant = (value: unknown) => (typeof value === "string" ? instantMs(value) : undefined);

const hoursBetween = (start: unknown, end: unknown): number | undefined => {
  const a = instant(start);
  const b = instant(end);
  return a === undefined || b === undefined ? undefined : Math.round(((b - a) / 3_600_000) * 100) / 100;
};

function endAfterStart(row: Values, start: string, end: string): void {
  const hours = hoursBetween(row[start], row[end]);
  if (hours !== undefined && hours < 0) fail(`${end} must be after ${start}.`);
}

function hasRole(db: TenantDb, resourceId: unknown, roleId: unknown): boolean {
  for (const link of db.table("ResourceRoles").values())
    if (link.resourceID === resourceId && link.roleID === roleId && link.isActive !== false) return true;
  return false;
}

/** Refuses a role the resource does not work in (an active ResourceRoles row). */
function requireRole(db: TenantDb, resource: unknown, role: unknown): void {
  if (!hasRole(db, resource, role))
    fail(`Resource ${String(resource)} is not assigned to role ${String(role)}; see /Resources/${String(resource)}/Roles.`);
}

function requireRoleOf(db: TenantDb, resourceField: string, roleField: string, row: Values): void {
  const resource = row[resourceField];
  const role = row[roleField];
  if (resource == null && role == null) return;
  if (resource == null) fail(`${roleField} can only be set together with ${resourceField}.`);
  if (role == null) fail(`${roleField} is required when ${resourceField} is set.`);
  if (db.get("Resources", Number(resource))?.isActive === false) fail(`Resource ${String(resource)} is inactive.`);
  requireRole(db, resource, role);
}

/**
 * Time on a ticket or task is billed under the role of the resource's assignment there: the
 * primary resource's assignedResourceRoleID, or one of its secondary-resource roles. A resource
 * not assigned may use any of its own roles (checked by the caller).
 */
function assignmentRole(db: TenantDb, row: Values): void {
  const parent = row.ticketID != null ? db.get("Tickets", Number(row.ticketID)) : db.get("Tasks", Number(row.taskID));
  if (!parent) return; // the reference check reports a missing ticket or task
  const roles: unknown[] = [];
  if (parent.assignedResourceID === row.resourceID && parent.assignedResourceRoleID != null) roles.push(parent.assignedResourceRoleID);
  if (row.ticketID != null)
    for (const link of db.table("TicketSecondaryResources").values())
      if (link.ticketID === row.ticketID && link.resourceID === row.resourceID) roles.push(link.roleID);
  if (roles.length > 0 && !roles.includes(row.roleID))
    fail(`Resource ${String(row.resourceID)} is assigned to this ${row.ticketID != null ? "ticket" : "task"} under role ${roles.map(String).join(" or ")}; time must be entered under that role, not ${String(row.roleID)}.`);
}

/** Completion stamps follow the status: set when it becomes Complete, cleared when it is reopened. */
function completion(ctx: WriteContext, row: Values, before: Row | undefined, doneStatus: number, fields: string[]) {
  const done = row.status === doneStatus;
  const wasDone = before?.status === doneStatus;
  if (done && !wasDone) for (const f of fields) row[f] = f.endsWith("ResourceID") ? ctx.actorId : ctx.now;
  if (!done && wasDone) for (const f of fields) row[f] = null;
}

function belongsTo(ctx: WriteContext, entity: string, id: unknown, companyId: unknown, label: string): void {
  if (id == null) return;
  const row = ctx.db.get(entity, Number(id));
  if (row && row.companyID !== companyId) fail(`${label} ${String(id)} does not belong to company ${String(companyId)}.`);
}

function charges(): EntityRules {
  return {
    prepare(ctx, row, before) {
      const quantity = Number(row.unitQuantity ?? 0);
      row.billableAmount = Math.round(quantity * Number(row.unitPrice ?? 0) * 100) / 100;
      row.extendedCost = Math.round(quantity * Number(row.unitCost ?? 0) * 100) / 100;
      row.internalCurrencyUnitPrice = row.unitPrice ?? null;
      row.internalCurrencyBillableAmount = row.billableAmount;
      if (!before) row.isBilled = false;
      if (!before || before.status !== row.status) {
        row.statusLastModifiedBy = ctx.actorId;
        row.statusLastModifiedDate = ctx.now;
      }
    },
    beforeDelete(_ctx, row) {
      if (row.isBilled) fail("A charge that has been billed cannot be deleted.");
    },
  };
}

export const RULES: Record<string, EntityRules> = {
  Tickets: {
    prepare(ctx, row, before) {
      if (!before) {
        row.ticketNumber = ctx.db.nextNumber("T", ctx.now);
        row.creatorType = 1;
        row.dueDateTime ??= isoDate(Date.parse(ctx.now) + 86_400_000);
      }
      // Unassigning names only the resource; its role goes with it.
      if (before && row.assignedResourceID == null && row.assignedResourceRoleID === before.assignedResourceRoleID)
        row.assignedResourceRoleID = null;
      completion(ctx, row, before, TICKET_STATUS.COMPLETE, ["completedDate", "completedByResourceID", "resolvedDateTime"]);
    },
    validate(ctx, row) {
      requireRoleOf(ctx.db, "assignedResourceID", "assignedResourceRoleID", row);
      belongsTo(ctx, "Contacts", row.contactID, row.companyID, "Contact");
      belongsTo(ctx, "CompanyLocations", row.companyLocationID, row.companyID, "Location");
    },
    ...ticketHistoryHooks,
  },
  TicketAttachments: attachmentRules(4),
  // The parentType Autotask reports for a note's attachment is unknown, so it stays empty; an
  // attachment the API creates is a resource's (creatorType 1), impersonating contacts aside.
  TicketNoteAttachments: attachmentRules(null, { creatorType: 1 }),
  TicketChecklistItems: {
    prepare(ctx, row, before) {
      if (row.position == null) {
        let last = 0;
        for (const item of ctx.db.table("TicketChecklistItems").values())
          if (item.ticketID === row.ticketID) last = Math.max(last, Number(item.position ?? 0));
        row.position = last + 1;
      }
      const done = row.isCompleted === true;
      if (done && before?.isCompleted !== true) {
        row.completedDateTime = ctx.now;
        row.completedByResourceID = ctx.actorId;
      } else if (!done) {
        row.completedDateTime = null;
        row.completedByResourceID = null;
      }
    },
  },
  TimeEntries: {
    prepare(ctx, row, before) {
      if (row.ticketID != null && row.taskID != null) fail("A time entry belongs to a ticket or a task, not both.");
      endAfterStart(row, "startDateTime", "endDateTime");
      if (row.hoursWorked == null) {
        const hours = hoursBetween(row.startDateTime, row.endDateTime);
        if (hours === undefined) fail("Missing Required Field: hoursWorked (or startDateTime and endDateTime)");
        row.hoursWorked = hours;
      }
      const hours = Number(row.hoursWorked);
      if (!(hours > 0 && hours <= 24)) fail("hoursWorked must be more than 0 and at most 24.");
      if (!before) {
        row.hoursToBill ??= row.hoursWorked;
        row.timeEntryType ??= row.ticketID != null ? 2 : row.taskID != null ? 6 : 1;
        row.billingApprovalLevelMostRecent ??= 0;
        row.creatorUserID = ctx.actorId;
      }
      row.lastModifiedUserID = ctx.actorId;
    },
    validate(ctx, row) {
      if (row.ticketID == null && row.taskID == null && row.internalBillingCodeID == null)
        fail("A time entry needs a ticketID or a taskID; regular time needs an internalBillingCodeID.");
      if (ctx.db.get("Resources", Number(row.resourceID))?.isActive === false)
        fail(`Resource ${String(row.resourceID)} is inactive.`);
      if (row.ticketID != null || row.taskID != null) {
        if (row.roleID == null) fail("Missing Required Field: roleID (time on a ticket or task is billed under a role)");
        assignmentRole(ctx.db, row);
      }
      if (row.roleID != null) requireRole(ctx.db, row.resourceID, row.roleID);
    },
  },
  Projects: {
    prepare(ctx, row, before) {
      if (!before) row.projectNumber = ctx.db.nextNumber("P", ctx.now);
      endAfterStart(row, "startDateTime", "endDateTime");
      completion(ctx, row, before, PROJECT_STATUS.COMPLETE, ["completedDateTime"]);
    },
  },
  Tasks: {
    prepare(ctx, row, before) {
      if (!before) {
        row.taskNumber = ctx.db.nextNumber("T", ctx.now);
        row.creatorType = 1;
      }
      endAfterStart(row, "startDateTime", "endDateTime");
      completion(ctx, row, before, TASK_STATUS.COMPLETE, ["completedDateTime", "completedByResourceID"]);
    },
    validate(ctx, row) {
      const phase = row.phaseID == null ? undefined : ctx.db.get("Phases", Number(row.phaseID));
      if (phase && phase.projectID !== row.projectID)
        fail(`Phase ${String(row.phaseID)} does not belong to project ${String(row.projectID)}.`);
      if (row.assignedResourceRoleID != null) requireRoleOf(ctx.db, "assignedResourceID", "assignedResourceRoleID", row);
    },
  },
  Phases: {
    prepare(_ctx, row) {
      endAfterStart(row, "startDate", "dueDate");
    },
  },
  Companies: {
    afterCreate(ctx, row) {
      // Autotask gives every new company a primary location and a site configuration (which the API
      // cannot create itself).
      ctx.db.insert("CompanyLocations", {
        companyID: row.id,
        name: "Primary",
        isPrimary: true,
        isActive: true,
        address1: row.address1 ?? null,
        city: row.city ?? null,
        state: row.state ?? null,
        postalCode: row.postalCode ?? null,
        countryID: row.countryID ?? null,
        phone: row.phone ?? null,
      });
      ctx.db.insert("CompanySiteConfigurations", { companyID: row.id, locationName: "Primary", userDefinedFields: {} });
    },
  },
  Contacts: {
    validate(ctx, row) {
      if (row.isActive !== 0 && row.isActive !== 1) fail(`Value ${String(row.isActive)} is not a valid value for isActive`);
      belongsTo(ctx, "CompanyLocations", row.companyLocationID, row.companyID, "Location");
    },
  },
  TicketCharges: charges(),
  ProjectCharges: charges(),
  ContractCharges: charges(),
  TicketSecondaryResources: {
    validate(ctx, row) {
      requireRoleOf(ctx.db, "resourceID", "roleID", row);
      unique(ctx, "TicketSecondaryResources", row, ["ticketID", "resourceID", "roleID"], "That resource and role are already on the ticket.");
    },
  },
  ExpenseReports: {
    prepare(ctx, row, before) {
      row.status ??= 1;
      if (row.submit === true && before?.submit !== true) {
        row.status = 2;
        row.submitDate = ctx.now;
      }
    },
  },
  ExpenseItems: {
    prepare(_ctx, row) {
      row.internalCurrencyExpenseAmount ??= row.expenseCurrencyExpenseAmount ?? null;
      if (row.isReimbursable) row.internalCurrencyReimbursementAmount = row.internalCurrencyExpenseAmount;
    },
    afterCreate: (ctx, row) => totalExpenses(ctx.db, row.expenseReportID),
    afterUpdate: (ctx, row) => totalExpenses(ctx.db, row.expenseReportID),
  },
  ServiceCalls: {
    prepare(_ctx, row) {
      endAfterStart(row, "startDateTime", "endDateTime");
      row.duration ??= hoursBetween(row.startDateTime, row.endDateTime) ?? null;
    },
    afterDelete(ctx, row) {
      for (const link of [...ctx.db.table("ServiceCallTickets").values()])
        if (link.serviceCallID === row.id) {
          ctx.db.remove("ServiceCallTickets", link.id);
          RULES.ServiceCallTickets?.afterDelete?.(ctx, link);
        }
      for (const link of [...ctx.db.table("ServiceCallTasks").values()])
        if (link.serviceCallID === row.id) ctx.db.remove("ServiceCallTasks", link.id);
    },
  },
  ServiceCallTickets: {
    validate(ctx, row) {
      unique(ctx, "ServiceCallTickets", row, ["serviceCallID", "ticketID"], `Ticket ${String(row.ticketID)} is already on this service call.`);
    },
    afterDelete(ctx, row) {
      for (const link of [...ctx.db.table("ServiceCallTicketResources").values()])
        if (link.serviceCallTicketID === row.id) ctx.db.remove("ServiceCallTicketResources", link.id);
    },
  },
  ServiceCallTicketResources: {
    validate(ctx, row) {
      unique(ctx, "ServiceCallTicketResources", row, ["serviceCallTicketID", "resourceID"], `Resource ${String(row.resourceID)} is already on this service call ticket.`);
    },
  },
  ServiceCallTasks: {
    validate(ctx, row) {
      unique(ctx, "ServiceCallTasks", row, ["serviceCallID", "taskID"], `Task ${String(row.taskID)} is already on this service call.`);
    },
  },
  BillingItemApprovalLevels: {
    afterCreate(ctx, row) {
      const entry = ctx.db.get("TimeEntries", Number(row.timeEntryID));
      if (!entry) return;
      entry.billingApprovalLevelMostRecent = row.approvalLevel;
      entry.billingApprovalDateTime = row.approvalDateTime;
      entry.billingApprovalResourceID = row.approvalResourceID;
    },
  },
  Opportunities: {
    validate(_ctx, row) {
      const p = Number(row.probability ?? 0);
      if (p < 0 || p > 100) fail("probability must be between 0 and 100.");
    },
  },
  ContractBlocks: {
    prepare(_ctx, row) {
      endAfterStart(row, "startDate", "endDate");
    },
  },
  Contracts: {
    prepare(_ctx, row) {
      endAfterStart(row, "startDate", "endDate");
    },
    validate(ctx, row) {
      // An integer used as a yes/no flag (inferred from its values in Autotask: 0 or 1).
      const flag = row.timeReportingRequiresStartAndStopTimes;
      if (flag !== 0 && flag !== 1) fail(`Value ${String(flag)} is not a valid value for timeReportingRequiresStartAndStopTimes (0 or 1)`);
      belongsTo(ctx, "Contacts", row.contactID, row.companyID, "Contact");
    },
  },
  ...CONTRACT_LINE_RULES,
};

/** Entities whose queries Autotask restricts beyond the grammar: called with the query's filter array. */
export const QUERY_RULES: Record<string, (db: TenantDb, filter: unknown[]) => void> = {
  TicketHistory: checkHistoryQuery,
};

function totalExpenses(db: TenantDb, reportId: unknown): void {
  const report = db.get("ExpenseReports", Number(reportId));
  if (!report) return;
  let total = 0;
  let reimbursable = 0;
  for (const item of db.table("ExpenseItems").values()) {
    if (item.expenseReportID !== report.id) continue;
    total += Number(item.internalCurrencyExpenseAmount ?? 0);
    if (item.isReimbursable) reimbursable += Number(item.internalCurrencyExpenseAmount ?? 0);
  }
  report.internalCurrencyExpenseTotal = Math.round(total * 100) / 100;
  report.amountDue = Math.round(reimbursable * 100) / 100;
}
