/**
 * Seeds one tenant's database. Deterministic for a tenant (its seed, else a hash of its label) apart from
 * dates, which are relative to now so that "this week" always has tickets, time and visits.
 */
import { TenantDb } from "../store.ts";
import type { SandboxTenant } from "../types.ts";
import { seedCatalog } from "./catalog.ts";
import { newSeed } from "./context.ts";
import { seedContracts } from "./contracts.ts";
import { seedCompanies } from "./crm.ts";
import { seedExpenses } from "./expenses.ts";
import { seedNamesakes, seedOrg } from "./org.ts";
import { seedProjects } from "./projects.ts";
import { Random, hashSeed } from "./random.ts";
import { seedRecurring } from "./recurring.ts";
import { seedSales } from "./sales.ts";
import { seedServiceCalls } from "./service-calls.ts";
import { seedServiceDesk } from "./service-desk.ts";
import { seedTicketHistory } from "./ticket-history.ts";
import { seedTickets } from "./tickets.ts";
import { seedTime } from "./time.ts";

export function seedTenant(tenant: SandboxTenant, index: number, now = Date.now()): TenantDb {
  const db = new TenantDb(tenant, index);
  const s = newSeed(db, new Random(tenant.seed ?? hashSeed(tenant.label)), now);
  seedOrg(s);
  seedCompanies(s);
  seedCatalog(s);
  seedContracts(s);
  seedTickets(s);
  seedProjects(s);
  seedTime(s);
  seedSales(s);
  seedExpenses(s);
  seedServiceCalls(s);
  seedNamesakes(s);
  // Added later (issue 11): last, and from their own random source, so every row above is unchanged.
  const later = { ...s, rng: new Random(hashSeed(`${tenant.seed ?? tenant.label}/parity`)) };
  seedServiceDesk(later);
  seedRecurring(later);
  seedTicketHistory(later);
  db.sortTables();
  return db;
}
