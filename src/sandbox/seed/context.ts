/** What the seeding steps share: the db, the random source, "now", and the rows later steps point at. */
import type { Row } from "../schema.ts";
import type { TenantDb } from "../store.ts";
import { FIRST_NAMES, LAST_NAMES } from "./names.ts";
import type { Random } from "./random.ts";

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export interface BillingCodeIds {
  remote: number;
  onsite: number;
  afterHours: number;
  project: number;
  travel: number;
  internal: number;
  training: number;
  hardware: number;
  software: number;
  mileage: number;
}

export interface Seed {
  db: TenantDb;
  rng: Random;
  now: number;
  domain: string;
  billingCodes: BillingCodeIds;
  /** Active resources who work tickets and tasks (not the API user). */
  techs: Row[];
  rolesOf: Map<number, number[]>;
  managerId: number;
  accountManagers: number[];
  projectManagers: number[];
  /** Client companies (customers, prospects …), not the MSP itself or vendors. */
  clients: Row[];
  /** Clients of type Customer that are active: the ones with tickets, contracts and invoices. */
  customers: Row[];
  contactsOf: Map<number, Row[]>;
  locationOf: Map<number, number>;
  tierOf: Map<number, string>;
  products: Row[];
  services: Row[];
  bundles: Row[];
  managedContractOf: Map<number, number>;
  tickets: Row[];
  projects: Row[];
  tasks: Row[];
}

export function newSeed(db: TenantDb, rng: Random, now: number): Seed {
  const slug = db.tenant.label.toLowerCase().replace(/[^a-z0-9]+/g, "") || "msp";
  return {
    db,
    rng,
    now,
    domain: `${slug}.example`,
    billingCodes: {} as BillingCodeIds,
    techs: [],
    rolesOf: new Map(),
    managerId: 0,
    accountManagers: [],
    projectManagers: [],
    clients: [],
    customers: [],
    contactsOf: new Map(),
    locationOf: new Map(),
    tierOf: new Map(),
    products: [],
    services: [],
    bundles: [],
    managedContractOf: new Map(),
    tickets: [],
    projects: [],
    tasks: [],
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Midnight UTC of the day holding `ms` (Autotask sends date-only fields as midnight datetimes). */
export const midnight = (ms: number): string => iso(ms - (ms % DAY));

/** A working-hours moment between minDays and maxDays ago, never in the future. */
export function pastMoment(s: Seed, minDays: number, maxDays: number): number {
  const day = s.now - (minDays + s.rng.next() * (maxDays - minDays)) * DAY;
  const atWork = day - (day % DAY) + s.rng.int(13, 22) * HOUR + s.rng.int(0, 59) * 60_000 + s.rng.int(0, 59) * 1000;
  return Math.min(atWork, s.now - 5 * 60_000);
}

/** Ticket-style ages: a third this week, a third this quarter, the rest over the last year. */
export function recentBiasedMoment(s: Seed): number {
  const bucket = s.rng.weighted([
    [0, 0.33],
    [1, 0.37],
    [2, 0.3],
  ] as const);
  return bucket === 0 ? pastMoment(s, 0, 7) : bucket === 1 ? pastMoment(s, 7, 60) : pastMoment(s, 60, 365);
}

/** The product side of a ticket, project or contract charge: what, how many, and the amounts. */
export function productLine(product: Row, quantity: number): Record<string, unknown> {
  const price = Number(product.unitPrice);
  const cost = Number(product.unitCost);
  return {
    name: String(product.name),
    productID: product.id,
    unitQuantity: quantity,
    unitPrice: price,
    unitCost: cost,
    billableAmount: quantity * price,
    extendedCost: quantity * cost,
    internalCurrencyUnitPrice: price,
    internalCurrencyBillableAmount: quantity * price,
  };
}

export function roleOf(s: Seed, resourceId: number): number {
  const roles = s.rolesOf.get(resourceId);
  if (!roles?.[0]) throw new Error(`seed: resource ${resourceId} has no role`);
  return s.rng.pick(roles);
}

export function contactOf(s: Seed, companyId: number): number | null {
  const contacts = (s.contactsOf.get(companyId) ?? []).filter((c) => c.isActive === 1);
  return contacts.length > 0 ? s.rng.pick(contacts).id : null;
}

export const personName = (s: Seed) => ({
  first: s.rng.pick(FIRST_NAMES),
  last: s.rng.pick(LAST_NAMES),
});
