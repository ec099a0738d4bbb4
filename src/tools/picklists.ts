/**
 * Picklist rules, always from the tenant's own entityInformation/fields — never from constants
 * (the original hard-coded a `publish` level and published internal notes to clients).
 */
import type { FieldInfo, PicklistValue } from "../autotask/client.ts";
import type { ToolContext } from "../context.ts";
import { ToolError } from "./define.ts";

export function activeValues(values: PicklistValue[]): PicklistValue[] {
  return values.filter((value) => value.isActive !== false).sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
}

/** "1 New, 5 Complete, 8 In Progress" — how allowed values are shown in errors and descriptions. */
export function listValues(values: PicklistValue[]): string {
  return activeValues(values)
    .map((value) => `${value.value} ${value.label}`)
    .join(", ");
}

export async function picklistOf(ctx: ToolContext, entityName: string, fieldName: string): Promise<PicklistValue[]> {
  return ctx.cache.picklist(ctx.client, entityName, fieldName);
}

/** The tenant's default for a picklist field: its marked default, else the first active value. */
export async function defaultValue(ctx: ToolContext, entityName: string, fieldName: string): Promise<number | string | undefined> {
  const active = activeValues(await picklistOf(ctx, entityName, fieldName));
  const chosen = active.find((value) => value.isDefaultValue) ?? active[0];
  return chosen ? asValue(chosen.value) : undefined;
}

/** Finds an active value by its label (case-insensitive), e.g. "In Progress" -> 8. */
export async function valueForLabel(ctx: ToolContext, entityName: string, fieldName: string, label: string): Promise<number | string | undefined> {
  const lower = label.trim().toLowerCase();
  const found = activeValues(await picklistOf(ctx, entityName, fieldName)).find((value) => value.label.toLowerCase() === lower);
  return found ? asValue(found.value) : undefined;
}

/**
 * The most restrictive visibility for a note or attachment: "Internal Only" when the tenant has
 * it, else the narrowest value whose label says internal. When nothing says internal we refuse to
 * guess — publishing to everyone by accident is the failure this exists to prevent.
 */
export async function mostRestrictivePublish(ctx: ToolContext, entityName: string, fieldName = "publish"): Promise<number | string> {
  const active = activeValues(await picklistOf(ctx, entityName, fieldName));
  const internal =
    active.find((value) => /^internal only$/i.test(value.label.trim())) ??
    active.find((value) => /internal only/i.test(value.label)) ??
    active.find((value) => /internal/i.test(value.label) && !/co-?managed|client|customer|all/i.test(value.label)) ??
    active.find((value) => /internal/i.test(value.label));
  if (!internal) {
    throw new ToolError(
      `Cannot tell which ${fieldName} value keeps this private on this tenant; pass ${fieldName} explicitly. Allowed: ${listValues(active) || "none found"}.`,
    );
  }
  return asValue(internal.value);
}

/**
 * Throws a ToolError naming the field and the tenant's allowed values when `value` is not one of
 * them. Writes must use active values; `purpose: "filter"` also accepts inactive ones, which old
 * records still carry.
 */
export async function checkPicklistValue(
  ctx: ToolContext,
  entityName: string,
  field: FieldInfo | string,
  value: unknown,
  purpose: "write" | "filter" = "write",
): Promise<void> {
  const info = typeof field === "string" ? await ctx.cache.field(ctx.client, entityName, field) : field;
  if (!info?.isPickList || !info.picklistValues?.length || value === undefined || value === null) return;
  const allowed = purpose === "filter" ? info.picklistValues : activeValues(info.picklistValues);
  if (allowed.some((option) => option.value === String(value))) return;
  throw new ToolError(`${info.name} ${JSON.stringify(value)} is not a valid value on this tenant. Allowed: ${listValues(info.picklistValues)}.`);
}

/**
 * Checks a create/update body against the tenant's metadata before anything is sent: picklist
 * values must exist, and (for creates) required fields must be present.
 */
export async function checkBody(ctx: ToolContext, entityName: string, body: Record<string, unknown>, mode: "create" | "update"): Promise<void> {
  const info = await ctx.cache.fieldInfo(ctx.client, entityName);
  const byName = new Map(info.map((field) => [field.name.toLowerCase(), field]));
  for (const [key, value] of Object.entries(body)) {
    const field = byName.get(key.toLowerCase());
    if (field) await checkPicklistValue(ctx, entityName, field, value);
  }
  if (mode !== "create") return;
  const missing = info.filter((field) => field.isRequired && !field.isReadOnly && field.name !== "id" && (body[field.name] === undefined || body[field.name] === null || body[field.name] === ""));
  if (missing.length > 0) {
    const described = missing.map((field) => (field.isPickList && field.picklistValues?.length ? `${field.name} (one of: ${listValues(field.picklistValues)})` : field.name));
    throw new ToolError(`Autotask requires ${described.join("; ")} to create this record.`);
  }
}

/** A picklist value as Autotask stores it: a number when it is one, else the string. */
export function asValue(raw: string): number | string {
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}
