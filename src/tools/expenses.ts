/**
 * Expense reports and their items. Items are children of a report: created through
 * `Expenses/{reportId}/Items`, the URL Autotask uses (not `ExpenseReports`). Required flags
 * default to false and the payment type to the tenant's default; amounts go in the expense
 * currency field, from which Autotask computes the internal-currency totals of the report.
 */
import type { Row } from "../autotask/client.ts";
import { compact, f } from "../autotask/filter.ts";
import { bool, day, id, num, picklist, text , ticketId } from "./args.ts";
import { createTool, getTool, searchTool } from "./crud.ts";
import { ToolError, type Tool } from "./define.ts";
import { present } from "./format.ts";
import { checkPicklistValue, defaultValue } from "./picklists.ts";

const REPORT = "from autotask_search_expense_reports";
const RESOURCE = "from autotask_search_resources";
const ITEMS_SHOWN = 100;
const ITEM_FIELDS = [
  "id",
  "expenseDate",
  "description",
  "expenseCategory",
  "expenseCurrencyExpenseAmount",
  "internalCurrencyExpenseAmount",
  "paymentType",
  "isBillableToCompany",
  "isReimbursable",
  "haveReceipt",
  "companyID",
  "ticketID",
  "projectID",
];

const createExpenseReport = createTool({
  name: "autotask_create_expense_report",
  title: "Create expense report",
  description:
    "Creates an (unsubmitted) expense report for a resource and week; add lines with autotask_create_expense_item. Autotask expense reports have no description field: a description you pass is not stored, and the result says so. Returns the new report.",
  toolset: "time",
  category: "time_and_billing",
  entity: "ExpenseReports",
  args: {
    name: text("Report name, e.g. \"Week of 2026-11-23 - client visits\"", 255),
    description: text("Not stored (Autotask expense reports have no description field); put key details in name instead", 2000).optional(),
    submitterId: id("Resource whose expenses these are", RESOURCE),
    weekEndingDate: day("Last day of the week the report covers (the tenant's week-ending day, usually a Saturday)"),
  },
  build: (args) => ({ name: args.name, submitterID: args.submitterId, weekEnding: args.weekEndingDate }),
});

export const expenseTools: Tool[] = [
  getTool({
    name: "autotask_get_expense_report",
    title: "Get expense report",
    description: `One expense report with its status, submitter, approver and totals, plus its line items (up to ${ITEMS_SHOWN}, with category and payment type labels). The id comes from autotask_search_expense_reports.`,
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseReports",
    idArg: "reportId",
    idDescription: `Expense report ID (${REPORT})`,
    async shape(item, args, ctx) {
      const { items, truncated } = await ctx.client.queryAll<Row>(
        "ExpenseItems",
        { filter: [f.eq("expenseReportID", args.reportId as number)], includeFields: ITEM_FIELDS },
        ITEMS_SHOWN,
      );
      const lines = await present(ctx, "ExpenseItems", items);
      return { ...item, items: lines, itemCount: lines.length, ...(truncated ? { moreItems: "More items exist: list them with autotask_search_expense_items." } : {}) };
    },
  }),

  searchTool({
    name: "autotask_search_expense_reports",
    title: "Search expense reports",
    description:
      "Finds expense reports, oldest first, with submitter name, status label, week ending and amount due. Filter by submitter and/or status (values: autotask_list_picklist ExpenseReports status). Open one with autotask_get_expense_report to see its items.",
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseReports",
    args: {
      submitterId: id("Only reports of this resource", RESOURCE).optional(),
      status: picklist("Only this status value (autotask_list_picklist ExpenseReports status)").optional(),
    },
    async filters(args, ctx) {
      if (args.status !== undefined) await checkPicklistValue(ctx, "ExpenseReports", "status", args.status);
      return compact([args.submitterId !== undefined && f.eq("submitterID", args.submitterId), args.status !== undefined && f.eq("status", args.status)]);
    },
  }),

  {
    ...createExpenseReport,
    async run(args, ctx) {
      const output = (await createExpenseReport.run(args, ctx)) as { message: string };
      if (typeof args.description === "string" && args.description.trim()) {
        output.message += `. The description was not saved: Autotask expense reports have no description field (text given: "${args.description}").`;
      }
      return output;
    },
  },

  createTool({
    name: "autotask_create_expense_item",
    title: "Add expense item",
    description:
      "Adds a line to an expense report (created through the report, Expenses/{id}/Items). amount is in the expense currency; Autotask updates the report's totals. haveReceipt, isBillableToCompany and isReimbursable default to false; paymentType defaults to the tenant's default (autotask_list_picklist ExpenseItems paymentType). A billable expense needs companyId. Category values: autotask_list_picklist ExpenseItems expenseCategory. Reports already submitted or approved cannot take new items.",
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseItems",
    parentArg: "expenseReportId",
    args: {
      expenseReportId: id("Expense report to add the line to", REPORT),
      description: text("What the expense was", 2000),
      expenseDate: day("Day of the expense"),
      expenseCategory: picklist("Expense category value (autotask_list_picklist ExpenseItems expenseCategory)"),
      amount: num("Amount in the expense currency"),
      companyId: num("Company the expense was for (from autotask_search_companies); 0 or omitted: internal").optional(),
      haveReceipt: bool("A receipt exists (default false)").optional(),
      isBillableToCompany: bool("Bill it to the company (default false; needs companyId)").optional(),
      isReimbursable: bool("Pay it back to the submitter (default false)").optional(),
      paymentType: picklist("Payment type value (autotask_list_picklist ExpenseItems paymentType); default: the tenant's default").optional(),
      ticketID: ticketId("Ticket the expense belongs to").optional(),
      projectID: id("Project the expense belongs to", "from autotask_search_projects").optional(),
    },
    async build(args, ctx) {
      const companyId = args.companyId;
      if (companyId !== undefined && !(Number.isInteger(companyId) && companyId >= 0)) {
        throw new ToolError(`companyId must be a company id (a whole number; 0 for internal), got ${companyId}.`);
      }
      if (args.isBillableToCompany && !companyId) {
        throw new ToolError("isBillableToCompany: true needs companyId (the company to bill; from autotask_search_companies).");
      }
      return {
        expenseReportID: args.expenseReportId,
        description: args.description,
        expenseDate: args.expenseDate,
        expenseCategory: args.expenseCategory,
        expenseCurrencyExpenseAmount: args.amount,
        companyID: companyId || undefined,
        ticketID: args.ticketID,
        projectID: args.projectID,
        haveReceipt: args.haveReceipt ?? false,
        isBillableToCompany: args.isBillableToCompany ?? false,
        isReimbursable: args.isReimbursable ?? false,
        paymentType: args.paymentType ?? (await defaultValue(ctx, "ExpenseItems", "paymentType")),
      };
    },
  }),

  searchTool({
    name: "autotask_search_expense_items",
    title: "List expense items",
    description:
      "The line items of one expense report (oldest first), with category and payment type labels, amounts, and the company / ticket / project names. Use it when a report has more lines than autotask_get_expense_report shows.",
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseItems",
    fields: ITEM_FIELDS,
    args: {
      expenseReportId: id("Expense report ID", REPORT),
      expenseCategory: picklist("Only this category value (autotask_list_picklist ExpenseItems expenseCategory)").optional(),
    },
    async filters(args, ctx) {
      if (args.expenseCategory !== undefined) await checkPicklistValue(ctx, "ExpenseItems", "expenseCategory", args.expenseCategory);
      return compact([f.eq("expenseReportID", args.expenseReportId), args.expenseCategory !== undefined && f.eq("expenseCategory", args.expenseCategory)]);
    },
  }),
];
