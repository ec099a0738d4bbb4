/**
 * Contract headers with the original's newest argument sets, through the real CLI over stdio against
 * the sandbox: get (id, and this server's earlier contractId), search by type and end date, create and
 * update, the bulk create (per-item results; an invalid item refuses the batch; unknown outcomes never
 * resent; a time limit answered in time) and the expiring-contracts report.
 */
import { describe, expect, test } from "bun:test";
import latest from "../fixtures/anchor-tools-latest.json" with { type: "json" };
import { apiPath, queryFilters, sandboxSession, sent, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();

const DAY = 86_400_000;
/** A calendar date `offset` days from today (UTC), and how Autotask receives it. */
const day = (offset = 0) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const wire = (date: string) => `${date}T00:00:00`;
const flat = (filter: unknown): Row[] => (filter as Row[]).flatMap((item) => (item.items ? flat(item.items) : [item]));
const contactOf = (companyId: unknown) => ctx.store().all("Contacts").find((c) => c.companyID === companyId)!;
const customers = () => ctx.store().all("Companies").filter((c) => c.companyType === 1 && c.id !== 0);

type Listed = { type?: string | string[]; minimum?: number; maximum?: number; minItems?: number; maxItems?: number };
type Anchor = { name: string; args: Record<string, Listed & { type: string }>; required: string[] };

test("every contract tool of the original's newest lines: each argument under its name and type, required as every line requires, bounds as wide", async () => {
  const listed = new Map((await ctx.session.client.listTools()).tools.map((tool) => [tool.name, tool]));
  const anchors = (latest as unknown as Anchor[]).filter((anchor) => anchor.name.includes("contract"));
  expect(anchors).toHaveLength(13);
  for (const anchor of anchors) {
    const tool = listed.get(anchor.name);
    expect(tool, anchor.name).toBeDefined();
    const properties = tool!.inputSchema.properties as Record<string, Listed>;
    for (const [name, theirs] of Object.entries(anchor.args)) {
      const ours = properties[name];
      expect(ours, `${anchor.name}.${name}`).toBeDefined();
      expect([ours!.type].flat(), `${anchor.name}.${name}`).toContain(theirs.type);
      for (const low of ["minimum", "minItems"] as const) if (ours![low] !== undefined && theirs[low] !== undefined) expect(ours![low]!).toBeLessThanOrEqual(theirs[low]!);
      for (const high of ["maximum", "maxItems"] as const) if (ours![high] !== undefined && theirs[high] !== undefined) expect(ours![high]!).toBeGreaterThanOrEqual(theirs[high]!);
    }
    expect([...(tool!.inputSchema.required ?? [])].sort(), anchor.name).toEqual([...anchor.required].sort());
  }
});

describe("get and search", () => {
  test("get_contract takes id, and contractId (this server's earlier spelling) unless they disagree", async () => {
    const contract = ctx.store().all("Contracts")[0]!;
    expect((await ctx.ok("autotask_get_contract", { id: contract.id })).item).toMatchObject({ id: contract.id, contractName: contract.contractName });
    expect((await ctx.ok("autotask_get_contract", { contractId: contract.id })).item.id).toBe(contract.id);
    ctx.requests();
    const both = await ctx.fail("autotask_get_contract", { id: contract.id, contractId: Number(contract.id) + 1 });
    expect(both).toContain("id and contractId are two spellings of id with different values");
    expect(ctx.requests()).toHaveLength(0);
  });

  test("search_contracts filters by contractType (label or value) and an end-date range", async () => {
    const recurring = ctx.valueOf("Contracts", "contractType", "Recurring Service");
    const [from, to] = [day(0), day(90)];
    const result = await ctx.ok("autotask_search_contracts", { contractType: "Recurring Service", endDateFrom: from, endDateTo: to, pageSize: 500 });
    const expected = ctx
      .store()
      .all("Contracts")
      .filter((c) => c.contractType === recurring && String(c.endDate).slice(0, 10) >= from && String(c.endDate).slice(0, 10) <= to);
    expect(expected.length).toBeGreaterThan(0);
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((c) => c.id));
    expect(result.items.every((row: Row) => row.contractTypeLabel === "Recurring Service")).toBe(true);
    const filter = flat(queryFilters(ctx.requests(), "Contracts")[0]);
    expect(filter).toContainEqual({ op: "eq", field: "contractType", value: recurring });
    expect(filter).toContainEqual({ op: "gte", field: "endDate", value: wire(from) });
    expect(filter).toContainEqual({ op: "lte", field: "endDate", value: wire(to) });

    expect(await ctx.fail("autotask_search_contracts", { endDateFrom: to, endDateTo: from })).toContain(`endDateTo (${from}) is before endDateFrom (${to})`);
    expect(ctx.requests()).toHaveLength(0);
  });
});

describe("create and update", () => {
  test("create_contract sends every header argument by its Autotask name, with the tenant's default status and the time flag 0", async () => {
    const company = customers()[0]!;
    const contact = contactOf(company.id);
    const result = await ctx.ok("autotask_create_contract", {
      companyID: company.id,
      contractName: "Managed Print",
      contractType: "Recurring Service",
      contractCategory: "Managed Services",
      startDate: "2026-03-10T22:30:00-05:00",
      endDate: "2027-03-09",
      contactID: contact.id,
      contractNumber: "MP-1",
      contractPeriodType: "Monthly",
      description: "Printers and toner",
      estimatedRevenue: 12000,
      setupFee: 250,
      purchaseOrderNumber: "PO-77",
      billingPreference: "Manual",
      isDefaultContract: false,
    });
    const post = writes(ctx.requests())[0]!;
    expect(post).toMatchObject({ method: "POST", path: "/ATServicesRest/V1.0/Contracts" });
    expect(post.body).toEqual({
      companyID: company.id,
      contractName: "Managed Print",
      contractType: ctx.valueOf("Contracts", "contractType", "Recurring Service"),
      contractCategory: ctx.valueOf("Contracts", "contractCategory", "Managed Services"),
      startDate: wire("2026-03-10"),
      endDate: wire("2027-03-09"),
      contactID: contact.id,
      contractNumber: "MP-1",
      contractPeriodType: ctx.valueOf("Contracts", "contractPeriodType", "Monthly"),
      description: "Printers and toner",
      estimatedRevenue: 12000,
      setupFee: 250,
      purchaseOrderNumber: "PO-77",
      billingPreference: ctx.valueOf("Contracts", "billingPreference", "Manual"),
      isDefaultContract: false,
      status: ctx.defaultOf("Contracts", "status"),
      timeReportingRequiresStartAndStopTimes: 0,
    });
    expect(result.item).toMatchObject({ id: result.id, companyName: company.companyName, contractTypeLabel: "Recurring Service", startDate: "2026-03-10", endDate: "2027-03-09" });
  });

  test("create_contract refuses before sending: contractCategory missing, end before start, a time flag other than 0 or 1", async () => {
    const base = { companyID: customers()[0]!.id, contractName: "X", contractType: 1, contractCategory: 1, startDate: "2026-01-01", endDate: "2026-12-31" };
    const { contractCategory: _, ...uncategorised } = base;
    expect(await ctx.fail("autotask_create_contract", uncategorised)).toContain("contractCategory: is required");
    expect(await ctx.fail("autotask_create_contract", { ...base, endDate: "2025-12-31" })).toContain("endDate (2025-12-31) is before startDate (2026-01-01)");
    expect(await ctx.fail("autotask_create_contract", { ...base, timeReportingRequiresStartAndStopTimes: 2 })).toContain("must be 0 or 1");
    expect(writes(ctx.requests())).toHaveLength(0);
  });

  test("update_contract PATCHes only the arguments given", async () => {
    const contract = ctx.store().all("Contracts").find((c) => c.status === 1)!;
    const result = await ctx.ok("autotask_update_contract", { id: contract.id, endDate: "2031-06-30", contractName: "Renewed", overageBillingRate: 150 });
    expect(result.updated.sort()).toEqual(["contractName", "endDate", "overageBillingRate"]);
    expect(writes(ctx.requests())).toEqual([
      expect.objectContaining({ method: "PATCH", path: "/ATServicesRest/V1.0/Contracts", body: { id: contract.id, endDate: wire("2031-06-30"), contractName: "Renewed", overageBillingRate: 150 } }),
    ]);
    expect(ctx.store().get("Contracts", contract.id as number)).toMatchObject({ contractName: "Renewed", endDate: "2031-06-30T00:00:00.000Z", overageBillingRate: 150 });
  });
});

describe("create_contracts_bulk", () => {
  const item = (company: Row, name: string, extra: Row = {}) => ({
    companyID: company.id,
    contractName: name,
    contractType: "Time & Materials",
    contractCategory: "Support Agreement",
    startDate: "2026-07-01",
    endDate: "2027-06-30",
    ...extra,
  });

  test("creates in order with a result per item; an item Autotask refuses fails alone and the rest go on", async () => {
    const [a, b, c] = customers();
    const stranger = contactOf(c!.id);
    const result = await ctx.ok("autotask_create_contracts_bulk", {
      contracts: [item(a!, "Bulk A"), item(b!, "Bulk B", { contractType: 7 }), item(a!, "Bulk C", { contactID: stranger.id }), item(c!, "Bulk D")],
    });
    const posts = sent(ctx.requests(), "POST", /^Contracts$/);
    expect(posts.map((p) => (p.body as Row).contractName)).toEqual(["Bulk A", "Bulk B", "Bulk C", "Bulk D"]);
    expect(result).toMatchObject({ created: 3, failed: 1, unknown: 0, notSent: 0 });
    expect(result.results.map((r: Row) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(result.results[2].error).toContain(`Contact ${stranger.id} does not belong to company ${a!.id}`);
    for (const r of result.results.filter((r: Row) => r.ok)) expect(ctx.store().get("Contracts", r.id)!.contractName).toBe(r.contractName);
    expect(result.message).toBe("Created 3 of 4 contracts (contracts[0], [1], [3]). Failed: contracts[2]; fix and send only these again.");
  });

  test("an item that fails a check that can be made first refuses the whole batch, naming each problem; nothing is sent", async () => {
    const [a] = customers();
    const error = await ctx.fail("autotask_create_contracts_bulk", {
      contracts: [
        item(a!, "Fine"),
        item(a!, "Bad date", { endDate: "2027-02-30" }),
        { companyID: a!.id, contractType: 1, contractCategory: 1, startDate: "2026-01-01", endDate: "2026-12-31" },
        item(a!, "Bad type", { contractType: "Timeshare" }),
        item(a!, "Backwards", { endDate: "2026-01-01" }),
        item(a!, "Unknown field", { colour: "blue" }),
      ],
    });
    expect(error).toStartWith("Nothing was created: fix these and send the batch again.");
    expect(error).toContain("contracts[1]: endDate: must be a calendar date such as 2026-11-26");
    expect(error).toContain("contracts[2]: contractName: is required");
    expect(error).toContain('contracts[3]: contractType: "Timeshare" is not a contractType label');
    expect(error).toContain("contracts[4]: endDate (2026-01-01) is before startDate (2026-07-01)");
    expect(error).toContain('contracts[5]: Unknown argument "colour".');
    expect(error).not.toContain("contracts[0]");
    const unknownCompany = await ctx.fail("autotask_create_contracts_bulk", { contracts: [item(a!, "One"), item({ id: 999999 }, "Two")] });
    expect(unknownCompany).toContain("contracts[1]: company 999999 was not found");
    expect(writes(ctx.requests())).toHaveLength(0);
    expect(await ctx.fail("autotask_create_contracts_bulk", { contracts: [] })).toContain("contracts: must be at least 1 items");
    const tooMany = Array.from({ length: 51 }, (_, i) => item(a!, `N${i}`));
    expect(await ctx.fail("autotask_create_contracts_bulk", { contracts: tooMany })).toContain("contracts: must be at most 50 items, got 51 items");
  });

  test("against a failing or slow Autotask: an unknown outcome is reported and never resent, the time limit is kept, a refusal of the integration stops the batch", async () => {
    // A tool call has 4 s here (Autotask's own request timeout stays 30 s).
    const slow = await sandboxSession({ env: { MCP_TOOL_TIMEOUT_SECONDS: "4" } });
    try {
      const [a, b, c] = slow.sandbox.store().all("Companies").filter((co) => co.companyType === 1 && co.id !== 0);
      const batch = (prefix: string) => [item(a!, `${prefix} 1`), item(b!, `${prefix} 2`), item(c!, `${prefix} 3`)];
      const create = /Contracts$/;
      const posted = () => sent(slow.requests(), "POST", /^Contracts$/).map((p) => (p.body as Row).contractName);
      const outcomes = (result: Row) => result.results.map((r: Row) => (r.ok ? "created" : r.unknown ? "unknown" : r.notSent ? "not sent" : "failed"));
      await slow.session.ok("autotask_search_contracts", { pageSize: 1 }); // zone and metadata warm
      slow.requests();

      // The connection drops on the second create: it may have been carried out, so it is not resent
      // and the third is not sent.
      slow.sandbox.faults.inject({ method: "POST", path: create, delayMs: 0, times: 1 });
      slow.sandbox.faults.inject({ method: "POST", path: create, networkError: true, times: 1 });
      const dropped = await slow.session.ok("autotask_create_contracts_bulk", { contracts: batch("Dropped") });
      expect(outcomes(dropped)).toEqual(["created", "unknown", "not sent"]);
      expect(dropped).toMatchObject({ created: 1, failed: 0, unknown: 1, notSent: 1 });
      expect(dropped.results[2].error).toBe("Not sent: contracts[1]'s outcome is unknown.");
      expect(dropped.message).toContain("Outcome unknown: contracts[1]; they may exist — check with autotask_search_contracts before sending them again.");
      expect(posted()).toEqual(["Dropped 1", "Dropped 2"]);

      // The second create is still waiting when the call's time is nearly up: the call answers in
      // time, and that item is reported as unknown — it does reach Autotask afterwards.
      slow.sandbox.faults.inject({ method: "POST", path: create, delayMs: 0, times: 1 });
      slow.sandbox.faults.inject({ method: "POST", path: create, delayMs: 5000, times: 1 });
      const late = await slow.session.ok("autotask_create_contracts_bulk", { contracts: batch("Late") });
      expect(outcomes(late)).toEqual(["created", "unknown", "not sent"]);
      expect(late.results[1].error).toBe("No answer from Autotask before the call's time limit: it may still be created.");
      const landed = () => slow.sandbox.store().all("Contracts").some((co) => co.contractName === "Late 2");
      for (let waited = 0; !landed() && waited < 5000; waited += 100) await Bun.sleep(100);
      expect(landed()).toBe(true);
      expect(posted()).toEqual(["Late 1", "Late 2"]);

      // Every create takes 1.5 s: no item is started too late to report on.
      slow.sandbox.faults.inject({ method: "POST", path: create, delayMs: 1500, times: 3 });
      const timed = await slow.session.ok("autotask_create_contracts_bulk", { contracts: batch("Timed") });
      const order = ["created", "unknown", "not sent"];
      expect(outcomes(timed)).toEqual([...outcomes(timed)].sort((x: string, y: string) => order.indexOf(x) - order.indexOf(y)));
      expect(timed.notSent).toBeGreaterThanOrEqual(1);
      expect(timed.results.at(-1).error).toStartWith("Not sent: ");
      expect(posted()).toHaveLength(timed.created + timed.unknown);

      // Rate-limited on the second: Autotask did nothing with it, and would refuse the third too.
      slow.sandbox.faults.clear(); // the third 1.5 s delay was not used
      slow.sandbox.faults.inject({ method: "POST", path: create, delayMs: 0, times: 1 });
      slow.sandbox.faults.inject({ method: "POST", path: create, status: 429, headers: { "Retry-After": "1" }, body: { errors: ["Rate limit exceeded"] }, times: 1 });
      const limited = await slow.session.ok("autotask_create_contracts_bulk", { contracts: batch("Limited") });
      expect(outcomes(limited)).toEqual(["created", "failed", "not sent"]);
      expect(limited.results[1].error).toContain("HTTP 429");
      expect(limited.results[2].error).toBe("Not sent: Autotask refused contracts[1] for a reason that applies to every item (rate-limited).");
      expect(posted()).toEqual(["Limited 1", "Limited 2"]);
    } finally {
      await slow.close();
    }
  }, 30_000);
});

describe("list_expiring_contracts", () => {
  const ending = (from: string, to: string) =>
    ctx
      .store()
      .all("Contracts")
      .filter((c) => String(c.endDate).slice(0, 10) >= from && String(c.endDate).slice(0, 10) <= to);
  const byEnd = (rows: Row[]) => [...rows].sort((x, y) => String(x.endDate).localeCompare(String(y.endDate)) || x.id - y.id).map((c) => c.id);

  test("contracts ending within daysAhead (default 60), soonest first, with days to go", async () => {
    const result = await ctx.ok("autotask_list_expiring_contracts", { pageSize: 500 });
    expect(result.items.map((row: Row) => row.id)).toEqual(byEnd(ending(day(0), day(60))));
    expect(result.items.length).toBeGreaterThan(1);
    for (const row of result.items) expect(row.daysToEnd).toBe(Math.round((Date.parse(row.endDate) - Date.parse(day(0))) / DAY));
    expect(result.note).toBe(`Ending from ${day(0)} to ${day(60)} (today + 60 days), soonest first.`);
    const filter = flat(queryFilters(ctx.requests(), "Contracts")[0]);
    expect(filter).toContainEqual({ op: "lte", field: "endDate", value: wire(day(60)) });
    expect(filter).toContainEqual({ op: "gte", field: "endDate", value: wire(day(0)) });

    const month = await ctx.ok("autotask_list_expiring_contracts", { daysAhead: 30, pageSize: 2 });
    expect(month.items.map((row: Row) => row.id)).toEqual(byEnd(ending(day(0), day(30))).slice(0, 2));
  });

  test("includeExpired adds contracts already ended; companyID and status narrow it", async () => {
    const result = await ctx.ok("autotask_list_expiring_contracts", { daysAhead: 90, includeExpired: true, status: "Active", pageSize: 500 });
    const active = ctx.valueOf("Contracts", "status", "Active");
    const expected = ctx
      .store()
      .all("Contracts")
      .filter((c) => String(c.endDate).slice(0, 10) <= day(90) && c.status === active);
    expect(result.items.map((row: Row) => row.id)).toEqual(byEnd(expected));
    expect(result.items.some((row: Row) => row.daysToEnd < 0)).toBe(true);
    expect(flat(queryFilters(ctx.requests(), "Contracts")[0]).some((c) => c.op === "gte")).toBe(false);

    const one = result.items.find((row: Row) => row.daysToEnd >= 0)!;
    const mine = await ctx.ok("autotask_list_expiring_contracts", { daysAhead: 90, companyID: one.companyID });
    expect(mine.items.every((row: Row) => row.companyID === one.companyID)).toBe(true);
    expect(mine.items.map((row: Row) => row.id)).toContain(one.id);

    expect(await ctx.fail("autotask_list_expiring_contracts", { daysAhead: -1 })).toContain("must be a whole number of days, 0 or more");
    expect(await ctx.fail("autotask_list_expiring_contracts", { status: 7 })).toContain("status 7 is not a valid value");
    expect(ctx.requests().filter((r) => apiPath(r) === "Contracts/query")).toHaveLength(1);
  });
});
