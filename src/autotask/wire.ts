/**
 * Values as Autotask expects them on the wire, decided by the entity table: a calendar-date field
 * gets its day as written at midnight (`2025-03-10T00:00:00`), a date-time field a UTC instant. The
 * client applies this to every body and filter it sends, so no tool — nor the generic query — can
 * put a time entry on the wrong day by converting a calendar date to UTC.
 */
import { toAutotaskDate } from "./dates.ts";
import { findField, type EntityDef } from "./entities.ts";
import { isGroup, type Filter } from "./filter.ts";

function wireValue(def: EntityDef, field: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  const kind = findField(def, field)?.type;
  if (kind !== "date" && kind !== "datetime") return value;
  // Not an ISO date at all: send it as given and let Autotask name the field in its error.
  return toAutotaskDate(kind, value) ?? value;
}

/** A create/update body with its date and date-time values in Autotask's form. */
export function wireBody<T extends Record<string, unknown>>(def: EntityDef, body: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) out[key] = wireValue(def, key, value);
  return out as T;
}

/** Filters with their date and date-time values in Autotask's form (UDF conditions untouched). */
export function wireFilter(def: EntityDef, filters: Filter[]): Filter[] {
  return filters.map((filter): Filter => {
    if (isGroup(filter)) return { op: filter.op, items: wireFilter(def, filter.items) };
    if (filter.udf || !("value" in filter)) return filter;
    if (Array.isArray(filter.value)) return { ...filter, value: filter.value.map((v) => wireValue(def, filter.field, v)) } as Filter;
    return { ...filter, value: wireValue(def, filter.field, filter.value) } as Filter;
  });
}
