/**
 * What entity-specific write behaviour is made of: the context a write runs in, the hooks an entity
 * can have, and checks several entities share. rules.ts holds the table of hooks; the domain files
 * beside it (attachments.ts, contract-rules.ts, history.ts) build on this file only.
 */
import { fail } from "./http.ts";
import type { Row } from "./schema.ts";
import type { TenantDb } from "./store.ts";

export interface WriteContext {
  db: TenantDb;
  /** The resource a change is attributed to: the impersonated resource, or the API user's. */
  actorId: number;
  /** The API user's resource while impersonating, else null. */
  impersonatorId: number | null;
  now: string;
}

export type Values = Record<string, unknown>;

export interface EntityRules {
  /** Defaults and computed fields; `before` is the stored row on updates. */
  prepare?(ctx: WriteContext, row: Values, before?: Row): void;
  validate?(ctx: WriteContext, row: Values, before?: Row): void;
  afterCreate?(ctx: WriteContext, row: Row): void;
  afterUpdate?(ctx: WriteContext, row: Row, before: Row): void;
  beforeDelete?(ctx: WriteContext, row: Row): void;
  afterDelete?(ctx: WriteContext, row: Row): void;
}

/** Refuses a row that repeats another row of the entity on every one of `keys`. */
export function unique(ctx: WriteContext, entity: string, row: Values, keys: string[], message: string): void {
  for (const other of ctx.db.table(entity).values())
    if (other.id !== row.id && keys.every((k) => other[k] === row[k])) fail(message);
}
