/**
 * Quotes, quote items, opportunities, contracts and invoices through the real CLI over stdio against
 * the sandbox: filters sent and applied, items written through Quotes/{id}/Items, type inference from
 * the tenant's labels, defaults for required fields, picklist errors, not-found ids.
 */
import { describe, expect, test } from "bun:test";
import { queryFilters, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();

const activeValues = (entity: string, field: string) => ctx.store().picklist(entity, field).filter((v) => v.isActive);

/** A full request path, for assertions on exactly where a request went. */
const api = (path: string) => `/ATServicesRest/V1.0/${path}`;
function conditions(filter: unknown): Row[] {
  const walk = (items: Row[]): Row[] => items.flatMap((item) => (item.items ? [item, ...walk(item.items)] : [item]));
  return walk((filter ?? []) as Row[]);
}
/** A calendar date (effectiveDate, expirationDate) as Autotask receives it: the day at midnight, no zone. */
const dayUtc = (offsetDays = 0) => `${new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
const money = (value: number) => Math.round(value * 100) / 100;

describe("quotes", () => {
  test("search applies every filter", async () => {
    const quote = ctx.store().all("Quotes").find((q) => q.contactID)!;
    const term = String(quote.name).split(" ")[1]!;
    const result = await ctx.ok("autotask_search_quotes", { companyId: quote.companyID, contactId: quote.contactID, opportunityId: quote.opportunityID, searchTerm: term });
    expect(result.items.map((row: Row) => row.id)).toEqual([quote.id]);
    expect(result.items[0]).toMatchObject({ companyName: ctx.store().get("Companies", quote.companyID as number)!.companyName, opportunityName: ctx.store().get("Opportunities", quote.opportunityID as number)!.title });
    const sent = conditions(queryFilters(ctx.requests(), "Quotes")[0]);
    expect(sent).toContainEqual({ op: "eq", field: "companyID", value: quote.companyID });
    expect(sent).toContainEqual({ op: "eq", field: "contactID", value: quote.contactID });
    expect(sent).toContainEqual({ op: "eq", field: "opportunityID", value: quote.opportunityID });
    expect(sent).toContainEqual({ op: "contains", field: "name", value: term });
    const byNumber = await ctx.ok("autotask_search_quotes", { searchTerm: String(quote.quoteNumber) });
    expect(byNumber.items.map((row: Row) => row.id)).toContain(quote.id);
  });

  test("get_quote with items shows type labels and totals (optional lines apart)", async () => {
    const quote = ctx.store().all("Quotes")[0]!;
    const items = ctx.store().all("QuoteItems").filter((i) => i.quoteID === quote.id);
    const result = await ctx.ok("autotask_get_quote", { quoteId: quote.id, includeItems: true });
    expect(result.item.name).toBe(quote.name);
    expect(result.item.items.map((i: Row) => i.id)).toEqual(items.map((i) => i.id));
    const labels = new Map(ctx.store().picklist("QuoteItems", "quoteItemType").map((v) => [v.value, v.label]));
    for (const item of result.item.items) expect(item.quoteItemTypeLabel).toBe(labels.get(String(items.find((i) => i.id === item.id)!.quoteItemType)));
    const line = (i: Row) => (Number(i.unitPrice) - Number(i.unitDiscount)) * Number(i.quantity) * (1 - Number(i.percentageDiscount) / 100) - Number(i.lineDiscount);
    expect(result.item.totals.total).toBe(money(items.filter((i) => !i.isOptional).reduce((t, i) => t + line(i), 0)));
    expect((await ctx.ok("autotask_get_quote", { quoteId: quote.id })).item.items).toBeUndefined();
    expect(await ctx.fail("autotask_get_quote", { quoteId: 999999 })).toContain("Quote 999999 was not found");
  });

  test("create_quote uses the company's only open opportunity, today, +30 days and a default name", async () => {
    const open = ctx.defaultOf("Opportunities", "status");
    const opportunities = ctx.store().all("Opportunities");
    const company = ctx.store()
      .all("Companies")
      .find((c) => opportunities.filter((o) => o.companyID === c.id && o.status === open).length === 1)!;
    const opportunity = opportunities.find((o) => o.companyID === company.id && o.status === open)!;
    const result = await ctx.ok("autotask_create_quote", { companyId: company.id });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.path).toBe(api("Quotes"));
    expect(post.body).toEqual({
      name: `Quote for ${company.companyName}`,
      companyID: company.id,
      opportunityID: opportunity.id,
      effectiveDate: dayUtc(),
      expirationDate: dayUtc(30),
    });
    expect(result.item.opportunityName).toBe(opportunity.title);
  });

  test("create_quote without an open opportunity says how to get one, and sends nothing", async () => {
    const opportunities = ctx.store().all("Opportunities");
    const company = ctx.store()
      .all("Companies")
      .find((c) => c.id !== 0 && !opportunities.some((o) => o.companyID === c.id))!;
    const error = await ctx.fail("autotask_create_quote", { companyId: company.id, name: "Q" });
    expect(error).toContain("autotask_create_opportunity");
    expect(error).toContain("opportunityID");
    expect(writes(ctx.requests())).toHaveLength(0);
    expect(await ctx.fail("autotask_create_quote", { companyId: 999999 })).toContain("Company 999999 was not found");
    const backwards = await ctx.fail("autotask_create_quote", { companyId: company.id, opportunityId: opportunities[0]!.id, effectiveDate: "2099-02-01", expirationDate: "2099-01-01" });
    expect(backwards).toContain("expirationDate");
  });

  test("quote items: get and search with type labels and catalog names", async () => {
    const item = ctx.store().all("QuoteItems").find((i) => i.productID)!;
    const got = await ctx.ok("autotask_get_quote_item", { quoteItemId: item.id });
    expect(got.item).toMatchObject({ id: item.id, quoteItemTypeLabel: "Product", productName: ctx.store().get("Products", item.productID as number)!.name });
    const term = String(item.name).split(" ")[0]!;
    ctx.requests();
    const found = await ctx.ok("autotask_search_quote_items", { quoteId: item.quoteID, searchTerm: term });
    const expected = ctx.store()
      .all("QuoteItems")
      .filter((i) => i.quoteID === item.quoteID && `${i.name} ${i.description ?? ""}`.toLowerCase().includes(term.toLowerCase()));
    expect(found.items.map((row: Row) => row.id)).toEqual(expected.map((i) => i.id));
    expect(found.items.every((row: Row) => row.quoteItemTypeLabel)).toBe(true);
    const sent = conditions(queryFilters(ctx.requests(), "QuoteItems")[0]);
    expect(sent).toContainEqual({ op: "eq", field: "quoteID", value: item.quoteID });
    expect(sent).toContainEqual({ op: "contains", field: "name", value: term });
    expect(await ctx.fail("autotask_get_quote_item", { quoteItemId: 999999 })).toContain("999999 was not found");
  });

  test("create_quote_item infers the type from the tenant's labels and prices from the catalog", async () => {
    const quote = ctx.store().all("Quotes")[1]!;
    const product = ctx.store().all("Products").find((p) => p.isActive)!;
    const result = await ctx.ok("autotask_create_quote_item", { quoteId: quote.id, productID: product.id, quantity: 3 });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.path).toBe(api(`Quotes/${quote.id}/Items`));
    expect(post.body).toMatchObject({
      quoteID: quote.id,
      productID: product.id,
      quantity: 3,
      quoteItemType: ctx.valueOf("QuoteItems", "quoteItemType", "Product"),
      name: product.name,
      unitPrice: product.unitPrice,
      unitCost: product.unitCost,
      isOptional: false,
    });
    expect(result.item).toMatchObject({ quoteItemTypeLabel: "Product", productName: product.name });

    const bundle = ctx.store().all("ServiceBundles").find((b) => b.isActive)!;
    const second = await ctx.ok("autotask_create_quote_item", { quoteId: quote.id, serviceBundleID: bundle.id, quantity: 10, unitPrice: 80, isOptional: true });
    expect(ctx.store().get("QuoteItems", second.id)).toMatchObject({ quoteItemType: ctx.valueOf("QuoteItems", "quoteItemType", "Service Bundle"), unitPrice: 80, isOptional: true });
  });

  test("create_quote_item refuses what it cannot save, before sending", async () => {
    const quoteId = ctx.store().all("Quotes")[1]!.id;
    const product = ctx.store().all("Products")[0]!;
    const untyped = await ctx.fail("autotask_create_quote_item", { quoteId, name: "Misc", quantity: 1 });
    for (const value of activeValues("QuoteItems", "quoteItemType")) expect(untyped).toContain(`${value.value} ${value.label}`);
    const badType = await ctx.fail("autotask_create_quote_item", { quoteId, name: "Misc", quantity: 1, quoteItemType: 99 });
    expect(badType).toContain("quoteItemType 99 is not a valid value");
    const mismatch = await ctx.fail("autotask_create_quote_item", { quoteId, productID: product.id, quantity: 1, quoteItemType: ctx.valueOf("QuoteItems", "quoteItemType", "Service") });
    expect(mismatch).toContain("does not fit productID");
    expect(await ctx.fail("autotask_create_quote_item", { quoteId, productID: product.id, quantity: 1, sortOrderID: 2 })).toContain("sortOrderID");
    expect(await ctx.fail("autotask_create_quote_item", { quoteId, productID: 999999, quantity: 1 })).toContain("Product 999999");
    expect(writes(ctx.requests())).toHaveLength(0);
  });

  test("update and delete quote items through the quote; delete needs confirm", async () => {
    const item = ctx.store().all("QuoteItems")[0]!;
    const updated = await ctx.ok("autotask_update_quote_item", { quoteItemId: item.id, quantity: 7, unitDiscount: 5 });
    expect(updated.updated.sort()).toEqual(["quantity", "unitDiscount"]);
    const patch = writes(ctx.requests())[0]!;
    expect(patch).toMatchObject({ method: "PATCH", path: api(`Quotes/${item.quoteID}/Items`), body: { id: item.id, quantity: 7, unitDiscount: 5 } });

    const refused = await ctx.fail("autotask_delete_quote_item", { quoteId: item.quoteID, quoteItemId: item.id });
    expect(refused).toContain("confirm: true");
    expect(writes(ctx.requests())).toHaveLength(0);
    await ctx.ok("autotask_delete_quote_item", { quoteId: item.quoteID, quoteItemId: item.id, confirm: true });
    expect(writes(ctx.requests())[0]).toMatchObject({ method: "DELETE", path: api(`Quotes/${item.quoteID}/Items/${item.id}`) });
    expect(ctx.store().get("QuoteItems", item.id as number)).toBeUndefined();
  });
});

describe("opportunities", () => {
  test("search applies every filter", async () => {
    const target = ctx.store().all("Opportunities")[3]!;
    const term = String(target.title).split(" ")[0]!;
    const result = await ctx.ok("autotask_search_opportunities", { companyId: target.companyID, searchTerm: term, status: target.status });
    const expected = ctx.store()
      .all("Opportunities")
      .filter((o) => o.companyID === target.companyID && o.status === target.status && String(o.title).toLowerCase().includes(term.toLowerCase()));
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((o) => o.id));
    expect(result.items[0].statusLabel).toBe(ctx.store().picklist("Opportunities", "status").find((v) => v.value === String(target.status))!.label);
    const sent = conditions(queryFilters(ctx.requests(), "Opportunities")[0]);
    expect(sent).toContainEqual({ op: "eq", field: "companyID", value: target.companyID });
    expect(sent).toContainEqual({ op: "contains", field: "title", value: term });
    expect(sent).toContainEqual({ op: "eq", field: "status", value: target.status });
  });

  test("get_opportunity with its quotes; unknown id", async () => {
    const quote = ctx.store().all("Quotes")[2]!;
    const result = await ctx.ok("autotask_get_opportunity", { opportunityId: quote.opportunityID, includeQuotes: true });
    expect(result.item.id).toBe(quote.opportunityID);
    expect(result.item.stageLabel).toBeDefined();
    expect(result.item.quotes.map((q: Row) => q.id)).toContain(quote.id);
    expect(await ctx.fail("autotask_get_opportunity", { opportunityId: 999999 })).toContain("Opportunity 999999 was not found");
  });

  test("create_opportunity fills the money fields Autotask requires; a bad stage lists the tenant's stages", async () => {
    const company = ctx.store().all("Companies").find((c) => c.id !== 0 && c.isActive)!;
    const owner = company.ownerResourceID;
    const base = {
      title: "Firewall refresh",
      companyId: company.id,
      ownerResourceId: owner,
      status: ctx.defaultOf("Opportunities", "status"),
      projectedCloseDate: "2099-06-30",
      startDate: "2099-01-15",
    };
    const badStage = await ctx.fail("autotask_create_opportunity", { ...base, stage: 77 });
    expect(badStage).toContain("stage 77 is not a valid value");
    for (const value of activeValues("Opportunities", "stage")) expect(badStage).toContain(`${value.value} ${value.label}`);
    expect(await ctx.fail("autotask_create_opportunity", { ...base, stage: ctx.defaultOf("Opportunities", "stage"), probability: 150 })).toContain("probability");
    expect(writes(ctx.requests())).toHaveLength(0);

    const result = await ctx.ok("autotask_create_opportunity", { ...base, stage: ctx.valueOf("Opportunities", "stage", "Proposal") });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.path).toBe(api("Opportunities"));
    expect(post.body).toMatchObject({ companyID: company.id, ownerResourceID: owner, amount: 0, cost: 0, probability: 0, useQuoteTotals: false, projectedCloseDate: "2099-06-30T00:00:00" });
    expect(result.item).toMatchObject({ title: "Firewall refresh", stageLabel: "Proposal", companyName: company.companyName });
  });

  test("create_quote with several open opportunities lists them", async () => {
    const open = ctx.defaultOf("Opportunities", "status");
    const openOf = (companyId: unknown) => ctx.store().all("Opportunities").filter((o) => o.companyID === companyId && o.status === open);
    const first = ctx.store().all("Opportunities").find((o) => o.status === open)!;
    if (openOf(first.companyID).length < 2) {
      await ctx.ok("autotask_create_opportunity", {
        title: "Second deal",
        companyId: first.companyID,
        ownerResourceId: first.ownerResourceID,
        status: open,
        stage: ctx.defaultOf("Opportunities", "stage"),
        projectedCloseDate: "2099-06-30",
        startDate: "2099-01-15",
      });
    }
    const candidates = openOf(first.companyID);
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    ctx.requests();
    const error = await ctx.fail("autotask_create_quote", { companyId: first.companyID });
    expect(error).toContain("several open opportunities");
    for (const o of candidates) expect(error).toContain(String(o.id));
    expect(writes(ctx.requests())).toHaveLength(0);
  });
});

describe("contracts and invoices", () => {
  test("search_contracts applies every filter", async () => {
    const target = ctx.store().all("Contracts").find((c) => String(c.contractName).includes("Block Hours"))!;
    const result = await ctx.ok("autotask_search_contracts", { searchTerm: "block hours", companyID: target.companyID, status: target.status });
    expect(result.items.map((row: Row) => row.id)).toEqual([target.id]);
    expect(result.items[0]).toMatchObject({ contractTypeLabel: "Block Hours", companyName: ctx.store().get("Companies", target.companyID as number)!.companyName });
    const sent = conditions(queryFilters(ctx.requests(), "Contracts")[0]);
    expect(sent).toContainEqual({ op: "contains", field: "contractName", value: "block hours" });
    expect(sent).toContainEqual({ op: "eq", field: "companyID", value: target.companyID });
    expect(sent).toContainEqual({ op: "eq", field: "status", value: target.status });
  });

  test("get_contract shows services with names and block hours remaining", async () => {
    const blocks = ctx.store().all("ContractBlocks");
    const contract = ctx.store().get("Contracts", blocks[0]!.contractID as number)!;
    const own = blocks.filter((b) => b.contractID === contract.id);
    const result = await ctx.ok("autotask_get_contract", { contractId: contract.id });
    expect(result.item.blocks.map((b: Row) => b.id)).toEqual(own.map((b) => b.id));
    expect(result.item.blockHours.remaining).toBe(money(own.reduce((t, b) => t + Number(b.hours) - Number(b.hoursApproved), 0)));
    const managed = ctx.store().all("ContractServices")[0]!;
    const withServices = await ctx.ok("autotask_get_contract", { contractId: managed.contractID });
    const service = withServices.item.services.find((s: Row) => s.id === managed.id);
    expect(service.serviceName).toBe(ctx.store().get("Services", managed.serviceID as number)!.name);
    expect(await ctx.fail("autotask_get_contract", { contractId: 999999 })).toContain("Contract 999999 was not found");
  });

  test("search_invoices applies every filter", async () => {
    const voided = ctx.store().all("Invoices").find((i) => i.isVoided)!;
    const result = await ctx.ok("autotask_search_invoices", { companyID: voided.companyID, invoiceNumber: voided.invoiceNumber, isVoided: true });
    expect(result.items.map((row: Row) => row.id)).toEqual([voided.id]);
    const sent = conditions(queryFilters(ctx.requests(), "Invoices")[0]);
    expect(sent).toContainEqual({ op: "eq", field: "companyID", value: voided.companyID });
    expect(sent).toContainEqual({ op: "eq", field: "invoiceNumber", value: voided.invoiceNumber });
    expect(sent).toContainEqual({ op: "eq", field: "isVoided", value: true });
    const valid = await ctx.ok("autotask_search_invoices", { companyID: voided.companyID, isVoided: false });
    const validIds = ctx.store().all("Invoices").filter((i) => i.companyID === voided.companyID && i.isVoided === false).map((i) => i.id);
    expect(validIds.length).toBeGreaterThan(0);
    expect(valid.items.map((row: Row) => row.id)).toEqual(validIds);
  });

  test("get_invoice_details lists the billing items posted to it with names and totals", async () => {
    const items = ctx.store().all("BillingItems").filter((b) => b.invoiceID);
    const counts = new Map<unknown, number>();
    for (const b of items) counts.set(b.invoiceID, (counts.get(b.invoiceID) ?? 0) + 1);
    const invoiceId = [...counts].sort((a, b) => b[1] - a[1])[0]![0] as number;
    const lines = items.filter((b) => b.invoiceID === invoiceId);
    const result = await ctx.ok("autotask_get_invoice_details", { invoiceId });
    expect(result.item.invoiceNumber).toBe(ctx.store().get("Invoices", invoiceId)!.invoiceNumber);
    expect(result.item.lineItems.map((l: Row) => l.id)).toEqual(lines.map((l) => l.id));
    expect(result.item.totals).toMatchObject({ lineItemCount: lines.length, total: money(lines.reduce((t, l) => t + Number(l.totalAmount), 0)) });
    expect(result.item.lineItems[0].billingItemTypeLabel).toBe("Labor");
    expect(result.item.lineItems.some((l: Row) => l.ticketName || l.projectName)).toBe(true);
    expect(await ctx.fail("autotask_get_invoice_details", { invoiceId: 999999 })).toContain("Invoice 999999 was not found");
  });
});
