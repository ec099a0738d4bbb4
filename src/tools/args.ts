/**
 * Argument building blocks shared by every tool.
 *
 * - IDs are whole numbers ≥ 0 (numeric strings are accepted, models send them). A ticket id also
 *   accepts the ticket number (`T20250103.0009`), resolved to the id before the tool runs.
 * - Picklist arguments take the tenant's value or its label (`"In Progress"`), resolved from the
 *   tenant's own picklist before the tool runs (resolve.ts).
 * - Dates come in two kinds (see ../autotask/dates.ts): `day()` for calendar dates (dateWorked,
 *   weekEnding …: the day as written, never shifted by a time zone) and `instant()` for date-times
 *   (UTC unless an offset is given). Only calendar dates carry a marker in the listing.
 * - Pages start at 1 with 25 rows by default.
 *
 * What every argument of a kind shares (where ids come from, labels for picklists, ticket numbers,
 * the two date kinds, paging) is said once, in the server instructions (conventions.ts), not on
 * each argument: a description is optional and says only what the name and type do not.
 */
import { z } from "zod";
import { calendarDate, utcInstant } from "../autotask/dates.ts";
import { listAs } from "./schema.ts";

const numericString = (value: unknown) => (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value);
const booleanString = (value: unknown) => (value === "true" ? true : value === "false" ? false : value);

/** What an argument refers to, so resolve.ts can turn a label or a ticket number into a stored value. */
export type ArgRef = { kind: "picklist"; entity?: string; field?: string } | { kind: "ticket" } | { kind: "date" | "datetime" };

const refs = new WeakMap<z.ZodType, ArgRef>();

/** The description, when there is one: an argument whose name says everything goes without. */
const described = <T extends z.ZodType>(schema: T, description: string | undefined): T => (description ? schema.describe(description) : schema);

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
 * A record id. Named `<thing>ID`, it needs no description (the conventions say it comes from the
 * search tool for that thing); describe it when the name does not say what it is or where it
 * comes from. 0 is valid: it is the id of the MSP's own company in every Autotask tenant.
 */
export const id = (description?: string) => described(z.preprocess(numericString, z.number().int().min(0)), description);

export const TICKET_NUMBER = /^T\d{8}\.\d{4,}$/i;

/**
 * A ticket id, or its ticket number (`T20250103.0009`). The number is looked up before the tool runs
 * (resolve.ts), so `run` always sees the id — hence the output type. Listed as number or text: the
 * conventions say which text (the pattern is checked when the tool runs).
 */
export const ticketId = (description?: string) =>
  marked(
    listAs(
      z.preprocess(
        numericString,
        z.union([
          z.number().int().min(0),
          z.string().trim().regex(TICKET_NUMBER, { error: "must be a ticket id (a number) or a ticket number such as T20250103.0009" }),
        ]),
      ),
      { type: ["number", "string"], ...(description ? { description } : {}) },
    ) as unknown as z.ZodType<number, number | string>,
    { kind: "ticket" },
  );

/** An id argument by name: ticket ids accept ticket numbers too. */
export const idArg = (name: string, description?: string) => (/^ticketid$/i.test(name) ? ticketId(description) : id(description));

/** A plain number (amounts, hours). */
export const num = (description?: string) => described(z.preprocess(numericString, z.number()), description);

/**
 * A picklist value: the tenant's number, or its label (case-insensitive). `of` names the entity
 * and field when they differ from the tool's entity and the argument's name. A tool's `run` sees
 * the stored value: labels are resolved before it runs (resolve.ts), hence the output type.
 */
export const picklist = (description?: string, of: { entity?: string; field?: string } = {}) =>
  marked(
    described(z.preprocess(numericString, z.union([z.number().int(), z.string().trim().min(1)])), description) as unknown as z.ZodType<number, number | string>,
    { kind: "picklist", ...of },
  );

export const bool = (description?: string) => described(z.preprocess(booleanString, z.boolean()), description);

/** Text of at most `max` characters: `text(100)` for a field whose name says it, `text("What was done", 255)`. */
export function text(description?: string | number, max = 8000): z.ZodString {
  return typeof description === "number" ? z.string().max(description) : described(z.string().max(max), description);
}

const received = (value: string) => JSON.stringify(value);

/**
 * A date-time (an instant): ISO 8601 date or date-time -> UTC ISO string. No offset means UTC; a date
 * alone means midnight UTC (`2026-11-01` -> `2026-11-01T00:00:00.000Z`). The date-time is the
 * conventions' default kind of date argument, so it is listed without a marker (calendar dates carry
 * one, see `day`).
 */
export const instant = (description?: string) =>
  marked(
    described(
      z.string().transform((value, ctx) => {
        const utc = utcInstant(value);
        if (utc) return utc;
        ctx.addIssue({ code: "custom", message: `must be an ISO 8601 date-time such as 2026-11-26T14:30:00Z (or a date), got ${received(value)}` });
        return z.NEVER;
      }),
      description,
    ),
    { kind: "datetime" },
  );

/**
 * A calendar date: ISO 8601 date, or the date part of a date-time in its own offset -> `YYYY-MM-DD`.
 * `2025-03-10T22:30:00-05:00` is the 10th: Autotask never shifts calendar dates between time zones.
 * Listed with the marker "YYYY-MM-DD", which the conventions define: a calendar date, taken as written.
 */
export const day = (description?: string) =>
  marked(
    z
      .string()
      .transform((value, ctx) => {
        const date = calendarDate(value);
        if (date) return date;
        ctx.addIssue({ code: "custom", message: `must be a calendar date such as 2026-11-26, got ${received(value)}` });
        return z.NEVER;
      })
      .describe(description ? `${description} (YYYY-MM-DD)` : "YYYY-MM-DD"),
    { kind: "date" },
  );

export const DEFAULT_PAGE_SIZE = 25;

/** Pages start at 1; the conventions explain paging, so page and pageSize carry only their bounds. */
export const page = () => z.preprocess(numericString, z.number().int().min(1).max(10_000));

/**
 * Autotask's own page is 500 rows, and the original accepted 500 on its widest searches: every
 * search takes up to 500 (deeper pages are read through Autotask's next-page links). The bound is
 * said once, in the conventions, not listed on every search.
 */
export const MAX_PAGE_SIZE = 500;

export const pageSize = () => listAs(z.preprocess(numericString, z.number().int().min(1).max(MAX_PAGE_SIZE)), { type: "number" });

/**
 * Free-text search. The conventions say it matches part of the record's name or title,
 * case-insensitively; `also` says what else it matches, when more. The 200-character cap is a
 * sanity check, not something a model needs to read.
 */
export const searchTerm = (also?: string) => listAs(z.string().min(1).max(200), { type: "string", ...(also ? { description: also } : {}) });

/**
 * Deletes require an explicit `confirm: true` so a model cannot delete by accident. Listed as
 * `const: true`, which says it (and its type); the refusal explains why.
 */
export const confirm = () => listAs(z.literal(true, { error: "must be true: deleting cannot be undone, so pass confirm: true to proceed" }), { const: true });

/** User-defined fields, `[{name, value}]` by the UDF's label: a shape the conventions describe once, so listed as an array only. */
export const udfs = () => listAs(z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) })), { type: "array" });
