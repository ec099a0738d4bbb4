/**
 * The sandbox's view of the shared entity table: which fields are writable, queryable, references or
 * picklists, and how a JSON value becomes a stored value. Everything here derives from
 * ../autotask/entities.ts; the few additions are listed in EXTRA_REFERENCES and picklists.ts.
 */
import { calendarDate, instantMs } from "../autotask/dates.ts";
import { findEntity, findField, type EntityDef, type FieldDef } from "../autotask/entities.ts";
import { fail, isoDate } from "./http.ts";
import { hasPicklist } from "./picklists.ts";

export type Row = Record<string, unknown> & { id: number };

/** References the table leaves out but the real API enforces (TimeEntries.resourceID names a resource). */
const EXTRA_REFERENCES: Record<string, string> = {
  "TimeEntries.resourceID": "Resources",
  "Phases.parentPhaseID": "Phases",
};

/**
 * Fields the docs call out as not queryable; filtering on them is an error (Tickets: creatorType,
 * lastActivityPersonType; attachments: creatorType, fileSize — "AttachmentInfo", "TicketNoteAttachments").
 */
const NOT_QUERYABLE = new Set(["creatortype", "lastactivitypersontype", "filesize"]);

/** Entities that support webhook callouts in Autotask. */
export const WEBHOOK_ENTITIES = new Set(["Companies", "Contacts", "ConfigurationItems", "Tickets", "TicketNotes"]);

/** For store.all()/get(): any spelling findEntity accepts. */
export function entityByName(name: string): EntityDef {
  const def = findEntity(name);
  if (!def) throw new Error(`Unknown Autotask entity "${name}"`);
  return def;
}

const dataFieldCache = new WeakMap<EntityDef, FieldDef[]>();

/** The entity's data fields: every field except the userDefinedFields bag. */
export function dataFields(def: EntityDef): FieldDef[] {
  let fields = dataFieldCache.get(def);
  if (!fields) {
    fields = def.fields.filter((f) => f.type !== "udfs");
    dataFieldCache.set(def, fields);
  }
  return fields;
}

export function hasUdfs(def: EntityDef): boolean {
  return def.fields.some((f) => f.type === "udfs");
}

export function dataField(def: EntityDef, name: string): FieldDef | undefined {
  const field = findField(def, name);
  return field && field.type !== "udfs" ? field : undefined;
}

export function isWritable(field: FieldDef): boolean {
  return !field.readOnly && field.name !== "id" && field.type !== "udfs";
}

export function isQueryable(field: FieldDef): boolean {
  return field.type !== "base64" && !NOT_QUERYABLE.has(field.name.toLowerCase());
}

export function referenceOf(def: EntityDef, field: FieldDef): string | undefined {
  return field.reference ?? EXTRA_REFERENCES[`${def.name}.${field.name}`];
}

export function isPicklistField(def: EntityDef, field: FieldDef): boolean {
  return Boolean(field.picklist) || hasPicklist(def.name, field.name);
}

/** Singular name for referenceEntityType, also for referenced entities outside the table. */
export function singularOf(entityName: string): string {
  const def = findEntity(entityName);
  if (def) return def.singular;
  return entityName.endsWith("ies") ? `${entityName.slice(0, -3)}y` : entityName.replace(/s$/, "");
}

const NUMERIC = new Set(["integer", "long", "short", "double", "decimal"]);
const INTEGRAL = new Set(["integer", "long", "short"]);

export function isNumericType(field: FieldDef): boolean {
  return NUMERIC.has(field.type);
}

/** Max length reported in field metadata and enforced on writes; 0 for non-strings, like the API. */
export function stringLength(field: FieldDef): number {
  if (field.type !== "string") return 0;
  const name = field.name.toLowerCase();
  if (/(description|notes?|resolution|comments?|barriers|helpneeded|nextstep|lineitemfulldescription|detail)$/.test(name))
    return name === "summarynotes" || name === "internalnotes" ? 32000 : 8000;
  if (name === "title" || name.endsWith("name") || name === "itemname") return 255;
  if (name.includes("email")) return 254;
  if (name.includes("url") || name === "fullpath" || name === "link" || name === "webaddress") return 2048;
  if (name.includes("phone") || name === "fax" || name === "extension") return 25;
  return 100;
}

const TYPE_LABEL: Record<string, string> = {
  integer: "Int32",
  long: "Int64",
  short: "Int16",
  double: "Double",
  decimal: "Decimal",
  boolean: "Boolean",
  datetime: "DateTime",
  date: "DateTime",
};

function conversionError(field: FieldDef, raw: unknown): never {
  return fail(
    `Error converting value ${JSON.stringify(raw)} to type '${TYPE_LABEL[field.type] ?? "String"}'. Path '${field.name}'.`,
  );
}

/**
 * Turns a JSON body value into the stored value, the way the API's JSON reader does: numeric strings
 * become numbers, "true"/"false" become booleans, dates become UTC ISO strings, empty text becomes null.
 */
export function coerceValue(field: FieldDef, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field.type) {
    case "integer":
    case "long":
    case "short":
    case "double":
    case "decimal": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (INTEGRAL.has(field.type) && !Number.isInteger(n))) conversionError(field, raw);
      return n;
    }
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      return conversionError(field, raw);
    case "datetime": {
      const ms = typeof raw === "string" ? instantMs(raw) : undefined;
      if (ms === undefined) conversionError(field, raw);
      return isoDate(ms);
    }
    case "date": {
      // Autotask keeps a calendar date as written and sets midnight: no time-zone conversion.
      const date = typeof raw === "string" ? calendarDate(raw) : undefined;
      if (date === undefined) conversionError(field, raw);
      return `${date}T00:00:00.000Z`;
    }
    case "base64":
      if (typeof raw !== "string") conversionError(field, raw);
      return raw;
    default: {
      if (typeof raw === "object") conversionError(field, raw);
      const text = String(raw);
      const max = stringLength(field);
      if (text.length > max) fail(`Value for ${field.name} exceeds the maximum length of ${max} characters.`);
      return text === "" ? null : text;
    }
  }
}
