/**
 * How the views write dates, hours and durations (in the host's locale and time zone when it tells
 * us, SEP-1865 host context `locale` / `timeZone`), and which tone a status, priority or note
 * visibility gets. Tones only add colour: the label is always written out.
 */
import type { Tone } from "./dom.ts";

let locale: string | undefined;
let timeZone: string | undefined;

/** Adopts the host's locale and time zone (ignored when the browser does not know them). */
export function useLocale(nextLocale?: string, nextTimeZone?: string): void {
  try {
    new Intl.DateTimeFormat(nextLocale, { timeZone: nextTimeZone });
    locale = nextLocale;
    timeZone = nextTimeZone;
  } catch {
    locale = undefined;
    timeZone = undefined;
  }
}

const parse = (value: unknown): Date | undefined => {
  if (typeof value !== "string" || !value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** "3 Feb 2025, 14:05" in the host's locale and zone; "" for a missing or bad value. */
export function dateTime(value: unknown): string {
  const date = parse(value);
  return date ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date) : "";
}

/** "3 Feb 2025" in the host's locale and zone; "" for a missing or bad value. */
export function date(value: unknown): string {
  const parsed = parse(value);
  return parsed ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(parsed) : "";
}

/** A calendar day (`YYYY-MM-DD`, no zone shift) as "Mon 3 Feb" style text; "" for a bad value. */
export function day(isoDay: string, options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" }): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? "" : new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(date);
}

/** Today as `YYYY-MM-DD` in the host's time zone. */
export function today(): string {
  const parts = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone }).formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** Hours with at most two decimals: "1.5", "0.25", "8". */
export function hours(value: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Math.round(value * 100) / 100);
}

/** The largest unit only, for narrow columns: "353 d", "5 h", "12 min". */
export function shortDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes >= 1440) return `${Math.floor(minutes / 1440)} d`;
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h`;
  return `${minutes} min`;
}

/** A span of time for people: "3 d 4 h", "2 h 5 min", "12 min", "under a minute". */
export function duration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return "under a minute";
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** Milliseconds since an ISO time (negative when in the future); undefined when absent. */
export function since(value: unknown, now = Date.now()): number | undefined {
  const date = parse(value);
  return date ? now - date.getTime() : undefined;
}

export function priorityTone(label: string): Tone {
  if (/critical|urgent/i.test(label)) return "danger";
  if (/high/i.test(label)) return "warning";
  if (/low/i.test(label)) return "info";
  return undefined;
}

/** Most urgent first when sorting by priority; unknown labels sort with Medium. */
export function priorityRank(label: string): number {
  if (/critical|urgent/i.test(label)) return 0;
  if (/high/i.test(label)) return 1;
  if (/low/i.test(label)) return 3;
  return 2;
}

export function statusTone(label: string): Tone {
  if (/complete|closed|resolved/i.test(label)) return "success";
  if (/escalat/i.test(label)) return "danger";
  if (/wait|hold/i.test(label)) return "warning";
  if (/^new$/i.test(label.trim())) return "info";
  return undefined;
}

/**
 * Who sees a note, from the tenant's label of its `publish` value: anything "internal" (Internal
 * Only, Internal & Co-Managed) stays inside the MSP; everything else (All Autotask Users) reaches
 * the customer's portal — the one a technician must not miss.
 */
export function visibility(label: string | undefined): { text: string; tone: Tone } {
  if (!label) return { text: "Visibility unknown", tone: "warning" };
  if (/internal/i.test(label)) return { text: /co-?managed/i.test(label) ? "Internal & co-managed" : "Internal", tone: "info" };
  return { text: "Customer-visible", tone: "warning" };
}
