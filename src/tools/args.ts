/**
 * Argument building blocks shared by every tool.
 *
 * - IDs are whole numbers ≥ 0 (numeric strings are accepted, models send them). A ticket id also
 *   accepts the ticket number (`T20250103.0009`), resolved to the id before the tool runs.
 * - Picklist arguments take the tenant's value or its label (`"In Progress"`), resolved from the
 *   tenant's own picklist before the tool runs (resolve.ts).
 * - Dates come in two kinds (see ../autotask/dates.ts): `day()` for calendar dates (dateWorked,
 *   weekEnding …: the day as written, never shifted by a time zone) and `instant()` for date-times
 *   (UTC unless an offset is given).
 * - Pages start at 1 with 25 rows by default.
 */
import { z } from "zod";
import { calendarDate, utcInstant } from "../autotask/dates.ts";

const numericString = (value: unknown) => (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value);
const booleanString = (value: unknown) => (value === "true" ? true : value === "false" ? false : value);

/** What an argument refers to, so resolve.ts can turn a label or a ticket number into a stored value. */
export type ArgRef = { kind: "picklist"; entity?: string; field?: string } | { kind: "ticket" } | { kind: "date" | "datetime" };

const refs = new WeakMap<z.ZodType, ArgRef>();

function marked<T extends z.ZodType>(schema: T, ref: ArgRef): T {
  refs.set(schema, ref);
  return schema;
}

/** The reference an argument schema carries (through `.optional()`), if any. */
export function argRef(schema: z.ZodType): ArgRef | undefined {
  let current: z.ZodType | undefined = schema;
  while (current) {
    const ref = refs.get(current);
    if (ref) return ref;
    current = current instanceof z.ZodOptional || current instanceof z.ZodDefault ? (current.unwrap() as z.ZodType) : undefined;
  }
  return undefined;
}

/**
 * A record id. `source` says where the model gets it ("from autotask_search_companies").
 * 0 is valid: it is the id of the MSP's own company in every Autotask tenant.
 */
export const id = (what: string, source?: string) =>
  z.preprocess(numericString, z.number().int().min(0)).describe(source ? `${what} (${source})` : what);

export const TICKET_NUMBER = /^T\d{8}\.\d{4,}$/i;

/**
 * A ticket id, or its ticket number (`T20250103.0009`). The number is looked up before the tool runs
 * (resolve.ts), so `run` always sees the id — hence the output type.
 */
export const ticketId = (what: string) =>
  marked(
    z
      .preprocess(
        numericString,
        z.union([
          z.number().int().min(0),
          z.string().trim().regex(TICKET_NUMBER, { error: "must be a ticket id (a number) or a ticket number such as T20250103.0009" }),
        ]),
      )
      .describe(`${what}: id or ticket number (T20250103.0009)`) as unknown as z.ZodType<number, number | string>,
    { kind: "ticket" },
  );

/** An id argument by name: ticket ids accept ticket numbers too. */
export const idArg = (name: string, description: string) => (/^ticketid$/i.test(name) ? ticketId(description) : id(description));

/** A plain number (amounts, hours). */
export const num = (description: string) => z.preprocess(numericString, z.number()).describe(description);

/**
 * A picklist value: the tenant's number, or its label (case-insensitive). `of` names the entity
 * and field when they differ from the tool's entity and the argument's name. A tool's `run` sees
 * the stored value: labels are resolved before it runs (resolve.ts), hence the output type.
 */
export const picklist = (description: string, of: { entity?: string; field?: string } = {}) =>
  marked(
    z.preprocess(numericString, z.union([z.number().int(), z.string().trim().min(1)])).describe(description) as unknown as z.ZodType<number, number | string>,
    { kind: "picklist", ...of },
  );

export const bool = (description: string) => z.preprocess(booleanString, z.boolean()).describe(description);

export const text = (description: string, max = 8000) => z.string().max(max).describe(description);

const received = (value: string) => JSON.stringify(value);

/**
 * A date-time (an instant): ISO 8601 date or date-time -> UTC ISO string. No offset means UTC; a date
 * alone means midnight UTC (`2026-11-01` -> `2026-11-01T00:00:00.000Z`).
 */
export const instant = (description: string) =>
  marked(
    z
    .string()
    .transform((value, ctx) => {
      const utc = utcInstant(value);
      if (utc) return utc;
      ctx.addIssue({ code: "custom", message: `must be an ISO 8601 date-time such as 2026-11-26T14:30:00Z (or a date), got ${received(value)}` });
      return z.NEVER;
    })
    .describe(`${description} (date-time; UTC unless an offset is given)`),
    { kind: "datetime" },
  );

/**
 * A calendar date: ISO 8601 date, or the date part of a date-time in its own offset -> `YYYY-MM-DD`.
 * `2025-03-10T22:30:00-05:00` is the 10th: Autotask never shifts calendar dates between time zones.
 */
export const day = (description: string) =>
  marked(
    z
    .string()
    .transform((value, ctx) => {
      const date = calendarDate(value);
      if (date) return date;
      ctx.addIssue({ code: "custom", message: `must be a calendar date such as 2026-11-26, got ${received(value)}` });
      return z.NEVER;
    })
    .describe(`${description} (calendar date YYYY-MM-DD, taken as written)`),
    { kind: "date" },
  );

export const DEFAULT_PAGE_SIZE = 25;

export const page = () => z.preprocess(numericString, z.number().int().min(1).max(10_000)).describe("Page number, starting at 1 (default 1)");

/**
 * Autotask's own page is 500 rows, and the original accepted 500 on its widest searches: every
 * search takes up to 500 (deeper pages are read through Autotask's next-page links).
 */
export const MAX_PAGE_SIZE = 500;

export const pageSize = () =>
  z.preprocess(numericString, z.number().int().min(1).max(MAX_PAGE_SIZE)).describe(`Rows per page, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`);

export const searchTerm = (fields: string) => z.string().min(1).max(200).describe(`Text to look for (matches ${fields}, case-insensitive)`);

/** Deletes require an explicit `confirm: true` so a model cannot delete by accident. */
export const confirm = () =>
  z.literal(true, { error: "must be true: deleting cannot be undone, so pass confirm: true to proceed" }).describe("Must be true: confirms the deletion, which cannot be undone");

export const udfs = () =>
  z
    .array(z.object({ name: z.string().describe("UDF label"), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }))
    .describe("User-defined fields as [{name, value}] (names are the UDF labels)");
