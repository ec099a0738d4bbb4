/**
 * A contract's recurring lines through the real CLI over stdio against the sandbox: service and
 * bundle lines and their unit rows (activeOn), the monthly recurring revenue checked against the
 * seeded unit rows (and its period and price-basis rules), and service lines added and changed
 * through the contract's URL — with the refusals (adjustedPrice, contract type, fixed fields) sending
 * nothing.
 */
import { describe, expect, test } from "bun:test";
import { callApi } from "../helpers/sandbox-api.ts";
import { queryFilters, sent, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();

const today = () => new Date().toISOString().slice(0, 10);
const wire = (date: string) => `${date}T00:00:00`;
const money = (value: number) => Math.round(value * 100) / 100;
const covers = (row: Row, date: string) => String(row.startDate).slice(0, 10) <= date && String(row.endDate).slice(0, 10) >= date;
const api = (path: string, body: Row) => callApi(ctx.sandbox, path, { method: "PATCH", body });
const recurringType = () => ctx.valueOf("Contracts", "contractType", "Recurring Service");

/** A Recurring Service contract with service and bundle lines that have unit rows covering today. */
function contractWithBoth(): Row {
  const bundles = ctx.store().all("ContractServiceBundles");
  const units = ctx.store().all("ContractServiceUnits");
  return ctx
    .store()
    .all("Contracts")
    .find((c) => bundles.some((b) => b.contractID === c.id) && units.some((u) => u.contractID === c.id && covers(u, today())))!;
}

describe("lines and unit rows", () => {
  test("search_contract_services and _bundles list a contract's lines with their catalog names", async () => {
    const contract = contractWithBoth();
    const services = await ctx.ok("autotask_search_contract_services", { contractID: contract.id });
    const stored = ctx.store().all("ContractServices").filter((l) => l.contractID === contract.id);
    expect(services.items.map((row: Row) => row.id)).toEqual(stored.map((l) => l.id));
    expect(services.items[0].serviceName).toBe(ctx.store().get("Services", stored[0]!.serviceID as number)!.name);
    const bundles = await ctx.ok("autotask_search_contract_service_bundles", { contractId: contract.id });
    const storedBundles = ctx.store().all("ContractServiceBundles").filter((l) => l.contractID === contract.id);
    expect(bundles.items.map((row: Row) => [row.id, row.adjustedPrice, row.serviceBundleName])).toEqual(
      storedBundles.map((l) => [l.id, l.adjustedPrice, ctx.store().get("ServiceBundles", l.serviceBundleID as number)!.name]),
    );
    const requests = ctx.requests();
    for (const entity of ["ContractServices", "ContractServiceBundles"]) expect(queryFilters(requests, entity)[0]).toEqual([{ op: "eq", field: "contractID", value: contract.id }]);
  });

  test("the unit searches return the rows whose period covers activeOn (default today)", async () => {
    const contract = contractWithBoth();
    for (const [tool, entity] of [
      ["autotask_search_contract_service_units", "ContractServiceUnits"],
      ["autotask_search_contract_service_bundle_units", "ContractServiceBundleUnits"],
    ] as const) {
      const rows = ctx.store().all(entity).filter((u) => u.contractID === contract.id);
      const current = await ctx.ok(tool, { contractID: contract.id, pageSize: 500 });
      expect(current.items.map((row: Row) => row.id)).toEqual(rows.filter((u) => covers(u, today())).map((u) => u.id));
      expect(current.note).toBe(`activeOn ${today()} (today, UTC)`);
      expect(queryFilters(ctx.requests(), entity)[0]).toEqual([
        { op: "eq", field: "contractID", value: contract.id },
        { op: "lte", field: "startDate", value: wire(today()) },
        { op: "gte", field: "endDate", value: wire(today()) },
      ]);
      const earlier = String(rows[0]!.startDate).slice(0, 10);
      const previous = await ctx.ok(tool, { contractID: contract.id, activeOn: earlier, pageSize: 500 });
      expect(previous.items.map((row: Row) => row.id)).toEqual(rows.filter((u) => covers(u, earlier)).map((u) => u.id));
      expect(previous.items.every((row: Row) => row.startDate <= earlier && row.endDate >= earlier)).toBe(true);
      expect(previous.note).toBeUndefined();
    }
    const none = await ctx.ok("autotask_search_contract_service_units", { contractID: contract.id, activeOn: "2001-01-01" });
    expect(none.items).toEqual([]);
  });
});

describe("get_contract_recurring_lines", () => {
  /** The seeded truth for a contract: each line's units on the day, at its price per unit. */
  function expected(contract: Row, date: string) {
    const kinds = [
      ["service", "ContractServices", "ContractServiceUnits", "contractServiceID"],
      ["bundle", "ContractServiceBundles", "ContractServiceBundleUnits", "contractServiceBundleID"],
    ] as const;
    return kinds.flatMap(([kind, lines, units, link]) =>
      ctx
        .store()
        .all(lines)
        .filter((line) => line.contractID === contract.id)
        .map((line) => {
          const rows = ctx.store().all(units).filter((u) => u[link] === line.id && covers(u, date));
          const count = rows.reduce((sum, u) => sum + Number(u.units), 0);
          return { kind, id: line.id, units: count, monthly: money(rows.reduce((sum, u) => sum + Number(u.units) * Number(u.price), 0)) };
        }),
    );
  }

  test("each service and bundle line's units on activeOn times its price, per month, and the totals", async () => {
    const contract = contractWithBoth();
    const result = await ctx.ok("autotask_get_contract_recurring_lines", { contractID: contract.id });
    const truth = expected(contract, today());
    expect(truth.some((line) => line.kind === "bundle" && line.units > 0)).toBe(true);
    const byId = (rows: Row[]) => [...rows].map((line) => [line.kind, line.id, line.units, line.monthly]).sort((a, b) => String(a).localeCompare(String(b)));
    expect(byId(result.lines)).toEqual(byId(truth));
    expect(result.lines.every((line: Row) => line.period === "Monthly" && line.priceBasis === undefined)).toBe(true);
    expect(result.monthlyTotal).toBe(money(truth.reduce((sum, line) => sum + line.monthly, 0)));
    expect(result.monthlyTotal).toBeGreaterThan(0);
    expect(result.lines.map((line: Row) => line.monthly)).toEqual([...result.lines.map((line: Row) => line.monthly)].sort((a, b) => b - a));
    expect(result.contract).toMatchObject({ id: contract.id, contractName: contract.contractName, contractTypeLabel: "Recurring Service" });
    expect(result.activeOn).toBe(today());
    expect(result.rule).toContain("Quarterly 3");
    const requests = ctx.requests();
    expect(sent(requests, "GET", new RegExp(`^Contracts/${contract.id}$`))).toHaveLength(1);
    expect(queryFilters(requests, "ContractServiceBundleUnits")[0]).toContainEqual({ op: "gte", field: "endDate", value: wire(today()) });

    const past = await ctx.ok("autotask_get_contract_recurring_lines", { contractID: contract.id, activeOn: "2001-01-01" });
    expect(past.monthlyTotal).toBe(0);
    const lineKeys = (rows: Row[]) => rows.map((line) => `${line.kind} ${line.id}`).sort();
    expect(lineKeys(past.lines)).toEqual(lineKeys(truth));
    expect(past.lines.every((line: Row) => line.units === 0 && line.note === "No unit row covers activeOn")).toBe(true);
    expect(await ctx.fail("autotask_get_contract_recurring_lines", { contractID: 999999 })).toContain("Contract 999999 was not found");
  });

  test("the catalog item's period turns a period's price into a month; a row holding the period's total is read as such", async () => {
    const contract = contractWithBoth();
    const line = ctx
      .store()
      .all("ContractServices")
      .find((l) => l.contractID === contract.id && ctx.store().all("ContractServiceUnits").some((u) => u.contractServiceID === l.id && covers(u, today()) && Number(u.units) > 1))!;
    const row = ctx.store().all("ContractServiceUnits").find((u) => u.contractServiceID === line.id && covers(u, today()))!;
    const lineOf = async () => (await ctx.ok("autotask_get_contract_recurring_lines", { contractID: contract.id })).lines.find((l: Row) => l.kind === "service" && l.id === line.id);
    const serviceId = line.serviceID as number;
    const monthly = ctx.store().get("Services", serviceId)!.periodType;
    try {
      expect((await api("Services", { id: serviceId, periodType: ctx.valueOf("Services", "periodType", "Quarterly") })).status).toBe(200);
      expect(await lineOf()).toMatchObject({ period: "Quarterly", units: row.units, periodPrice: money(Number(row.units) * Number(row.price)), monthly: money((Number(row.units) * Number(row.price)) / 3) });
      await api("Services", { id: serviceId, periodType: ctx.valueOf("Services", "periodType", "Yearly") });
      expect((await lineOf()).monthly).toBe(money((Number(row.units) * Number(row.price)) / 12));
    } finally {
      await api("Services", { id: serviceId, periodType: monthly });
    }
    // Live tenants have been seen to store units x price in the row: when the row's price is the
    // line's price times its units, it is the period's total, not a price per unit.
    try {
      await api(`Contracts/${contract.id}/Services`, { id: line.id, unitPrice: Number(row.price) / Number(row.units) });
      expect(await lineOf()).toMatchObject({ priceBasis: "period total", periodPrice: money(Number(row.price)), monthly: money(Number(row.price)) });
    } finally {
      await api(`Contracts/${contract.id}/Services`, { id: line.id, unitPrice: line.unitPrice });
    }
  });
});

describe("service lines written through the contract", () => {
  function recurringContractWithFreeService() {
    const lines = ctx.store().all("ContractServices");
    const contract = ctx.store().all("Contracts").find((c) => c.contractType === recurringType() && c.status === 1 && lines.some((l) => l.contractID === c.id))!;
    const taken = new Set(lines.filter((l) => l.contractID === contract.id).map((l) => l.serviceID));
    return { contract, service: ctx.store().all("Services").find((s) => s.isActive && !taken.has(s.id))! };
  }

  test("create_contract_service POSTs to Contracts/{id}/Services; an adjustedPrice equal to unitPrice is that price", async () => {
    const { contract, service } = recurringContractWithFreeService();
    const result = await ctx.ok("autotask_create_contract_service", {
      contractID: contract.id,
      serviceID: service.id,
      unitPrice: 42.5,
      adjustedPrice: 42.5,
      unitCost: 20,
      invoiceDescription: "Managed printers",
    });
    const [post] = writes(ctx.requests());
    expect(post).toMatchObject({ method: "POST", path: `/ATServicesRest/V1.0/Contracts/${contract.id}/Services` });
    expect(post!.body).toEqual({ contractID: contract.id, serviceID: service.id, unitPrice: 42.5, unitCost: 20, invoiceDescription: "Managed printers" });
    expect(result.item).toMatchObject({ id: result.id, serviceName: service.name, unitPrice: 42.5 });
    // A new line has no unit rows yet: it is listed with none.
    const lines = await ctx.ok("autotask_get_contract_recurring_lines", { contractID: contract.id });
    expect(lines.lines.find((line: Row) => line.id === result.id)).toMatchObject({ units: 0, monthly: 0, note: "No unit row covers activeOn" });
  });

  test("update_contract_service PATCHes price and invoice text through the contract; adjustedPrice is sent as unitPrice", async () => {
    const line = ctx.store().all("ContractServices")[0]!;
    const result = await ctx.ok("autotask_update_contract_service", { id: line.id, contractID: line.contractID, adjustedPrice: 61, invoiceDescription: "Endpoints", serviceID: line.serviceID });
    expect(result.updated.sort()).toEqual(["invoiceDescription", "unitPrice"]);
    expect(writes(ctx.requests())).toEqual([
      expect.objectContaining({ method: "PATCH", path: `/ATServicesRest/V1.0/Contracts/${line.contractID}/Services`, body: { id: line.id, invoiceDescription: "Endpoints", unitPrice: 61 } }),
    ]);
    expect(ctx.store().get("ContractServices", line.id as number)).toMatchObject({ unitPrice: 61, invoiceDescription: "Endpoints", serviceID: line.serviceID });
  });

  test("refused before anything is sent: adjustedPrice contradicting unitPrice, a contract that is not Recurring Service, fixed fields, another contract's line", async () => {
    const { contract, service } = recurringContractWithFreeService();
    const adjusted = await ctx.fail("autotask_create_contract_service", { contractID: contract.id, serviceID: service.id, unitPrice: 50, adjustedPrice: 45 });
    expect(adjusted).toContain("adjustedPrice (45) and unitPrice (50) differ");
    expect(adjusted).toContain("Autotask's ContractServices entity has no adjustedPrice");
    const block = ctx.store().all("Contracts").find((c) => c.contractType === ctx.valueOf("Contracts", "contractType", "Block Hours"))!;
    expect(await ctx.fail("autotask_create_contract_service", { contractID: block.id, serviceID: service.id, unitPrice: 50 })).toBe(
      `Contract ${block.id} (${block.contractName}) is a Block Hours contract: Autotask adds services only to Recurring Service contracts (contractType ${recurringType()}). Find one with autotask_search_contracts contractType: ${recurringType()}. Nothing was sent.`,
    );

    const line = ctx.store().all("ContractServices")[1]!;
    const update = (args: Row) => ctx.fail("autotask_update_contract_service", { id: line.id, contractID: line.contractID, ...args });
    expect(await update({ serviceID: service.id, unitPrice: 10 })).toStartWith(`serviceID cannot be changed on an existing contract service (it is ${line.serviceID}); only unitPrice, internalCurrencyUnitPrice and invoiceDescription can.`);
    expect(await update({ unitCost: Number(line.unitCost) + 1 })).toStartWith("unitCost cannot be changed");
    expect(await update({ unitPrice: 10, adjustedPrice: 11 })).toContain("adjustedPrice (11) and unitPrice (10) differ");
    const other = ctx.store().all("Contracts").find((c) => c.id !== line.contractID)!;
    expect(await ctx.fail("autotask_update_contract_service", { id: line.id, contractID: other.id, unitPrice: 10 })).toBe(
      `Contract service ${line.id} is on contract ${line.contractID}, not ${other.id}: pass contractID ${line.contractID}. Nothing was sent.`,
    );
    expect(writes(ctx.requests())).toHaveLength(0);
    expect(ctx.store().get("ContractServices", line.id as number)).toEqual(line);
  });
});
