/** Date rules several tools share: today as Autotask stores dates, whole-day bounds, start before end. */
import { f, type Filter } from "../autotask/filter.ts";
import { ToolError } from "./define.ts";

const DAY_MS = 86_400_000;

/** Midnight UTC today, as Autotask stores date-only values. */
export function todayUtc(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
}

/**
 * "On or before" for a date argument. A date without a time (it arrives as midnight UTC) means the
 * whole day, so `2026-11-30` includes everything stamped on the 30th.
 */
export function onOrBefore(field: string, utcIso: string): Filter {
  return utcIso.endsWith("T00:00:00.000Z") ? f.lt(field, new Date(Date.parse(utcIso) + DAY_MS).toISOString()) : f.lte(field, utcIso);
}

export function onOrAfter(field: string, utcIso: string): Filter {
  return f.gte(field, utcIso);
}

/** Refuses an end before its start before anything is sent (Autotask would refuse it too). */
export function checkOrder(startName: string, start: string | undefined, endName: string, end: string | undefined): void {
  if (start && end && Date.parse(end) < Date.parse(start)) {
    throw new ToolError(`${endName} (${end.slice(0, 10)}) is before ${startName} (${start.slice(0, 10)}): pass an ${endName} on or after the start.`);
  }
}
