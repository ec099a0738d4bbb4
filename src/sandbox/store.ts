/**
 * One tenant's Autotask database: a table per entity (rows keyed by id, kept in ascending id order so
 * queries need no sort), the tenant's picklists and the sequences behind ticket and project numbers.
 * Rows are sparse; `materialize` gives them the API's shape (every field, null when empty).
 */
import type { EntityDef } from "../autotask/entities.ts";
import { buildPicklists, picklistKey } from "./picklists.ts";
import { dataFields, entityByName, type Row } from "./schema.ts";
import type { PicklistValue, SandboxStore, SandboxTenant } from "./types.ts";
import { udfsFor } from "./udfs.ts";

export type UdfValues = Record<string, string | null>;

export class TenantDb {
  readonly tables = new Map<string, Map<number, Row>>();
  readonly picklists: Map<string, PicklistValue[]>;
  apiUserResourceId = 0;
  private readonly nextIds = new Map<string, number>();
  private readonly sequences = new Map<string, number>();

  constructor(
    readonly tenant: SandboxTenant,
    readonly index: number,
  ) {
    this.picklists = buildPicklists(index);
  }

  table(entityName: string): Map<number, Row> {
    let table = this.tables.get(entityName);
    if (!table) {
      table = new Map();
      this.tables.set(entityName, table);
    }
    return table;
  }

  get(entityName: string, id: number): Row | undefined {
    return this.table(entityName).get(id);
  }

  nextId(entityName: string): number {
    return this.nextIds.get(entityName) ?? 1;
  }

  /** Adds a row, assigning the next id when it has none. Ids must ascend (see sortTables for seeding). */
  insert(entityName: string, values: Record<string, unknown> & { id?: number }): Row {
    const id = values.id ?? this.nextId(entityName);
    const row = { ...values, id } as Row;
    this.table(entityName).set(id, row);
    if (id >= this.nextId(entityName)) this.nextIds.set(entityName, id + 1);
    return row;
  }

  /** Sets where an entity's ids start (seeded ids look like real ones: 29682885, 30682901 …). */
  startIdsAt(entityName: string, first: number): void {
    this.nextIds.set(entityName, Math.max(first, this.nextId(entityName)));
  }

  remove(entityName: string, id: number): boolean {
    return this.table(entityName).delete(id);
  }

  picklist(entityName: string, fieldName: string): PicklistValue[] | undefined {
    return this.picklists.get(picklistKey(entityName, fieldName));
  }

  /** Autotask numbers like T20240201.0007: a per-day sequence under a prefix. */
  nextNumber(prefix: string, isoDate: string): string {
    const day = isoDate.slice(0, 10).replaceAll("-", "");
    const key = prefix + day;
    const n = (this.sequences.get(key) ?? 0) + 1;
    this.sequences.set(key, n);
    return `${prefix}${day}.${String(n).padStart(4, "0")}`;
  }

  /** Seeding may insert out of id order; queries rely on ascending order. */
  sortTables(): void {
    for (const [name, table] of this.tables) {
      const rows = [...table.values()].sort((a, b) => a.id - b.id);
      this.tables.set(name, new Map(rows.map((row) => [row.id, row])));
    }
  }
}

export interface MaterializeOptions {
  /** Lower-cased field names to keep (id and userDefinedFields always stay). */
  include?: Set<string>;
  /** Attachment bytes come back only from the single-item child GET. */
  withData?: boolean;
}

/** A stored row in the API's shape: every table field (null when empty) plus userDefinedFields. */
export function materialize(def: EntityDef, row: Row, options: MaterializeOptions = {}): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const field of dataFields(def)) {
    if (options.include && field.name !== "id" && !options.include.has(field.name.toLowerCase())) continue;
    if (field.type === "base64" && !options.withData) {
      item[field.name] = null;
      continue;
    }
    item[field.name] = row[field.name] ?? null;
  }
  const udfValues = (row.userDefinedFields ?? {}) as UdfValues;
  item.userDefinedFields = udfsFor(def.name).map((udf) => ({ name: udf.name, value: udfValues[udf.name] ?? null }));
  return item;
}

/** Read access for tests; `current` is asked each time because reset() swaps in a freshly seeded db. */
export function createStoreView(current: () => TenantDb): SandboxStore {
  return {
    get tenant() {
      return current().tenant;
    },
    get apiUserResourceId() {
      return current().apiUserResourceId;
    },
    all(entityName) {
      const def = entityByName(entityName);
      return [...current().table(def.name).values()].map((row) => materialize(def, row, { withData: true }));
    },
    get(entityName, id) {
      const def = entityByName(entityName);
      const row = current().get(def.name, id);
      return row && materialize(def, row, { withData: true });
    },
    count(entityName) {
      return current().table(entityByName(entityName).name).size;
    },
    picklist(entityName, field) {
      return current().picklist(entityByName(entityName).name, field) ?? [];
    },
  };
}
