/**
 * TicketHistory: the audit trail Autotask writes itself when a ticket is created or its fields change
 * (one row per changed field), and the one way the API lets it be read.
 *
 * Sources: Autotask docs "TicketHistory" entity (query only; "requires and only accepts a single
 * TicketID Equals filter", other fields or operators and several filters are errors; tickets the
 * user cannot view are errors) and "Viewing the ticket history" (actions such as "Created",
 * "Contact Changed", "Due Date Changed", "Description Changed"). The wording of the other actions
 * and of `detail` ("Status changed from New to In Progress") is inferred: the sandbox keeps it plain.
 */
import { fail, isObject, lowerKeys } from "./http.ts";
import type { WriteContext } from "./rule-kit.ts";
import type { Row } from "./schema.ts";
import type { TenantDb } from "./store.ts";

type Kind = "picklist" | "text" | "date" | "silent" | { entity: string; name: (row: Row) => string };

const personName = (row: Row) => `${String(row.firstName ?? "")} ${String(row.lastName ?? "")}`.trim();

/** Ticket fields whose changes the history records, with the label its action and detail use. */
const TRACKED: ReadonlyArray<readonly [field: string, label: string, kind: Kind]> = [
  ["title", "Title", "text"],
  ["status", "Status", "picklist"],
  ["priority", "Priority", "picklist"],
  ["queueID", "Queue", "picklist"],
  ["assignedResourceID", "Primary Resource", { entity: "Resources", name: personName }],
  ["companyID", "Organization", { entity: "Companies", name: (row) => String(row.companyName) }],
  ["contactID", "Contact", { entity: "Contacts", name: personName }],
  ["contractID", "Contract", { entity: "Contracts", name: (row) => String(row.contractName) }],
  ["dueDateTime", "Due Date", "date"],
  // The text itself can be long; the row says that it changed, not what to.
  ["description", "Description", "silent"],
];

export interface HistoryChange {
  action: string;
  detail: string;
}

function shown(db: TenantDb, field: string, kind: Kind, value: unknown): string {
  if (value === null || value === undefined || value === "") return "(none)";
  if (kind === "picklist") return db.picklist("Tickets", field)?.find((v) => v.value === String(value))?.label ?? String(value);
  if (kind === "text") return `"${String(value)}"`;
  if (typeof kind === "object") {
    const row = db.get(kind.entity, Number(value));
    return row ? kind.name(row) : String(value);
  }
  return String(value);
}

/** One tracked field's change as Autotask words it, or undefined for a field the history ignores. */
export function describeChange(db: TenantDb, field: string, from: unknown, to: unknown): HistoryChange | undefined {
  const tracked = TRACKED.find(([name]) => name === field);
  if (!tracked) return undefined;
  const [, label, kind] = tracked;
  const action = `${label} Changed`;
  if (kind === "silent") return { action, detail: `${label} changed` };
  return { action, detail: `${label} changed from ${shown(db, field, kind, from)} to ${shown(db, field, kind, to)}` };
}

/** The changes between two versions of a ticket, in TRACKED order. */
export function ticketChanges(db: TenantDb, before: Row, after: Row): HistoryChange[] {
  const changes: HistoryChange[] = [];
  for (const [field] of TRACKED) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (from === to) continue;
    const change = describeChange(db, field, from, to);
    if (change) changes.push(change);
  }
  return changes;
}

export const CREATED: HistoryChange = { action: "Created", detail: "Ticket created" };

/** Writes history rows for a ticket, dated `date` (UTC ISO) and attributed to `resourceID`. */
export function recordHistory(db: TenantDb, ticketID: number, date: string, resourceID: number | null, changes: HistoryChange[]): void {
  for (const change of changes) db.insert("TicketHistory", { ticketID, date, resourceID, ...change, userDefinedFields: {} });
}

/** The Tickets hooks that keep the history: a "Created" row, then one row per changed field. */
export const ticketHistoryHooks = {
  afterCreate(ctx: WriteContext, row: Row): void {
    recordHistory(ctx.db, row.id, ctx.now, ctx.actorId, [CREATED]);
  },
  afterUpdate(ctx: WriteContext, row: Row, before: Row): void {
    recordHistory(ctx.db, row.id, ctx.now, ctx.actorId, ticketChanges(ctx.db, before, row));
  },
};

const ONLY_BY_TICKET =
  'TicketHistory can only be queried with a single filter: ticketID equals one ticket id, e.g. {"op":"eq","field":"ticketID","value":12345}.';

/** Refuses any TicketHistory query but a single `ticketID eq <id>` of a ticket that exists. */
export function checkHistoryQuery(db: TenantDb, filter: unknown[]): void {
  const only = filter.length === 1 && isObject(filter[0]) ? lowerKeys(filter[0]) : undefined;
  const ok =
    only !== undefined &&
    typeof only.op === "string" &&
    only.op.toLowerCase() === "eq" &&
    typeof only.field === "string" &&
    only.field.toLowerCase() === "ticketid" &&
    only.udf !== true &&
    only.items === undefined;
  if (!ok) fail(ONLY_BY_TICKET);
  const id = typeof only.value === "string" && /^\d+$/.test(only.value) ? Number(only.value) : only.value;
  if (typeof id !== "number" || !Number.isInteger(id)) fail(`Invalid value ${JSON.stringify(only.value)} for ticketID: a ticket id is expected.`);
  if (!db.get("Tickets", id)) fail(`Ticket ${id} does not exist or access is denied.`);
}
