/**
 * Billing items (what Approve and Post produced from time, charges and expenses) and the approval
 * records of time entries. Read-only: Autotask creates billing items itself when work is posted.
 */
import { compact, f } from "../autotask/filter.ts";
import { bool, day, id, instant, picklist, ticketId } from "./args.ts";
import { getTool, searchTool } from "./crud.ts";
import { onOrAfter, onOrBefore } from "./dates.ts";
import type { Tool } from "./define.ts";

export const billingTools: Tool[] = [
  searchTool({
    name: "autotask_search_billing_items",
    title: "Search billing items",
    description:
      "Finds billing items (what Approve and Post made of time, charges, expenses): what was billed, or awaits invoicing (isInvoiced: false).",
    toolset: "time",
    category: "time_and_billing",
    entity: "BillingItems",
    args: {
      companyID: id().optional(),
      ticketID: ticketId().optional(),
      projectID: id().optional(),
      contractID: id().optional(),
      invoiceID: id().optional(),
      isInvoiced: bool().optional(),
      dateFrom: day("By itemDate, the day the work or cost happened").optional(),
      dateTo: day("By itemDate").optional(),
      postedAfter: instant().optional(),
      postedBefore: instant().optional(),
    },
    filters: (args) =>
      compact([
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.ticketID !== undefined && f.eq("ticketID", args.ticketID),
        args.projectID !== undefined && f.eq("projectID", args.projectID),
        args.contractID !== undefined && f.eq("contractID", args.contractID),
        args.invoiceID !== undefined && f.eq("invoiceID", args.invoiceID),
        args.isInvoiced === true && f.exist("invoiceID"),
        args.isInvoiced === false && f.notExist("invoiceID"),
        args.dateFrom && onOrAfter("itemDate", args.dateFrom),
        args.dateTo && onOrBefore("itemDate", args.dateTo),
        args.postedAfter && onOrAfter("postedDate", args.postedAfter),
        args.postedBefore && onOrBefore("postedDate", args.postedBefore),
      ]),
  }),

  getTool({
    name: "autotask_get_billing_item",
    title: "Get billing item",
    description:
      "One billing item: amounts, tax, cost, its source (time entry, charge, expense) and invoice.",
    toolset: "time",
    category: "time_and_billing",
    entity: "BillingItems",
    idArg: "billingItemID",
  }),

  searchTool({
    name: "autotask_search_billing_item_approval_levels",
    title: "Search time entry approvals",
    description:
      "Who approved a time entry and when (a row per approval level), or what a manager approved in a period.",
    toolset: "time",
    category: "time_and_billing",
    entity: "BillingItemApprovalLevels",
    args: {
      timeEntryID: id().optional(),
      approvalResourceID: id().optional(),
      approvalLevel: picklist().optional(),
      approvedAfter: instant().optional(),
      approvedBefore: instant().optional(),
    },
    filters(args) {
      return compact([
        args.timeEntryID !== undefined && f.eq("timeEntryID", args.timeEntryID),
        args.approvalResourceID !== undefined && f.eq("approvalResourceID", args.approvalResourceID),
        args.approvalLevel !== undefined && f.eq("approvalLevel", args.approvalLevel),
        args.approvedAfter && onOrAfter("approvalDateTime", args.approvedAfter),
        args.approvedBefore && onOrBefore("approvalDateTime", args.approvedBefore),
      ]);
    },
  }),
];
