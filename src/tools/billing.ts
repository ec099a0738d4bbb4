/**
 * Billing items (what Approve and Post produced from time, charges and expenses) and the approval
 * records of time entries. Read-only: Autotask creates billing items itself when work is posted.
 */
import { compact, f } from "../autotask/filter.ts";
import { bool, day, id, instant, picklist , ticketId } from "./args.ts";
import { getTool, searchTool } from "./crud.ts";
import { onOrAfter, onOrBefore } from "./dates.ts";
import type { Tool } from "./define.ts";
import { checkPicklistValue } from "./picklists.ts";

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
      companyId: id().optional(),
      ticketId: ticketId().optional(),
      projectId: id().optional(),
      contractId: id().optional(),
      invoiceId: id().optional(),
      isInvoiced: bool().optional(),
      dateFrom: day("By itemDate, the day the work or cost happened").optional(),
      dateTo: day("By itemDate").optional(),
      postedAfter: instant().optional(),
      postedBefore: instant().optional(),
    },
    filters: (args) =>
      compact([
        args.companyId !== undefined && f.eq("companyID", args.companyId),
        args.ticketId !== undefined && f.eq("ticketID", args.ticketId),
        args.projectId !== undefined && f.eq("projectID", args.projectId),
        args.contractId !== undefined && f.eq("contractID", args.contractId),
        args.invoiceId !== undefined && f.eq("invoiceID", args.invoiceId),
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
      "One billing item in full: amounts, tax, cost, the time entry, charge or expense it came from, and its invoice.",
    toolset: "time",
    category: "time_and_billing",
    entity: "BillingItems",
    idArg: "billingItemId",
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
      timeEntryId: id().optional(),
      approvalResourceId: id().optional(),
      approvalLevel: picklist().optional(),
      approvedAfter: instant().optional(),
      approvedBefore: instant().optional(),
    },
    async filters(args, ctx) {
      if (args.approvalLevel !== undefined) await checkPicklistValue(ctx, "BillingItemApprovalLevels", "approvalLevel", args.approvalLevel);
      return compact([
        args.timeEntryId !== undefined && f.eq("timeEntryID", args.timeEntryId),
        args.approvalResourceId !== undefined && f.eq("approvalResourceID", args.approvalResourceId),
        args.approvalLevel !== undefined && f.eq("approvalLevel", args.approvalLevel),
        args.approvedAfter && onOrAfter("approvalDateTime", args.approvedAfter),
        args.approvedBefore && onOrBefore("approvalDateTime", args.approvedBefore),
      ]);
    },
  }),
];
