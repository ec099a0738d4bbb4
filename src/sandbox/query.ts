/**
 * The query language: body parsing, filter compilation (all 15 operators, strictly: an unknown operator
 * or field is an error, never ignored) and id-ordered paging.
 */
import { calendarDate, instantMs } from "../autotask/dates.ts";
import type { EntityDef } from "../autotask/entities.ts";
import { OPERATORS, type Operator } from "../autotask/filter.ts";
import { fail, isObject, lowerKeys } from "./http.ts";
import { dataField, isNumericType, isQueryable, type Row } from "./schema.ts";
import type { UdfValues } from "./store.ts";
import { findUdf } from "./udfs.ts";

export const MAX_PAGE = 500;
const MAX_OR_CONDITIONS = 500;

export interface QuerySpec {
  filter: unknown[];
  /** Lower-cased field names; undefined returns every field. */
  include?: Set<string>;
  maxRecords?: number;
}

type Predicate = (row: Row) => boolean;
/** How values compare: "date" is an instant (epoch ms), "day" a calendar date (midnight UTC of the day as written). */
type Kind = "number" | "boolean" | "date" | "day" | "string";
type Value = number | boolean | string;

export function readQuery(def: EntityDef, body: unknown): QuerySpec {
  if (!isObject(body)) fail("Error reading JSON: the query must be a JSON object with a filter.");
  const keys = lowerKeys(body);
  const filter = keys.filter;
  if (!Array.isArray(filter) || filter.length === 0)
    fail("The query must contain at least one filter (use {\"op\":\"exist\",\"field\":\"id\"} for every row).");
  const spec: QuerySpec = { filter };
  if (keys.maxrecords !== undefined && keys.maxrecords !== null) {
    const max = keys.maxrecords;
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > MAX_PAGE)
      fail(`MaxRecords must be a whole number between 1 and ${MAX_PAGE}.`);
    spec.maxRecords = max;
  }
  const include = keys.includefields;
  if (Array.isArray(include) && include.length > 0) {
    spec.include = new Set();
    for (const name of include) {
      const field = typeof name === "string" ? dataField(def, name) : undefined;
      if (!field) fail(`Unable to find ${String(name)} in the ${def.singular} entity.`);
      spec.include.add(field.name.toLowerCase());
    }
  } else if (include !== undefined && include !== null && !Array.isArray(include)) {
    fail("IncludeFields must be an array of field names.");
  }
  return spec;
}

const OPERATOR_BY_NAME = new Map<string, Operator>(OPERATORS.map((op) => [op.toLowerCase(), op]));

export function compileFilter(def: EntityDef, filter: unknown[]): Predicate {
  const state = { orConditions: 0 };
  const predicates = filter.map((node) => compileNode(def, node, state));
  if (state.orConditions > MAX_OR_CONDITIONS)
    fail(`A query can contain at most ${MAX_OR_CONDITIONS} OR conditions; this one has ${state.orConditions}.`);
  return (row) => predicates.every((p) => p(row));
}

function compileNode(def: EntityDef, node: unknown, state: { orConditions: number }): Predicate {
  if (!isObject(node)) fail("Error reading JSON: each filter must be an object with an op.");
  const keys = lowerKeys(node);
  const opName = keys.op;
  const op = typeof opName === "string" ? OPERATOR_BY_NAME.get(opName.toLowerCase()) : undefined;
  if (!op) fail(`Invalid operator: ${typeof opName === "string" ? opName : JSON.stringify(opName ?? null)}`);

  if (op === "and" || op === "or") {
    const items = keys.items;
    if (!Array.isArray(items) || items.length === 0) fail(`The ${op} operator needs a non-empty items array.`);
    if (op === "or") state.orConditions += items.length;
    const parts = items.map((item) => compileNode(def, item, state));
    return op === "and" ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row));
  }

  const { read, kind, name } = resolveField(def, keys.field, keys.udf === true);
  switch (op) {
    case "exist":
      return (row) => read(row) !== null;
    case "notExist":
      return (row) => read(row) === null;
    case "in":
    case "notIn": {
      const list = keys.value;
      if (!Array.isArray(list) || list.length === 0) fail(`The ${op} operator needs a non-empty array value (field ${name}).`);
      const wanted = new Set(list.map((v) => toValue(kind, v, name, op)));
      return op === "in"
        ? (row) => {
            const v = read(row);
            return v !== null && wanted.has(v);
          }
        : (row) => {
            const v = read(row);
            return v === null || !wanted.has(v);
          };
    }
    case "beginsWith":
    case "endsWith":
    case "contains": {
      if (!isScalar(keys.value)) fail(`The ${op} operator needs a text value (field ${name}).`);
      const needle = String(keys.value).toLowerCase();
      const test =
        op === "contains"
          ? (text: string) => text.includes(needle)
          : op === "beginsWith"
            ? (text: string) => text.startsWith(needle)
            : (text: string) => text.endsWith(needle);
      return (row) => {
        const v = read(row);
        return v !== null && test(String(v).toLowerCase());
      };
    }
    default: {
      if (kind === "boolean" && op !== "eq" && op !== "noteq")
        fail(`The ${op} operator cannot be used on the boolean field ${name}.`);
      const target = toValue(kind, keys.value, name, op);
      const compare = COMPARATORS[op];
      return (row) => {
        const v = read(row);
        if (v === null) return op === "noteq";
        return compare(v, target);
      };
    }
  }
}

const COMPARATORS: Record<"eq" | "noteq" | "gt" | "gte" | "lt" | "lte", (a: Value, b: Value) => boolean> = {
  eq: (a, b) => a === b,
  noteq: (a, b) => a !== b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
};

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** A field accessor that yields comparable values: numbers, booleans, epoch ms, or lower-cased text. */
function resolveField(
  def: EntityDef,
  fieldName: unknown,
  udf: boolean,
): { read: (row: Row) => Value | null; kind: Kind; name: string } {
  if (typeof fieldName !== "string" || fieldName === "") fail("Each filter condition needs a field.");
  if (udf) {
    const udfDef = findUdf(def.name, fieldName);
    if (!udfDef) fail(`Unable to find ${fieldName} in the ${def.singular} entity's user-defined fields.`);
    const kind: Kind = udfDef.type === "double" ? "number" : udfDef.type === "datetime" ? "date" : "string";
    return {
      kind,
      name: udfDef.name,
      read: (row) => normalize(kind, ((row.userDefinedFields ?? {}) as UdfValues)[udfDef.name] ?? null),
    };
  }
  const field = dataField(def, fieldName);
  if (!field) fail(`Unable to find ${fieldName} in the ${def.singular} entity.`);
  if (!isQueryable(field)) fail(`The ${field.name} field of the ${def.singular} entity cannot be queried.`);
  const kind: Kind = isNumericType(field)
    ? "number"
    : field.type === "boolean"
      ? "boolean"
      : field.type === "datetime"
        ? "date"
        : field.type === "date"
          ? "day"
          : "string";
  const key = field.name;
  return { kind, name: key, read: (row) => normalize(kind, row[key] ?? null) };
}

function normalize(kind: Kind, raw: unknown): Value | null {
  if (raw === null || raw === undefined) return null;
  switch (kind) {
    case "number": {
      const n = Number(raw);
      return Number.isNaN(n) ? null : n;
    }
    case "date":
    case "day":
      return (typeof raw === "string" ? instantMs(raw) : undefined) ?? null;
    case "boolean":
      return raw === true;
    default:
      return String(raw).toLowerCase();
  }
}

function toValue(kind: Kind, raw: unknown, field: string, op: string): Value {
  if (raw === null || raw === undefined) fail(`The ${op} operator needs a value (field ${field}).`);
  switch (kind) {
    case "boolean":
      if (typeof raw !== "boolean") fail(`Invalid value ${JSON.stringify(raw)} for ${field}: booleans must be true or false.`);
      return raw;
    case "number": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
      if (!Number.isFinite(n)) fail(`Invalid value ${JSON.stringify(raw)} for ${field}: a number is expected.`);
      return n;
    }
    case "date": {
      const ms = typeof raw === "string" ? instantMs(raw) : undefined;
      if (ms === undefined) fail(`Invalid value ${JSON.stringify(raw)} for ${field}: an ISO 8601 date is expected.`);
      return ms;
    }
    case "day": {
      // A calendar-date field compares by the day as written, like the stored value (no zone conversion).
      const date = typeof raw === "string" ? calendarDate(raw) : undefined;
      if (date === undefined) fail(`Invalid value ${JSON.stringify(raw)} for ${field}: an ISO 8601 date is expected.`);
      return Date.parse(`${date}T00:00:00Z`);
    }
    default:
      if (!isScalar(raw)) fail(`Invalid value ${JSON.stringify(raw)} for ${field}.`);
      return String(raw).toLowerCase();
  }
}

export interface Page {
  rows: Row[];
  hasPrev: boolean;
  hasNext: boolean;
}

/** One page of matching rows, ascending by id, after or before a cursor id. */
export function selectPage(
  rows: Iterable<Row>,
  predicate: Predicate,
  pageSize: number,
  cursor: { after?: number; before?: number } = {},
): Page {
  const matched: Row[] = [];
  for (const row of rows) if (predicate(row)) matched.push(row);
  let start = 0;
  let end: number;
  if (cursor.before !== undefined) {
    const before = cursor.before;
    end = matched.findIndex((row) => row.id >= before);
    if (end < 0) end = matched.length;
    start = Math.max(0, end - pageSize);
  } else {
    if (cursor.after !== undefined) {
      const after = cursor.after;
      start = matched.findIndex((row) => row.id > after);
      if (start < 0) start = matched.length;
    }
    end = Math.min(matched.length, start + pageSize);
  }
  return { rows: matched.slice(start, end), hasPrev: start > 0, hasNext: end < matched.length };
}

export function countMatches(rows: Iterable<Row>, predicate: Predicate): number {
  let n = 0;
  for (const row of rows) if (predicate(row)) n++;
  return n;
}
