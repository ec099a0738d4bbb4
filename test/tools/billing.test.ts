/** Billing item, approval and expense tools against the sandbox: what the user sees and what reached Autotask. */
import { beforeAll, describe, expect, test } from "bun:test";
import type { RequestLogEntry } from "../../src/sandbox/index.ts";
import { queryFilters, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();

/** Full request paths, for assertions on exactly where a request went. */
const V1 = "/ATServicesRest/V1.0";
const day = (iso: string) => iso.slice(0, 10);
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();
/** The filter of the last query POSTed to an entity (there must be one). */
function lastFilter(requests: RequestLogEntry[], entity: string): Row[] {
  const filters = queryFilters(requests, entity);
  expect(filters.length).toBeGreaterThan(0);
  return filters.at(-1) as Row[];
}
const ids = (rows: Row[]) => rows.map((row) => row.id);

describe("autotask_search_billing_items", () => {
  let items: Row[];
  beforeAll(() => {
    items = ctx.store().all("BillingItems") as Row[];
  });

  test("each id filter is sent on the right field and applied", async () => {
    const sample = items.find((b) => b.invoiceID && b.ticketID && b.companyID)!;
    const withProject = items.find((b) => b.projectID)!;
    const withContract = items.find((b) => b.contractID)!;
    const cases: Array<[string, number, string, (b: Row) => boolean]> = [
      ["companyId", sample.companyID, "companyID", (b) => b.companyID === sample.companyID],
      ["ticketId", sample.ticketID, "ticketID", (b) => b.ticketID === sample.ticketID],
      ["projectId", withProject.projectID, "projectID", (b) => b.projectID === withProject.projectID],
      ["contractId", withContract.contractID, "contractID", (b) => b.contractID === withContract.contractID],
      ["invoiceId", sample.invoiceID, "invoiceID", (b) => b.invoiceID === sample.invoiceID],
    ];
    for (const [arg, value, field, match] of cases) {
      const result = await ctx.ok("autotask_search_billing_items", { [arg]: value, pageSize: 500 });
      expect(lastFilter(ctx.requests(), "BillingItems")).toEqual([{ op: "eq", field, value }]);
      const expected = items.filter(match);
      expect(expected.length).toBeGreaterThan(0);
      expect(ids(result.items)).toEqual(ids(expected).slice(0, 500));
    }
    const byInvoice = await ctx.ok("autotask_search_billing_items", { invoiceId: sample.invoiceID });
    const invoice = ctx.store().get("Invoices", sample.invoiceID)!;
    expect(byInvoice.items[0]).toMatchObject({ invoiceName: invoice.invoiceNumber, billingItemTypeLabel: expect.any(String), companyName: expect.any(String) });
  });

  test("isInvoiced, item-date and posted-date ranges (date-only 'to' includes the whole day)", async () => {
    const notInvoiced = await ctx.ok("autotask_search_billing_items", { isInvoiced: false, pageSize: 500 });
    expect(lastFilter(ctx.requests(), "BillingItems")).toEqual([{ op: "notExist", field: "invoiceID" }]);
    expect(ids(notInvoiced.items)).toEqual(ids(items.filter((b) => !b.invoiceID)));
    expect(notInvoiced.items.length).toBeGreaterThan(0);

    const invoiced = await ctx.ok("autotask_search_billing_items", { isInvoiced: true, pageSize: 3 });
    expect(lastFilter(ctx.requests(), "BillingItems")).toEqual([{ op: "exist", field: "invoiceID" }]);
    expect(ids(invoiced.items)).toEqual(ids(items.filter((b) => b.invoiceID)).slice(0, 3));
    expect(invoiced.page.hasMore).toBe(true);

    const from = day(items[10]!.itemDate);
    const to = day(items[40]!.itemDate);
    const posted = day(items[20]!.postedDate);
    const postedTo = day(items[60]!.postedDate);
    const result = await ctx.ok("autotask_search_billing_items", { dateFrom: from, dateTo: to, postedAfter: posted, postedBefore: postedTo, pageSize: 500 });
    expect(lastFilter(ctx.requests(), "BillingItems")).toEqual([
      // itemDate is a calendar date: bounded by the days themselves, no time zone
      { op: "gte", field: "itemDate", value: `${from}T00:00:00` },
      { op: "lte", field: "itemDate", value: `${to}T00:00:00` },
      { op: "gte", field: "postedDate", value: `${posted}T00:00:00.000Z` },
      { op: "lt", field: "postedDate", value: nextDay(postedTo) },
    ]);
    const expected = items.filter((b) => day(b.itemDate) >= from && day(b.itemDate) <= to && day(b.postedDate) >= posted && day(b.postedDate) <= postedTo);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(result.items)).toEqual(ids(expected));
  });

  test("autotask_get_billing_item: the full record with names; unknown id", async () => {
    const item = items[0]!;
    const result = await ctx.ok("autotask_get_billing_item", { billingItemId: item.id });
    expect(ctx.requests().some((r) => r.method === "GET" && r.path === `${V1}/BillingItems/${item.id}`)).toBe(true);
    expect(result.item).toMatchObject({ id: item.id, totalAmount: item.totalAmount, timeEntryID: item.timeEntryID, companyName: expect.any(String) });
    expect(await ctx.fail("autotask_get_billing_item", { billingItemId: 99999999 })).toContain("99999999 was not found");
  });
});

describe("autotask_search_billing_item_approval_levels", () => {
  test("filters by time entry, approver, level and approval dates", async () => {
    const levels = ctx.store().all("BillingItemApprovalLevels") as Row[];
    const sample = levels[5]!;
    const byEntry = await ctx.ok("autotask_search_billing_item_approval_levels", { timeEntryId: sample.timeEntryID });
    expect(lastFilter(ctx.requests(), "BillingItemApprovalLevels")).toEqual([{ op: "eq", field: "timeEntryID", value: sample.timeEntryID }]);
    expect(ids(byEntry.items)).toEqual(ids(levels.filter((l) => l.timeEntryID === sample.timeEntryID)));
    const approver = ctx.store().get("Resources", sample.approvalResourceID)!;
    expect(byEntry.items[0]).toMatchObject({ approvalResourceName: `${approver.firstName} ${approver.lastName}`, approvalLevelLabel: expect.any(String) });

    const after = day(levels[10]!.approvalDateTime);
    const before = day(levels[30]!.approvalDateTime);
    const result = await ctx.ok("autotask_search_billing_item_approval_levels", {
      approvalResourceId: sample.approvalResourceID,
      approvalLevel: sample.approvalLevel,
      approvedAfter: after,
      approvedBefore: before,
      pageSize: 500,
    });
    expect(lastFilter(ctx.requests(), "BillingItemApprovalLevels")).toEqual([
      { op: "eq", field: "approvalResourceID", value: sample.approvalResourceID },
      { op: "eq", field: "approvalLevel", value: sample.approvalLevel },
      { op: "gte", field: "approvalDateTime", value: `${after}T00:00:00.000Z` },
      { op: "lt", field: "approvalDateTime", value: nextDay(before) },
    ]);
    const expected = levels.filter(
      (l) =>
        l.approvalResourceID === sample.approvalResourceID &&
        l.approvalLevel === sample.approvalLevel &&
        day(l.approvalDateTime) >= after &&
        day(l.approvalDateTime) <= before,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(result.items)).toEqual(ids(expected));
  });

  test("a level the tenant does not have lists the allowed values and queries nothing", async () => {
    const text = await ctx.fail("autotask_search_billing_item_approval_levels", { approvalLevel: 9 });
    const labels = ctx.store().picklist("BillingItemApprovalLevels", "approvalLevel").map((v) => `${v.value} ${v.label}`);
    expect(text).toContain("approvalLevel 9 is not a valid value");
    for (const label of labels) expect(text).toContain(label);
    expect(ctx.requests().some((r) => r.path.includes("BillingItemApprovalLevels/query"))).toBe(false);
  });
});

describe("expense reports and items", () => {
  let reportId: number;

  test("autotask_create_expense_report maps submitterId and weekEndingDate, and says the description is not stored", async () => {
    const submitter = ctx.store().all("Resources").find((r) => r.firstName === "Ben")!;
    const result = await ctx.ok("autotask_create_expense_report", {
      name: "Client visits",
      description: "Trip to the Denver office",
      submitterId: submitter.id,
      weekEndingDate: "2026-11-28",
    });
    const post = writes(ctx.requests());
    expect(post.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${V1}/ExpenseReports`]);
    expect(post[0]!.body).toEqual({ name: "Client visits", submitterID: submitter.id, weekEnding: "2026-11-28T00:00:00" });
    expect(result.message).toContain("description was not saved");
    expect(result.message).toContain("Trip to the Denver office");
    expect(result.item).toMatchObject({ name: "Client visits", submitterName: "Ben Carter", statusLabel: expect.any(String) });
    reportId = result.id;
  });

  test("autotask_create_expense_item goes through Expenses/{id}/Items with tenant defaults", async () => {
    const defaultPayment = ctx.store().picklist("ExpenseItems", "paymentType").find((v) => v.isDefaultValue)!;
    const company = ctx.store().all("Companies")[3]!;
    const result = await ctx.ok("autotask_create_expense_item", {
      expenseReportId: reportId,
      description: "Parking",
      expenseDate: "2026-11-25",
      expenseCategory: 7,
      amount: 18.5,
      companyId: company.id,
    });
    const post = writes(ctx.requests());
    expect(post.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${V1}/Expenses/${reportId}/Items`]);
    expect(post[0]!.body).toEqual({
      expenseReportID: reportId,
      description: "Parking",
      expenseDate: "2026-11-25T00:00:00",
      expenseCategory: 7,
      expenseCurrencyExpenseAmount: 18.5,
      companyID: company.id,
      haveReceipt: false,
      isBillableToCompany: false,
      isReimbursable: false,
      paymentType: Number(defaultPayment.value),
    });
    expect(result.item).toMatchObject({ paymentTypeLabel: defaultPayment.label, companyName: company.companyName });
    // internal (companyId 0, as the original documented) sends no company
    await ctx.ok("autotask_create_expense_item", { expenseReportId: reportId, description: "Toll", expenseDate: "2026-11-26", expenseCategory: 7, amount: 4, companyId: 0, isReimbursable: true });
    const body = writes(ctx.requests())[0]!.body as Row;
    expect(body.companyID).toBeUndefined();
    expect(body.isReimbursable).toBe(true);
  });

  test("bad category, billable without company and unknown report fail with what to fix", async () => {
    const base = { expenseReportId: reportId, description: "x", expenseDate: "2026-11-25", amount: 1 };
    const text = await ctx.fail("autotask_create_expense_item", { ...base, expenseCategory: 99 });
    expect(text).toContain("expenseCategory 99 is not a valid value");
    expect(text).toContain("2 Meals");
    expect(await ctx.fail("autotask_create_expense_item", { ...base, expenseCategory: 7, isBillableToCompany: true })).toContain("needs companyID");
    for (const companyID of [1.5, -2]) expect(await ctx.fail("autotask_create_expense_item", { ...base, expenseCategory: 7, companyID })).toContain("companyID");
    expect(writes(ctx.requests())).toEqual([]);
    expect(await ctx.fail("autotask_create_expense_item", { ...base, expenseReportId: 99999999, expenseCategory: 7 })).toContain("99999999");
  });

  test("autotask_get_expense_report shows the report with its items and totals", async () => {
    const result = await ctx.ok("autotask_get_expense_report", { reportId });
    expect(result.item).toMatchObject({ id: reportId, itemCount: 2, internalCurrencyExpenseTotal: 22.5, amountDue: 4 });
    expect(result.item.items.map((i: Row) => i.description)).toEqual(["Parking", "Toll"]);
    expect(result.item.items[0]).toMatchObject({ expenseCategoryLabel: "Other", expenseCurrencyExpenseAmount: 18.5 });
    expect(await ctx.fail("autotask_get_expense_report", { reportId: 99999999 })).toContain("99999999 was not found");
  });

  test("autotask_search_expense_reports filters by submitter and status; a bad status lists the values", async () => {
    const reports = ctx.store().all("ExpenseReports") as Row[];
    const sample = reports[0]!;
    const bySubmitter = await ctx.ok("autotask_search_expense_reports", { submitterId: sample.submitterID });
    expect(lastFilter(ctx.requests(), "ExpenseReports")).toEqual([{ op: "eq", field: "submitterID", value: sample.submitterID }]);
    expect(ids(bySubmitter.items)).toEqual(ids(reports.filter((r) => r.submitterID === sample.submitterID)));
    expect(bySubmitter.items[0]).toMatchObject({ submitterName: expect.any(String), statusLabel: expect.any(String) });

    const byStatus = await ctx.ok("autotask_search_expense_reports", { status: sample.status, pageSize: 200 });
    expect(lastFilter(ctx.requests(), "ExpenseReports")).toEqual([{ op: "eq", field: "status", value: sample.status }]);
    expect(ids(byStatus.items)).toEqual(ids(reports.filter((r) => r.status === sample.status)));

    const text = await ctx.fail("autotask_search_expense_reports", { status: 42 });
    expect(text).toContain("status 42 is not a valid value");
    expect(text).toContain("1 In Progress");
  });

  test("autotask_search_expense_items lists one report's lines", async () => {
    const result = await ctx.ok("autotask_search_expense_items", { expenseReportId: reportId, expenseCategory: 7 });
    expect(lastFilter(ctx.requests(), "ExpenseItems")).toEqual([
      { op: "eq", field: "expenseReportID", value: reportId },
      { op: "eq", field: "expenseCategory", value: 7 },
    ]);
    expect(result.items.map((i: Row) => i.description)).toEqual(["Parking", "Toll"]);
  });

  test("an inactive category is a valid filter (old items carry it); one the tenant never had is refused", async () => {
    const inactive = ctx.store().picklist("ExpenseItems", "expenseCategory").find((v) => !v.isActive)!;
    const result = await ctx.ok("autotask_search_expense_items", { expenseReportId: reportId, expenseCategory: Number(inactive.value) });
    expect(lastFilter(ctx.requests(), "ExpenseItems")).toContainEqual({ op: "eq", field: "expenseCategory", value: Number(inactive.value) });
    expect(result.items).toEqual([]);
    expect(await ctx.fail("autotask_search_expense_items", { expenseReportId: reportId, expenseCategory: 99 })).toContain("expenseCategory 99 is not a valid value");
  });
});
