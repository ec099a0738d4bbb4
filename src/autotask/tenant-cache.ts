/**
 * Per-tenant caches of what rarely changes: field metadata (with the tenant's own picklists) and
 * the display names of referenced records (companies, resources, contacts …).
 *
 * Names are fetched for exactly the ids asked about, in batches of `in` filters (≤ 200 ids a
 * request), never one request per row — so the cache is complete for every id it answers for,
 * and an id Autotask does not return is reported as unknown rather than guessed.
 */
import { LruCache } from "../lru.ts";
import type { AutotaskClient, FieldInfo, PicklistValue, Row } from "./client.ts";
import { findEntity } from "./entities.ts";
import { f } from "./filter.ts";

const FIELDS_TTL_MS = 15 * 60 * 1000;
const NAMES_TTL_MS = 10 * 60 * 1000;
const IDS_PER_REQUEST = 200;

export class TenantCache {
  private readonly names = new LruCache<string, string | null>(20_000, NAMES_TTL_MS);
  private readonly memos = new LruCache<string, Promise<unknown>>(200, FIELDS_TTL_MS);

  /** Caches any per-tenant lookup (e.g. the API user's resource); failures are not cached. */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.memos.get(key) as Promise<T> | undefined;
    if (cached) return cached;
    const pending = load().catch((error: unknown) => {
      this.memos.delete(key);
      throw error;
    });
    this.memos.set(key, pending);
    return pending;
  }

  /** The tenant's field metadata for an entity (one request per entity per 15 minutes). */
  fieldInfo(client: AutotaskClient, entityName: string): Promise<FieldInfo[]> {
    return this.memo(`fields:${entityName.toLowerCase()}`, () => client.fieldInfo(entityName));
  }

  async field(client: AutotaskClient, entityName: string, fieldName: string): Promise<FieldInfo | undefined> {
    const lower = fieldName.toLowerCase();
    return (await this.fieldInfo(client, entityName)).find((field) => field.name.toLowerCase() === lower);
  }

  /** The tenant's picklist for a field (active and inactive values), or [] when it has none. */
  async picklist(client: AutotaskClient, entityName: string, fieldName: string): Promise<PicklistValue[]> {
    return (await this.field(client, entityName, fieldName))?.picklistValues ?? [];
  }

  /**
   * Display names for ids of one entity. Unknown ids map to null. Ids already cached cost nothing;
   * the rest are fetched `in` batches, up to three batches at a time (the client queues the rest).
   */
  async namesFor(client: AutotaskClient, entityName: string, ids: Iterable<number>): Promise<Map<number, string | null>> {
    const def = findEntity(entityName);
    const result = new Map<number, string | null>();
    if (!def?.display?.length) return result;
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const cached = this.names.get(`${def.name}:${id}`);
      if (cached !== undefined) result.set(id, cached);
      else missing.push(id);
    }
    const batches: number[][] = [];
    for (let i = 0; i < missing.length; i += IDS_PER_REQUEST) batches.push(missing.slice(i, i + IDS_PER_REQUEST));
    await Promise.all(
      batches.map(async (batch) => {
        const { items } = await client.queryAll<Row>(
          def.name,
          { filter: [f.in("id", batch)], includeFields: ["id", ...def.display!] },
          batch.length,
        );
        const found = new Map(items.map((row) => [row.id, displayName(row, def.display!)]));
        for (const id of batch) {
          const name = found.get(id) ?? null;
          this.names.set(`${def.name}:${id}`, name);
          result.set(id, name);
        }
      }),
    );
    return result;
  }

  /** Forget cached names after a write, so the next read shows the new name. */
  forgetName(entityName: string, id: number): void {
    const def = findEntity(entityName);
    if (def) this.names.delete(`${def.name}:${id}`);
  }
}

/** Joins the display fields present on a row: ["firstName","lastName"] -> "Ada Lovelace". */
export function displayName(row: Record<string, unknown>, fields: string[]): string | null {
  const parts = fields.map((field) => row[field]).filter((value) => value !== null && value !== undefined && value !== "");
  return parts.length ? parts.map(String).join(" ") : null;
}
