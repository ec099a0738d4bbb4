/**
 * Compact, readable output: records without nulls and empty UDFs, with names next to ids.
 *
 * For each reference field (companyID, assignedResourceID …) the row gains `companyName`,
 * `assignedResourceName`; for each picklist field (status, priority, queueID …) `statusLabel`,
 * `priorityLabel`, `queueName` — from the tenant's own picklists and a per-tenant name cache that
 * fetches the ids of a whole page in one batched request per referenced entity.
 */
import type { PicklistValue, Row } from "../autotask/client.ts";
import { entity, findEntity, type EntityDef, type FieldDef } from "../autotask/entities.ts";
import type { ToolContext } from "../context.ts";

export type Record_ = Record<string, unknown>;

/** Drops nulls, empty strings, empty arrays and UDFs without a value. */
export function compactRow(row: Record_): Record_ {
  const out: Record_ = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined || value === "") continue;
    if (key === "userDefinedFields" && Array.isArray(value)) {
      const udfs = (value as Array<{ name: string; value: unknown }>).filter((udf) => udf.value !== null && udf.value !== undefined && udf.value !== "");
      if (udfs.length) out.userDefinedFields = Object.fromEntries(udfs.map((udf) => [udf.name, udf.value]));
      continue;
    }
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

/** The key under which a field's resolved name goes: companyID -> companyName, status -> statusLabel. */
export function nameKey(field: FieldDef): string {
  const base = field.name.replace(/I[Dd]$/, "");
  if (base !== field.name && base.length > 0) return `${base}Name`;
  return field.picklist ? `${field.name}Label` : `${field.name}Name`;
}

interface Enricher {
  field: FieldDef;
  key: string;
}

const enrichers = new WeakMap<EntityDef, Enricher[]>();

/** The reference and picklist fields of an entity that can be resolved to a name. */
function enrichersFor(def: EntityDef): Enricher[] {
  let list = enrichers.get(def);
  if (!list) {
    const own = new Set(def.fields.map((field) => field.name));
    list = def.fields
      .filter((field) => field.picklist || (field.reference && findEntity(field.reference)?.display?.length))
      .map((field) => ({ field, key: nameKey(field) }))
      .filter(({ key }) => !own.has(key));
    enrichers.set(def, list);
  }
  return list;
}

/**
 * Compacts rows and adds names for their ids and labels for their picklist values. Costs at most
 * one field-metadata request per entity (cached) and one batched request per referenced entity
 * whose names are not cached yet.
 */
export async function present(ctx: ToolContext, entityName: string, rows: Row[]): Promise<Record_[]> {
  const def = entity(entityName);
  const present = enrichersFor(def).filter(({ field }) => rows.some((row) => row[field.name] !== null && row[field.name] !== undefined));
  const picklistFields = present.filter(({ field }) => field.picklist);
  const referenceFields = present.filter(({ field }) => !field.picklist && field.reference);

  const idsByEntity = new Map<string, Set<number>>();
  for (const { field } of referenceFields) {
    const ids = idsByEntity.get(field.reference!) ?? new Set<number>();
    for (const row of rows) {
      const id = row[field.name];
      if (typeof id === "number" && id >= 0) ids.add(id);
    }
    idsByEntity.set(field.reference!, ids);
  }

  const [labels, names] = await Promise.all([
    picklistFields.length ? picklistLabels(ctx, def.name, picklistFields.map(({ field }) => field.name)) : new Map<string, Map<string, string>>(),
    Promise.all(
      [...idsByEntity].filter(([, ids]) => ids.size > 0).map(async ([ref, ids]) => [ref, await ctx.cache.namesFor(ctx.client, ref, ids)] as const),
    ).then((entries) => new Map(entries)),
  ]);

  const days = calendarFields(def);
  return rows.map((row) => {
    const out = compactRow(row);
    // A calendar date reads as the day it is (2025-03-10), not as a midnight instant.
    for (const field of days) if (typeof out[field] === "string") out[field] = (out[field] as string).slice(0, 10);
    for (const { field, key } of present) {
      const value = row[field.name];
      if (value === null || value === undefined) continue;
      const name = field.picklist ? labels.get(field.name)?.get(String(value)) : names.get(field.reference!)?.get(value as number);
      if (name) out[key] = name;
    }
    return out;
  });
}

export async function presentOne(ctx: ToolContext, entityName: string, row: Row): Promise<Record_> {
  return (await present(ctx, entityName, [row]))[0]!;
}

const calendar = new WeakMap<EntityDef, string[]>();

/** The entity's calendar-date fields (type "date" in the entity table). */
function calendarFields(def: EntityDef): string[] {
  let list = calendar.get(def);
  if (!list) {
    list = def.fields.filter((field) => field.type === "date").map((field) => field.name);
    calendar.set(def, list);
  }
  return list;
}

/** value -> label maps for the given picklist fields, from the tenant's field metadata. */
async function picklistLabels(ctx: ToolContext, entityName: string, fields: string[]): Promise<Map<string, Map<string, string>>> {
  const info = await ctx.cache.fieldInfo(ctx.client, entityName);
  const wanted = new Set(fields.map((name) => name.toLowerCase()));
  const out = new Map<string, Map<string, string>>();
  for (const field of info) {
    if (!wanted.has(field.name.toLowerCase()) || !field.picklistValues) continue;
    const canonical = fields.find((name) => name.toLowerCase() === field.name.toLowerCase())!;
    out.set(canonical, new Map(field.picklistValues.map((value: PicklistValue) => [value.value, value.label])));
  }
  return out;
}
