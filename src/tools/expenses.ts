/**
 * Expense reports and their items. Items are children of a report: created through
 * `Expenses/{reportID}/Items`, the URL Autotask uses (not `ExpenseReports`). Required flags
 * default to false and the payment type to the tenant's default; amounts go in the expense
 * currency field, from which Autotask computes the internal-currency totals of the report.
 */
import type { Row } from "../autotask/client.ts";
import { compact, f } from "../autotask/filter.ts";
import { bool, day, id, num, picklist, text, ticketId } from "./args.ts";
import { createTool, getTool, searchTool } from "./crud.ts";
import { ToolError, type Tool } from "./define.ts";
import { present } from "./format.ts";
import { defaultValue } from "./picklists.ts";

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

export const expenseTools: Tool[] = [
  getTool({
    name: "autotask_get_expense_report",
    title: "Get expense report",
    description: `One expense report with status, submitter, approver, totals and its first ${ITEMS_SHOWN} line items.`,
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseReports",
    idArg: "reportID",
    idDescription: "From autotask_search_expense_reports",
    async shape(item, args, ctx) {
      const { items, truncated } = await ctx.client.queryAll<Row>(
        "ExpenseItems",
        { filter: [f.eq("expenseReportID", args.reportID as number)], includeFields: ITEM_FIELDS },
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
      "Finds expense reports; autotask_get_expense_report shows one with its items.",
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseReports",
    args: {
      submitterID: id("Resource").optional(),
      status: picklist().optional(),
    },
    filters(args) {
      return compact([args.submitterID !== undefined && f.eq("submitterID", args.submitterID), args.status !== undefined && f.eq("status", args.status)]);
    },
  }),

  createTool({
    name: "autotask_create_expense_report",
    title: "Create expense report",
    description:
      "Creates an unsubmitted expense report for a resource and week; add lines with autotask_create_expense_item.",
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseReports",
    args: {
      name: text('e.g. "Week of 2026-11-23 - client visits"', 255),
      description: text("Not stored (Autotask has no such field): put details in name", 2000).optional(),
      submitterID: id("Resource"),
      weekEndingDate: day("The tenant's week-ending day, usually a Saturday"),
    },
    build(args, _ctx, remark) {
      if (args.description?.trim()) {
        remark(`The description was not saved: Autotask expense reports have no description field (text given: "${args.description}").`);
      }
      return { name: args.name, submitterID: args.submitterID, weekEnding: args.weekEndingDate };
    },
  }),

  createTool({
    name: "autotask_create_expense_item",
    title: "Add expense item",
    description:
      "Adds a line to an expense report not yet submitted; not billable, reimbursable or receipted unless set.",
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseItems",
    parentArg: "expenseReportID",
    args: {
      expenseReportID: id(),
      description: text("What the expense was", 2000),
      expenseDate: day(),
      expenseCategory: picklist(),
      amount: num("In the expense currency"),
      companyID: id("0 or none: internal").optional(),
      haveReceipt: bool().optional(),
      isBillableToCompany: bool("Needs companyID").optional(),
      isReimbursable: bool("Pay it back to the submitter").optional(),
      paymentType: picklist().optional(),
      ticketID: ticketId().optional(),
      projectID: id().optional(),
    },
    async build(args, ctx) {
      const companyID = args.companyID;
      if (args.isBillableToCompany && !companyID) {
        throw new ToolError("isBillableToCompany: true needs companyID (the company to bill; from autotask_search_companies).");
      }
      return {
        expenseReportID: args.expenseReportID,
        description: args.description,
        expenseDate: args.expenseDate,
        expenseCategory: args.expenseCategory,
        expenseCurrencyExpenseAmount: args.amount,
        companyID: companyID || undefined,
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
      "The line items of one expense report, when it has more than autotask_get_expense_report shows.",
    toolset: "time",
    category: "time_and_billing",
    entity: "ExpenseItems",
    fields: ITEM_FIELDS,
    args: {
      expenseReportID: id(),
      expenseCategory: picklist().optional(),
    },
    filters(args) {
      return compact([f.eq("expenseReportID", args.expenseReportID), args.expenseCategory !== undefined && f.eq("expenseCategory", args.expenseCategory)]);
    },
  }),
];
