/**
 * ~700 time entries (tickets, tasks, regular time), their approvals, and what approval leads to:
 * billing items, invoiced by month (the current month stays un-invoiced), a couple of invoices voided.
 */
import type { Row } from "../schema.ts";
import { TIME_NOTES } from "./names.ts";
import { DAY, HOUR, iso, midnight, pastMoment, roleOf, type Seed } from "./context.ts";

const ENTRY_COUNT = 700;
const HOURS = [0.25, 0.5, 0.5, 0.75, 1, 1, 1.5, 2, 3] as const;

interface Planned {
  start: number;
  values: Record<string, unknown>;
}

function planEntry(s: Seed): Planned {
  const { rng } = s;
  const kind = rng.weighted([
    ["ticket", 75],
    ["task", 20],
    ["regular", 5],
  ] as const);
  const hours = rng.pick(HOURS);
  if (kind === "ticket") {
    const ticket = rng.pick(s.tickets);
    const from = Date.parse(String(ticket.createDate));
    const to = Date.parse(String(ticket.lastActivityDate));
    const start = Math.min(from + rng.next() * Math.max(0, to - from), s.now - hours * HOUR);
    const resource = Number(ticket.assignedResourceID ?? rng.pick(s.techs).id);
    return {
      start,
      values: {
        ticketID: ticket.id,
        resourceID: resource,
        roleID: resource === ticket.assignedResourceID ? ticket.assignedResourceRoleID : roleOf(s, resource),
        billingCodeID: rng.weighted([
          [s.billingCodes.remote, 80],
          [s.billingCodes.onsite, 15],
          [s.billingCodes.afterHours, 5],
        ] as const),
        contractID: ticket.contractID ?? null,
        timeEntryType: 2,
        isNonBillable: ticket.companyID === 0 || rng.chance(0.12),
        hours,
        companyID: ticket.companyID,
      },
    };
  }
  if (kind === "task") {
    const task = rng.pick(s.tasks.filter((t) => Date.parse(String(t.startDateTime)) < s.now - HOUR));
    const from = Date.parse(String(task.startDateTime));
    const to = Math.min(Date.parse(String(task.endDateTime)), s.now - hours * HOUR);
    const project = s.db.get("Projects", Number(task.projectID));
    return {
      start: from + rng.next() * Math.max(0, to - from),
      values: {
        taskID: task.id,
        resourceID: task.assignedResourceID,
        roleID: task.assignedResourceRoleID,
        billingCodeID: s.billingCodes.project,
        contractID: project?.contractID ?? null,
        timeEntryType: 6,
        isNonBillable: project?.companyID === 0,
        hours,
        companyID: project?.companyID ?? 0,
        projectID: task.projectID,
      },
    };
  }
  const tech = rng.pick(s.techs);
  const training = rng.chance(0.4);
  return {
    start: pastMoment(s, 0, 60),
    values: {
      resourceID: tech.id,
      roleID: roleOf(s, tech.id),
      internalBillingCodeID: training ? s.billingCodes.training : s.billingCodes.internal,
      timeEntryType: 1,
      isNonBillable: true,
      hours,
      companyID: 0,
      summary: training ? "Training: Microsoft Intune fundamentals" : "Team meeting and ticket review",
    },
  };
}

export function seedTime(s: Seed): void {
  const { db, rng } = s;
  const planned = Array.from({ length: ENTRY_COUNT }, () => planEntry(s)).sort((a, b) => a.start - b.start);
  const billable: { entry: Row; companyID: number; approvedAt: number; projectID?: unknown }[] = [];
  db.startIdsAt("TimeEntries", 120001);
  for (const { start, values } of planned) {
    const { hours, companyID, projectID, summary, ...fields } = values;
    const end = start + Number(hours) * HOUR;
    const approved = start < s.now - 7 * DAY && rng.chance(0.75);
    const approvedAt = Math.min(s.now - HOUR, end + rng.int(1, 5) * DAY);
    const entry = db.insert("TimeEntries", {
      ...fields,
      dateWorked: midnight(start),
      startDateTime: iso(start),
      endDateTime: iso(end),
      hoursWorked: hours,
      hoursToBill: hours,
      offsetHours: 0,
      summaryNotes: (summary as string | undefined) ?? rng.pick(TIME_NOTES),
      internalNotes: rng.chance(0.2) ? "Took longer than expected; see ticket notes." : null,
      showOnInvoice: true,
      billingApprovalLevelMostRecent: approved ? 1 : 0,
      billingApprovalDateTime: approved ? iso(approvedAt) : null,
      billingApprovalResourceID: approved ? s.managerId : null,
      createDateTime: iso(end),
      creatorUserID: fields.resourceID,
      lastModifiedDateTime: iso(approved ? approvedAt : end),
      lastModifiedUserID: fields.resourceID,
      userDefinedFields: {},
    });
    if (!approved) continue;
    db.insert("BillingItemApprovalLevels", {
      timeEntryID: entry.id,
      approvalLevel: 1,
      approvalResourceID: s.managerId,
      approvalDateTime: iso(approvedAt),
    });
    if (!fields.isNonBillable) billable.push({ entry, companyID: Number(companyID), approvedAt, projectID });
  }
  seedBilling(s, billable);
}

const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

function seedBilling(s: Seed, billable: { entry: Row; companyID: number; approvedAt: number; projectID?: unknown }[]): void {
  const { db, rng } = s;
  const cutoff = monthStart(s.now);
  const invoiceKey = (companyID: number, at: number) => `${monthStart(at)}:${companyID}`;
  const keys = [...new Set(billable.filter((b) => b.approvedAt < cutoff).map((b) => invoiceKey(b.companyID, b.approvedAt)))].sort();
  const invoices = new Map<string, Row>();
  db.startIdsAt("Invoices", 9001);
  let number = 4100;
  for (const key of keys) {
    const [month, companyID] = key.split(":").map(Number) as [number, number];
    const issued = nextMonth(month);
    invoices.set(
      key,
      db.insert("Invoices", {
        companyID,
        invoiceNumber: String(++number),
        invoiceDateTime: iso(issued),
        fromDate: iso(month),
        toDate: iso(issued - DAY),
        dueDate: iso(issued + 30 * DAY),
        paymentTerm: 1,
        batchID: Math.round(issued / DAY),
        invoiceEditorTemplateID: 1,
        invoiceTotal: 0,
        totalTaxValue: 0,
        isVoided: false,
        paidDate: issued + 30 * DAY < s.now && rng.chance(0.85) ? iso(issued + rng.int(5, 30) * DAY) : null,
        comments: null,
        createDateTime: iso(issued),
        creatorResourceID: s.managerId,
        webServiceDate: iso(issued),
        userDefinedFields: {},
      }),
    );
  }
  for (const voided of rng.sample([...invoices.values()], 2)) {
    voided.isVoided = true;
    voided.voidedDate = iso(Date.parse(String(voided.invoiceDateTime)) + 2 * DAY);
    voided.voidedByResourceID = s.managerId;
    voided.comments = "Voided: wrong billing contact; re-issued.";
  }

  db.startIdsAt("BillingItems", 700001);
  for (const { entry, companyID, approvedAt, projectID } of billable) {
    const role = db.get("Roles", Number(entry.roleID));
    const rate = Number(role?.hourlyRate ?? 125);
    const quantity = Number(entry.hoursToBill);
    const invoice = approvedAt < cutoff ? invoices.get(invoiceKey(companyID, approvedAt)) : undefined;
    const resource = db.get("Resources", Number(entry.resourceID));
    const amount = Math.round(quantity * rate * 100) / 100;
    db.insert("BillingItems", {
      billingItemType: 1,
      subType: 1,
      companyID,
      ticketID: entry.ticketID ?? null,
      taskID: entry.taskID ?? null,
      projectID: projectID ?? null,
      timeEntryID: entry.id,
      contractID: entry.contractID ?? null,
      roleID: entry.roleID,
      billingCodeID: entry.billingCodeID,
      itemName: `${String(role?.name ?? "Labor")} - ${String(resource?.firstName)} ${String(resource?.lastName)}`,
      description: entry.summaryNotes,
      lineItemFullDescription: entry.summaryNotes,
      quantity,
      rate,
      extendedPrice: amount,
      totalAmount: amount,
      taxDollars: 0,
      ourCost: Math.round(quantity * Number(resource?.internalCost ?? 40) * 100) / 100,
      internalCurrencyRate: rate,
      internalCurrencyExtendedPrice: amount,
      internalCurrencyTotalAmount: amount,
      internalCurrencyTaxDollars: 0,
      itemDate: entry.dateWorked,
      postedDate: iso(approvedAt),
      postedOnTime: iso(approvedAt),
      webServiceDate: iso(approvedAt),
      invoiceID: invoice?.id ?? null,
      nonBillable: 0,
      itemApproverID: s.managerId,
      accountManagerWhenApprovedID: db.get("Companies", companyID)?.ownerResourceID ?? null,
      userDefinedFields: {},
    });
    if (invoice) invoice.invoiceTotal = Math.round((Number(invoice.invoiceTotal) + amount) * 100) / 100;
  }
}
