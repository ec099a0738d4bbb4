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
      "Finds billing items: the posted, billable records Autotask creates when time entries, charges and expenses go through Approve and Post. Use it to see what was billed (or is waiting to be invoiced) for a company, ticket, project or contract, or what an invoice contains. Rows show item name, type, quantity, rate, total and the company / ticket / project / contract / invoice names next to their ids. All filters combine with AND; isInvoiced: false lists posted items not yet on an invoice. Oldest first; page through with page.",
    toolset: "time",
    category: "time_and_billing",
    entity: "BillingItems",
    args: {
      companyId: id("Only items billed to this company", "from autotask_search_companies").optional(),
      ticketId: ticketId("Only items from this ticket").optional(),
      projectId: id("Only items from this project", "from autotask_search_projects").optional(),
      contractId: id("Only items under this contract", "from autotask_search_contracts").optional(),
      invoiceId: id("Only items on this invoice", "from autotask_search_invoices").optional(),
      isInvoiced: bool("true: only items already on an invoice; false: only posted items not invoiced yet").optional(),
      dateFrom: day("Only items whose item date (the day the work or cost happened) is on or after this date").optional(),
      dateTo: day("Only items whose item date is on or before this date").optional(),
      postedAfter: instant("Only items posted (approved) on or after this date").optional(),
      postedBefore: instant("Only items posted on or before this date").optional(),
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
      "One billing item with every field that has a value: amounts (rate, quantity, extended price, tax, our cost), the time entry / charge / expense item it came from, its invoice, and names next to ids. Ids come from autotask_search_billing_items or autotask_get_invoice_details.",
    toolset: "time",
    category: "time_and_billing",
    entity: "BillingItems",
    idArg: "billingItemId",
    idDescription: "Billing item ID (from autotask_search_billing_items)",
  }),

  searchTool({
    name: "autotask_search_billing_item_approval_levels",
    title: "Search time entry approvals",
    description:
      "Finds the approval records of time entries (one row per approval level reached, with who approved and when). Use it to see who approved a time entry, or what a manager approved in a period. timeEntryId comes from autotask_search_time_entries. All filters combine with AND.",
    toolset: "time",
    category: "time_and_billing",
    entity: "BillingItemApprovalLevels",
    args: {
      timeEntryId: id("Only approvals of this time entry", "from autotask_search_time_entries").optional(),
      approvalResourceId: id("Only approvals made by this resource", "from autotask_search_resources").optional(),
      approvalLevel: picklist("Only this approval level value (autotask_list_picklist BillingItemApprovalLevels approvalLevel)").optional(),
      approvedAfter: instant("Only approvals made on or after this date").optional(),
      approvedBefore: instant("Only approvals made on or before this date").optional(),
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
