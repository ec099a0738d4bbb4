/**
 * Argument building blocks shared by every tool, each with a description a model can act on.
 * IDs are whole numbers ≥ 0 (numeric strings are accepted, models send them); dates are ISO 8601
 * (date or date-time) and are sent to Autotask in UTC; pages start at 1 with 25 rows by default.
 */
import { z } from "zod";

const numericString = (value: unknown) => (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value);
const booleanString = (value: unknown) => (value === "true" ? true : value === "false" ? false : value);

/**
 * A record id. `source` says where the model gets it ("from autotask_search_companies").
 * 0 is valid: it is the id of the MSP's own company in every Autotask tenant.
 */
export const id = (what: string, source?: string) =>
  z.preprocess(numericString, z.number().int().min(0)).describe(source ? `${what} (${source})` : what);

/** A plain number (amounts, hours, picklist values given as numbers). */
export const num = (description: string) => z.preprocess(numericString, z.number()).describe(description);

/** A picklist value as its number (see autotask_list_picklist for the tenant's values). */
export const picklist = (description: string) => z.preprocess(numericString, z.number().int()).describe(description);

export const bool = (description: string) => z.preprocess(booleanString, z.boolean()).describe(description);

export const text = (description: string, max = 8000) => z.string().max(max).describe(description);

/** ISO 8601 date or date-time -> UTC ISO string (`2026-11-01` -> `2026-11-01T00:00:00.000Z`). */
export const isoDate = (description: string) =>
  z
    .string()
    .transform((value, ctx) => {
      const utc = toUtcIso(value);
      if (utc) return utc;
      ctx.addIssue({ code: "custom", message: `must be an ISO 8601 date or date-time (e.g. 2026-11-26 or 2026-11-26T14:30:00Z), got ${JSON.stringify(value)}` });
      return z.NEVER;
    })
    .describe(`${description} (ISO 8601 date or date-time, UTC)`);

export function toUtcIso(value: string): string | undefined {
  const trimmed = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(trimmed)) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  const ms = Date.parse(dateOnly ? `${trimmed}T00:00:00Z` : hasZone ? trimmed.replace(" ", "T") : `${trimmed.replace(" ", "T")}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export const DEFAULT_PAGE_SIZE = 25;

export const page = () => z.preprocess(numericString, z.number().int().min(1).max(10_000)).describe("Page number, starting at 1 (default 1)");

export const pageSize = (max = 200) =>
  z.preprocess(numericString, z.number().int().min(1).max(max)).describe(`Rows per page, 1-${max} (default ${DEFAULT_PAGE_SIZE})`);

export const searchTerm = (fields: string) => z.string().min(1).max(200).describe(`Text to look for (matches ${fields}, case-insensitive)`);

/** Deletes require an explicit `confirm: true` so a model cannot delete by accident. */
export const confirm = () =>
  z.literal(true, { error: "must be true: deleting cannot be undone, so pass confirm: true to proceed" }).describe("Must be true: confirms the deletion, which cannot be undone");

export const udfs = () =>
  z
    .array(z.object({ name: z.string().describe("UDF label"), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }))
    .describe("User-defined fields as [{name, value}] (names are the UDF labels)");
