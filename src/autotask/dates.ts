/**
 * The two kinds of date Autotask has, one rule for client, tools and sandbox.
 *
 * - A **date-time** (createDate, lastActivityDate, dueDateTime, startDateTime …) is an instant. The
 *   REST API stores and returns it in UTC, so a value with an offset is converted to UTC, and a value
 *   without one is taken as UTC.
 * - A **date** (dateWorked, weekEnding, effectiveDate, a contract's startDate …) is a calendar day.
 *   Autotask does not convert it between time zones: it keeps the date and sets midnight (Autotask
 *   REST API docs, "Date and time fields"). So the day is taken as written: `2025-03-10` as is, and
 *   `2025-03-10T22:30:00-05:00` is the 10th — never the 11th it would become in UTC.
 *
 * The entity table marks each field's kind (`type: "date"` or `"datetime"`).
 */

/** ISO 8601 as people and models write it: a date, optionally a time (T or space) and an offset. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

interface Parts {
  date: string;
  /** Epoch ms of the instant (midnight UTC for a date alone; no offset means UTC). */
  ms: number;
}

function parse(text: string): Parts | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const date = `${y}-${mo}-${d}`;
  // Reject impossible days (2025-02-30) that Date.parse would roll over into March.
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) return undefined;
  if (!h) return { date, ms: day.getTime() };
  const offset = !zone || zone.toUpperCase() === "Z" ? "Z" : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${h}:${mi}:${s ?? "00"}${frac ?? ""}${offset}`);
  return Number.isNaN(ms) || Number(h) > 23 ? undefined : { date, ms };
}

/** The calendar day of an ISO date or date-time, as written (in its own offset): `YYYY-MM-DD`. */
export function calendarDate(text: string): string | undefined {
  return parse(text)?.date;
}

/** An ISO date or date-time as a UTC instant (`…Z`); no offset means UTC, a date alone midnight UTC. */
export function utcInstant(text: string): string | undefined {
  const ms = instantMs(text);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** utcInstant as epoch milliseconds, for comparing instants; undefined for anything but an ISO date or date-time that exists. */
export function instantMs(text: string): number | undefined {
  return parse(text)?.ms;
}

/** How a calendar date goes to Autotask: midnight, no offset (`2025-03-10T00:00:00`). */
export function dateForAutotask(date: string): string {
  return `${date}T00:00:00`;
}

export type DateKind = "date" | "datetime";

/**
 * A value as Autotask expects it in a body or filter for a field of this kind, or undefined when it
 * is not an ISO date at all (the caller reports that).
 */
export function toAutotaskDate(kind: DateKind, text: string): string | undefined {
  if (kind === "datetime") return utcInstant(text);
  const date = calendarDate(text);
  return date && dateForAutotask(date);
}
