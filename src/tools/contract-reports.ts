/**
 * Contract reports, one call each instead of several searches: a contract's monthly recurring
 * revenue per service and bundle line, and the contracts ending soon (renewals due).
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { entity } from "../autotask/entities.ts";
import { compact, f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, day, DEFAULT_PAGE_SIZE, id, num, page, pageSize, picklist } from "./args.ts";
import { notFound } from "./crud.ts";
import { addDays, onOrAfter, onOrBefore, today } from "./dates.ts";
import { defineTool, type Tool } from "./define.ts";
import { present, presentOne, type Record_ } from "./format.ts";
import { listOutput } from "./paging.ts";
import { checkPicklistValue, picklistOf } from "./picklists.ts";

const round = (value: number) => Math.round(value * 100) / 100;
/** Prices agree to the cent. */
const same = (a: number, b: number) => Math.abs(a - b) < 0.005;

/**
 * How a period of a catalog item converts to a month, from the tenant's periodType label; undefined
 * when the label names no length. One-time items recur never: 0.
 */
function perMonth(label: string): number | undefined {
  if (/one[- ]?time/i.test(label)) return 0;
  if (/semi|half/i.test(label)) return 1 / 6;
  if (/quarter/i.test(label)) return 1 / 3;
  if (/year|annual/i.test(label)) return 1 / 12;
  if (/month/i.test(label)) return 1;
  if (/week/i.test(label)) return 52 / 12;
  return undefined;
}

const RULE =
  "monthly = units x unit price / months per period of the catalog item's periodType (Monthly 1, Quarterly 3, Semi-Annual 6, Yearly 12; Weekly: x 52/12; One-Time counts 0). Units are those of the unit rows covering activeOn; a row whose price equals units x the line's price holds the period's total and is read as such.";

interface LineKind {
  kind: "service" | "bundle";
  lines: string;
  units: string;
  /** The unit row's link to its line, and the line's catalog item. */
  lineField: string;
  itemField: string;
  catalog: string;
  /** The price per unit the contract charges for the line. */
  price(line: Row): number;
}

const KINDS: LineKind[] = [
  { kind: "service", lines: "ContractServices", units: "ContractServiceUnits", lineField: "contractServiceID", itemField: "serviceID", catalog: "Services", price: (line) => Number(line.unitPrice ?? 0) },
  {
    kind: "bundle",
    lines: "ContractServiceBundles",
    units: "ContractServiceBundleUnits",
    lineField: "contractServiceBundleID",
    itemField: "serviceBundleID",
    catalog: "ServiceBundles",
    price: (line) => Number(line.adjustedPrice ?? line.unitPrice ?? 0),
  },
];

/** One kind's lines of a contract, each with its units on `on` normalised to a month. */
async function recurringLines(ctx: ToolContext, kind: LineKind, contractId: number, on: string): Promise<Record_[]> {
  const byContract = [f.eq("contractID", contractId)];
  const [{ items: lines }, { items: units }] = await Promise.all([
    ctx.client.queryAll<Row>(kind.lines, { filter: byContract, includeFields: entity(kind.lines).summary }, 500),
    ctx.client.queryAll<Row>(kind.units, { filter: [...byContract, onOrBefore("startDate", on), onOrAfter("endDate", on)] }, 2000),
  ]);
  if (lines.length === 0) return [];
  const itemIds = [...new Set(lines.map((line) => line[kind.itemField]).filter((value): value is number => typeof value === "number"))];
  const [shown, { items: catalog }, periods] = await Promise.all([
    present(ctx, kind.lines, lines),
    itemIds.length ? ctx.client.queryAll<Row>(kind.catalog, { filter: [f.in("id", itemIds)], includeFields: ["id", "periodType"] }, itemIds.length) : { items: [] as Row[] },
    picklistOf(ctx, kind.catalog, "periodType"),
  ]);
  const periodOf = new Map(catalog.map((item) => [item.id, periods.find((value) => value.value === String(item.periodType))?.label ?? `periodType ${String(item.periodType)}`]));
  return lines.map((line, index) => {
    const price = kind.price(line);
    const rows = units.filter((row) => row[kind.lineField] === line.id);
    let count = 0;
    let periodPrice = 0;
    let periodCost = 0;
    let totals = false;
    for (const row of rows) {
      const rowUnits = Number(row.units ?? 0);
      // Per unit, as the sandbox models it; live tenants have been seen to store the period's total.
      const total = rowUnits > 1 && same(Number(row.price ?? 0), rowUnits * price) && !same(Number(row.price ?? 0), price);
      totals ||= total;
      count += rowUnits;
      periodPrice += total ? Number(row.price ?? 0) : rowUnits * Number(row.price ?? 0);
      periodCost += total ? Number(row.cost ?? 0) : rowUnits * Number(row.cost ?? 0);
    }
    const period = periodOf.get(line[kind.itemField] as number) ?? "unknown";
    const factor = perMonth(period);
    const { contractID: _contract, contractName: _name, ...described } = shown[index]!;
    return {
      kind: kind.kind,
      ...described,
      period,
      units: count,
      ...(rows.length ? { startDate: String(rows[0]!.startDate).slice(0, 10), endDate: String(rows[0]!.endDate).slice(0, 10) } : { note: "No unit row covers activeOn" }),
      periodPrice: round(periodPrice),
      monthly: factor === undefined ? null : round(periodPrice * factor),
      monthlyCost: factor === undefined ? null : round(periodCost * factor),
      ...(totals ? { priceBasis: "period total" } : {}),
    };
  });
}

const recurringOutput = z.object({
  contract: z.record(z.string(), z.unknown()),
  activeOn: z.string(),
  rule: z.string(),
  lines: z.array(z.record(z.string(), z.unknown())),
  monthlyTotal: z.number(),
  monthlyCost: z.number(),
  note: z.string().optional(),
});

/** Contracts read (and sorted by end date) per call: two Autotask pages. */
const EXPIRING_CAP = 1000;
/** The original's default window, in days. */
const DAYS_AHEAD = 60;

const CONTRACT_FIELDS = ["id", "contractName", "contractNumber", "companyID", "contractType", "status", "startDate", "endDate"];

export const contractReportTools: Tool[] = [
  defineTool({
    name: "autotask_get_contract_recurring_lines",
    title: "Contract recurring revenue",
    description:
      "A contract's monthly recurring revenue per service and bundle line, from units on activeOn (default today).",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    input: z.object({ contractID: id(), activeOn: day().optional() }),
    output: recurringOutput,
    annotations: { readOnly: true },
    fanOut: true,
    async run(args, ctx) {
      const on = args.activeOn ?? today();
      const contract = await ctx.client.get<Row>("Contracts", args.contractID);
      if (!contract) throw notFound("Contract", args.contractID);
      const [header, ...kinds] = await Promise.all([
        presentOne(ctx, "Contracts", Object.fromEntries(CONTRACT_FIELDS.map((field) => [field, contract[field]])) as Row),
        ...KINDS.map((kind) => recurringLines(ctx, kind, args.contractID, on)),
      ]);
      const lines = kinds.flat().sort((a, b) => Number(b.monthly ?? 0) - Number(a.monthly ?? 0));
      const priced = lines.filter((line) => line.monthly !== null);
      const total = (field: string) => round(priced.reduce((sum, line) => sum + Number(line[field]), 0));
      const unpriced = lines.filter((line) => line.monthly === null).map((line) => line.period);
      return {
        contract: header,
        activeOn: on,
        rule: RULE,
        lines,
        monthlyTotal: total("monthly"),
        monthlyCost: total("monthlyCost"),
        ...(lines.length === 0 ? { note: "This contract has no service or bundle lines." } : {}),
        ...(unpriced.length ? { note: `Left out of the totals: ${unpriced.length} line(s) whose period (${[...new Set(unpriced)].join(", ")}) names no length.` } : {}),
      };
    },
  }),

  defineTool({
    name: "autotask_list_expiring_contracts",
    title: "List expiring contracts",
    description:
      `Contracts ending within daysAhead days (default ${DAYS_AHEAD}), soonest first; includeExpired adds those already ended.`,
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    input: z.object({
      daysAhead: num().refine((value) => Number.isInteger(value) && value >= 0, "must be a whole number of days, 0 or more").optional(),
      companyID: id().optional(),
      includeExpired: bool().optional(),
      status: picklist().optional(),
      page: page().optional(),
      pageSize: pageSize().optional(),
    }),
    // Every answer says which window was searched (and when more matched than were sorted).
    output: listOutput.extend({ note: z.string() }),
    annotations: { readOnly: true },
    fanOut: true,
    async run(args, ctx) {
      const from = today();
      const days = args.daysAhead ?? DAYS_AHEAD;
      const to = addDays(from, days);
      if (args.status !== undefined) await checkPicklistValue(ctx, "Contracts", "status", args.status, "filter");
      const filter: Filter[] = compact([
        onOrBefore("endDate", to),
        !args.includeExpired && onOrAfter("endDate", from),
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.status !== undefined && f.eq("status", args.status),
      ]);
      const { items, truncated } = await ctx.client.queryAll<Row>("Contracts", { filter, includeFields: [...CONTRACT_FIELDS, "contactID", "estimatedRevenue"] }, EXPIRING_CAP);
      items.sort((a, b) => String(a.endDate).localeCompare(String(b.endDate)) || a.id - b.id);
      const size = args.pageSize ?? DEFAULT_PAGE_SIZE;
      const number = args.page ?? 1;
      const slice = items.slice((number - 1) * size, number * size);
      const rows = (await present(ctx, "Contracts", slice)).map((row) => ({ ...row, daysToEnd: daysBetween(from, String(row.endDate)) }));
      const hasMore = items.length > number * size;
      const window = `Ending ${args.includeExpired ? "by" : `from ${from} to`} ${to} (today + ${days} days), soonest first`;
      return {
        entity: "Contracts",
        items: rows,
        page: { page: number, pageSize: size, returned: rows.length, hasMore, ...(hasMore ? { nextPage: number + 1 } : {}), ...(truncated ? {} : { total: items.length }) },
        note: truncated ? `${window}; more than ${EXPIRING_CAP} match, so only ${EXPIRING_CAP} (by id) were sorted: narrow with companyID or status.` : `${window}.`,
        ...(hasMore ? { hint: `More contracts match: call again with page: ${number + 1}.` } : {}),
      };
    },
  }),
];

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
