/**
 * Date rules several tools share: today, whole-day bounds, start before end. Values are either a
 * calendar date `YYYY-MM-DD` (from the `day()` argument) or a UTC instant (from `instant()`); see
 * ../autotask/dates.ts for why the two never mix.
 */
import { dateForAutotask } from "../autotask/dates.ts";
import { f, type Filter } from "../autotask/filter.ts";
import { ToolError } from "./define.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MIDNIGHT_UTC = "T00:00:00.000Z";

/** Today's calendar date (UTC), `YYYY-MM-DD`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Midnight UTC today, for date-time fields that default to "today". */
export function todayUtc(): string {
  return `${today()}${MIDNIGHT_UTC}`;
}

/** `YYYY-MM-DD` plus whole days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * "On or before" for a date argument. A calendar date bounds a date field by the day itself; on a
 * date-time field, a date without a time (it arrives as midnight UTC) means the whole day, so
 * `2026-11-30` includes everything stamped on the 30th.
 */
export function onOrBefore(field: string, value: string): Filter {
  if (DAY.test(value)) return f.lte(field, dateForAutotask(value));
  return value.endsWith(MIDNIGHT_UTC) ? f.lt(field, `${addDays(value.slice(0, 10), 1)}${MIDNIGHT_UTC}`) : f.lte(field, value);
}

export function onOrAfter(field: string, value: string): Filter {
  return f.gte(field, DAY.test(value) ? dateForAutotask(value) : value);
}

/**
 * Refuses an end before its start before anything is sent (Autotask would refuse it too); with
 * `strictly`, an end equal to the start as well (a visit must last). Values are printed as given:
 * a calendar date as `YYYY-MM-DD`, a date-time in full, so two times on one day read differently.
 */
export function checkOrder(startName: string, start: string | undefined, endName: string, end: string | undefined, options: { strictly?: boolean } = {}): void {
  if (!start || !end) return;
  const [from, to] = [Date.parse(start), Date.parse(end)];
  if (to > from || (to === from && !options.strictly)) return;
  throw new ToolError(
    `${endName} (${end}) is ${to === from ? "the same as" : "before"} ${startName} (${start}): pass an ${endName} ${options.strictly ? "after" : "on or after"} the start.`,
  );
}
