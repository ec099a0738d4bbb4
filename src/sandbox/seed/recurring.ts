/**
 * Recurring revenue, seeded after everything else (see index.ts):
 * - contracts ending within 30, 60 and 90 days, and some already past their end date;
 * - service bundles on about a third of the Recurring Service contracts;
 * - unit rows (ContractServiceUnits, ContractServiceBundleUnits) for every service and bundle line,
 *   one per billing month for the previous and the current month, clipped to the contract's dates.
 *
 * Unit rows follow the docs ("ContractServiceUnits": one row per billing period, its start and end
 * the period's). That `price` and `cost` are per unit (the line's price, the bundle's adjusted one)
 * is inferred: a month's recurring revenue is units × price.
 */
import type { Row } from "../schema.ts";
import { DAY, HOUR, contactOf, iso, midnight, type Seed } from "./context.ts";
import { contractService } from "./contracts.ts";

const RECURRING_SERVICE = 7;

/** [days until the end date (negative: already ended), contract type, status, name]. */
const ENDINGS: ReadonlyArray<readonly [number, number, number, string]> = [
  [12, RECURRING_SERVICE, 1, "Backup Services Agreement"],
  [25, 4, 1, "Project Block Hours"],
  [44, 3, 1, "Firewall Support Agreement"],
  [58, RECURRING_SERVICE, 1, "Security Services Agreement"],
  [75, 1, 1, "Break/Fix Support Agreement"],
  [88, 6, 1, "Retainer Agreement"],
  [-6, RECURRING_SERVICE, 1, "Email Security Agreement"],
  [-21, 1, 1, "On-site Support Agreement"],
  [-45, 3, 0, "Wi-Fi Upgrade Maintenance"],
];

export function seedRecurring(s: Seed): void {
  seedEndingContracts(s);
  seedBundles(s);
  seedUnits(s);
}

function seedEndingContracts(s: Seed): void {
  const { db, rng } = s;
  let number = 1000 + db.table("Contracts").size;
  const today = s.now - (s.now % DAY);
  rng.sample(s.customers, ENDINGS.length).forEach((customer, index) => {
    const [days, contractType, status, name] = ENDINGS[index]!;
    const end = today + days * DAY;
    const contract = db.insert("Contracts", {
      companyID: customer.id,
      contactID: contactOf(s, customer.id),
      contractName: `${String(customer.companyName)} ${name}`,
      contractNumber: `CT-${String(++number)}`,
      contractType,
      contractCategory: contractType === RECURRING_SERVICE ? 1 : contractType === 4 ? 2 : 3,
      contractPeriodType: 1,
      billingPreference: 2,
      status,
      startDate: midnight(end - 364 * DAY),
      endDate: midnight(end),
      timeReportingRequiresStartAndStopTimes: contractType === 4 ? 1 : 0,
      isDefaultContract: false,
      isCompliant: true,
      serviceLevelAgreementID: 1,
      estimatedRevenue: rng.int(3, 30) * 1000,
      userDefinedFields: {},
    });
    if (contractType !== RECURRING_SERVICE) return;
    for (const service of rng.sample(s.services, rng.int(1, 2))) db.insert("ContractServices", contractService(contract, service, customer));
  });
}

function seedBundles(s: Seed): void {
  const { db, rng } = s;
  const active = s.bundles.filter((bundle) => bundle.isActive === true);
  const recurring = [...db.table("Contracts").values()].filter((c) => c.contractType === RECURRING_SERVICE);
  for (const contract of recurring) {
    if (!rng.chance(0.35)) continue;
    const bundle = rng.pick(active);
    const price = Number(bundle.unitPrice);
    const adjusted = Math.round(price * (1 - Number(bundle.percentageDiscount ?? 0) / 100) * 100) / 100;
    const company = db.get("Companies", Number(contract.companyID));
    db.insert("ContractServiceBundles", {
      contractID: contract.id,
      serviceBundleID: bundle.id,
      unitPrice: price,
      unitCost: bundle.unitCost,
      adjustedPrice: adjusted,
      internalCurrencyUnitPrice: price,
      internalCurrencyAdjustedPrice: adjusted,
      invoiceDescription: bundle.invoiceDescription,
      internalDescription: `${String(bundle.name)} for ${String(company?.companyName ?? "")}`,
      userDefinedFields: {},
    });
  }
}

/** The previous and the current calendar month (UTC) as [first day, last day] in epoch ms. */
function billingMonths(now: number): Array<readonly [number, number]> {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return [month - 1, month].map((m) => [Date.UTC(year, m, 1), Date.UTC(year, m + 1, 1) - DAY] as const);
}

function seedUnits(s: Seed): void {
  const { db, rng } = s;
  const months = billingMonths(s.now);
  const firstOfMonth = months[1]![0];
  const postedAt = firstOfMonth + 9 * HOUR <= s.now ? iso(firstOfMonth + 9 * HOUR) : null;
  const unitRows = (entity: string, line: Row, price: number, cost: number, keys: Record<string, unknown>) => {
    const contract = db.get("Contracts", Number(line.contractID));
    if (!contract) return;
    const start = Date.parse(String(contract.startDate));
    const end = Date.parse(String(contract.endDate));
    const base = rng.int(3, 40);
    months.forEach(([first, last], index) => {
      const from = Math.max(first, start);
      const to = Math.min(last, end);
      if (from > to) return;
      const current = index === 1;
      const units = current && rng.chance(0.3) ? Math.max(1, base + rng.pick([-2, -1, 1, 2, 3])) : base;
      db.insert(entity, {
        contractID: contract.id,
        ...keys,
        startDate: midnight(from),
        endDate: midnight(to),
        units,
        price,
        cost,
        internalCurrencyPrice: price,
        approveAndPostDate: current ? null : postedAt,
        userDefinedFields: {},
      });
    });
  };
  for (const line of db.table("ContractServices").values())
    unitRows("ContractServiceUnits", line, Number(line.unitPrice), Number(line.unitCost ?? 0), {
      contractServiceID: line.id,
      serviceID: line.serviceID,
    });
  for (const line of db.table("ContractServiceBundles").values())
    unitRows("ContractServiceBundleUnits", line, Number(line.adjustedPrice ?? line.unitPrice), Number(line.unitCost ?? 0), {
      contractServiceBundleID: line.id,
      serviceBundleID: line.serviceBundleID,
    });
}
