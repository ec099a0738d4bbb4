/**
 * Create, update (PATCH/PUT) and delete, validated the way Autotask does: required fields, picklist
 * values from the tenant, references that must exist, read-only fields ignored, server fields stamped.
 * Entity-specific behaviour lives in rules.ts.
 */
import { findEntity, type EntityDef, type FieldDef } from "../autotask/entities.ts";
import { fail, isObject, lowerKeys } from "./http.ts";
import { PICKLIST_PARENTS } from "./picklists.ts";
import type { WriteContext } from "./rule-kit.ts";
import { RULES } from "./rules.ts";
import { coerceValue, dataField, dataFields, isPicklistField, isWritable, referenceOf, type Row } from "./schema.ts";
import type { UdfValues } from "./store.ts";
import { findUdf, udfsFor } from "./udfs.ts";

export type { WriteContext } from "./rule-kit.ts";

interface Input {
  id?: unknown;
  values: Map<string, unknown>;
  udfs?: UdfValues;
}

/** Body keys match fields case-insensitively; unknown and read-only keys are ignored, as the API's reader does. */
function readBody(def: EntityDef, body: unknown): Input {
  if (!isObject(body)) fail(`Error reading JSON: the ${def.singular} must be a JSON object.`);
  const input: Input = { values: new Map() };
  for (const [key, raw] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === "id") input.id = raw;
    else if (lower === "userdefinedfields") input.udfs = readUdfs(def, raw);
    else {
      const field = dataField(def, key);
      if (field && isWritable(field)) input.values.set(field.name, coerceValue(field, raw));
    }
  }
  return input;
}

function readUdfs(def: EntityDef, raw: unknown): UdfValues | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!Array.isArray(raw)) fail("userDefinedFields must be an array of {name, value}.");
  const values: UdfValues = {};
  for (const entry of raw) {
    const keys = isObject(entry) ? lowerKeys(entry) : {};
    const name = typeof keys.name === "string" ? keys.name : "";
    const udf = findUdf(def.name, name);
    if (!udf) fail(`Unable to find ${name || JSON.stringify(entry)} in the ${def.singular} entity's user-defined fields.`);
    const value = keys.value;
    if (value === null || value === undefined || value === "") {
      values[udf.name] = null;
      continue;
    }
    if (typeof value === "object") fail(`Invalid value for user-defined field ${udf.name}.`);
    const text = String(value);
    if (udf.picklist && !udf.picklist.some((v) => v.value.toLowerCase() === text.toLowerCase() && v.isActive))
      fail(`Value ${text} is not a valid value for ${udf.name}`);
    if (udf.type === "double" && !Number.isFinite(Number(text))) fail(`Value ${text} is not a valid number for ${udf.name}`);
    values[udf.name] = udf.picklist?.find((v) => v.value.toLowerCase() === text.toLowerCase())?.value ?? text;
  }
  return values;
}

function readId(def: EntityDef, raw: unknown): number {
  const id = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (raw === undefined || raw === null) fail("Missing Required Field: id");
  if (typeof id !== "number" || !Number.isInteger(id)) fail(`Invalid id ${JSON.stringify(raw)} for ${def.singular}.`);
  return id;
}

export function notFound(def: EntityDef, id: unknown): never {
  return fail(`${def.singular} with id ${String(id)} does not exist or access is denied.`);
}

const isEmpty = (value: unknown) => value === null || value === undefined;

function checkRequired(def: EntityDef, row: Record<string, unknown>, only?: Set<string>): void {
  const missing = def.requiredOnCreate
    .map((name) => dataField(def, name)?.name ?? name)
    .filter((name) => (!only || only.has(name)) && isEmpty(row[name]));
  if (missing.length > 0) fail(...missing.map((name) => `Missing Required Field: ${name}`));
}

/** Picklist and reference checks for the fields a write sets (unchanged old values stay valid). */
function checkValues(ctx: WriteContext, def: EntityDef, row: Record<string, unknown>, changed: Iterable<string>): void {
  const fields = new Set(changed);
  for (const [key, parent] of Object.entries(PICKLIST_PARENTS)) {
    const [entityName, child] = key.split(".");
    if (entityName === def.name && child && fields.has(parent)) fields.add(child);
  }
  for (const name of fields) {
    const field = dataField(def, name);
    const value = row[name];
    if (!field || isEmpty(value)) continue;
    if (isPicklistField(def, field)) checkPicklist(ctx, def, field, row, value);
    const reference = referenceOf(def, field);
    const target = reference ? findEntity(reference) : undefined;
    if (target && typeof value === "number" && !ctx.db.get(target.name, value))
      fail(`${target.singular} ${value} (${field.name}) does not exist or access is denied.`);
  }
}

function checkPicklist(ctx: WriteContext, def: EntityDef, field: FieldDef, row: Record<string, unknown>, value: unknown) {
  const list = ctx.db.picklist(def.name, field.name);
  if (!list) return;
  const parentField = PICKLIST_PARENTS[`${def.name}.${field.name}`];
  const parentValue = parentField ? String(row[parentField] ?? "") : undefined;
  const text = String(value);
  const entry = list.find((v) => v.value === text && v.isActive);
  if (!entry || (parentValue !== undefined && entry.parentValue !== parentValue))
    fail(`Value ${text} is not a valid value for ${field.name}`);
}

/** Server-maintained fields, stamped by name wherever the entity has them. */
function stamp(ctx: WriteContext, def: EntityDef, row: Record<string, unknown>, creating: boolean): void {
  for (const field of dataFields(def)) {
    const name = field.name;
    if (creating && (name === "createDate" || name === "createDateTime" || name === "attachDate")) row[name] = ctx.now;
    else if (creating && (name === "creatorResourceID" || name === "createdByResourceID")) row[name] = ctx.actorId;
    else if (creating && name === "impersonatorCreatorResourceID") row[name] = ctx.impersonatorId;
    else if (!creating && name === "impersonatorUpdaterResourceID") row[name] = ctx.impersonatorId;
    else if (!creating && name === "updateResourceID") row[name] = ctx.actorId;
    else if (/^last(Activity|Modified|TrackedModifi\w*)(Date|DateTime|Time)?$/.test(name) && field.type === "datetime")
      row[name] = ctx.now;
    else if (name === "lastActivityResourceID") row[name] = ctx.actorId;
    else if (name === "lastActivityPersonType") row[name] = 1;
  }
}

/** Activity on a child (a note, a charge …) is activity on its parent. */
function touchParent(ctx: WriteContext, def: EntityDef, row: Row): void {
  const parent = def.parent && findEntity(def.parent.entity);
  const parentRow = parent && ctx.db.get(parent.name, Number(row[def.parent?.field ?? ""]));
  if (!parent || !parentRow) return;
  for (const name of ["lastActivityDate", "lastActivityDateTime"])
    if (dataField(parent, name)) parentRow[name] = ctx.now;
  if (dataField(parent, "lastActivityResourceID")) parentRow.lastActivityResourceID = ctx.actorId;
}

function checkParent(ctx: WriteContext, def: EntityDef, values: Map<string, unknown>, parentId: number | undefined) {
  if (!def.parent || parentId === undefined) return;
  const field = def.parent.field;
  const given = values.get(field);
  if (!isEmpty(given) && given !== parentId)
    fail(`${field} ${String(given)} in the body does not match the parent id ${parentId} in the URL.`);
  const parent = findEntity(def.parent.entity);
  if (parent && !ctx.db.get(parent.name, parentId)) notFound(parent, parentId);
  values.set(field, parentId);
}

export function createRecord(ctx: WriteContext, def: EntityDef, body: unknown, parentId?: number): number {
  const input = readBody(def, body);
  checkParent(ctx, def, input.values, parentId);
  const row: Record<string, unknown> = Object.fromEntries(input.values);
  checkRequired(def, row);
  for (const field of dataFields(def))
    if (field.type === "boolean" && isWritable(field) && isEmpty(row[field.name])) row[field.name] = false;
  const rules = RULES[def.name];
  rules?.prepare?.(ctx, row);
  checkValues(ctx, def, row, Object.keys(row));
  rules?.validate?.(ctx, row);
  if (udfsFor(def.name).length > 0) row.userDefinedFields = input.udfs ?? {};
  stamp(ctx, def, row, true);
  const saved = ctx.db.insert(def.name, row);
  rules?.afterCreate?.(ctx, saved);
  touchParent(ctx, def, saved);
  return saved.id;
}

export function updateRecord(
  ctx: WriteContext,
  def: EntityDef,
  body: unknown,
  mode: "PATCH" | "PUT",
  parentId?: number,
): number {
  const input = readBody(def, body);
  const id = readId(def, input.id);
  const existing = ctx.db.get(def.name, id);
  if (!existing || (def.parent && parentId !== undefined && existing[def.parent.field] !== parentId))
    notFound(def, id);
  checkParent(ctx, def, input.values, parentId);
  const next: Row = { ...existing };
  if (mode === "PUT")
    for (const field of dataFields(def))
      if (isWritable(field) && !input.values.has(field.name)) next[field.name] = field.type === "boolean" ? false : null;
  for (const [name, value] of input.values) next[name] = value;
  checkRequired(def, next, mode === "PUT" ? undefined : new Set(input.values.keys()));
  const rules = RULES[def.name];
  rules?.prepare?.(ctx, next, existing);
  checkValues(ctx, def, next, input.values.keys());
  rules?.validate?.(ctx, next, existing);
  if (input.udfs || mode === "PUT")
    next.userDefinedFields = mode === "PUT" ? (input.udfs ?? {}) : { ...(existing.userDefinedFields as UdfValues), ...input.udfs };
  stamp(ctx, def, next, false);
  ctx.db.table(def.name).set(id, next);
  rules?.afterUpdate?.(ctx, next, existing);
  touchParent(ctx, def, next);
  return id;
}

export function deleteRecord(ctx: WriteContext, def: EntityDef, id: number, parentId?: number): number {
  const existing = ctx.db.get(def.name, id);
  if (!existing || (def.parent && parentId !== undefined && existing[def.parent.field] !== parentId))
    notFound(def, id);
  RULES[def.name]?.beforeDelete?.(ctx, existing);
  ctx.db.remove(def.name, id);
  RULES[def.name]?.afterDelete?.(ctx, existing);
  return id;
}
