/**
 * Time sheet: the entries autotask_search_time_entries returned, as a Monday-to-Sunday grid per
 * resource — one row per ticket, task or regular-time category (billable and non-billable time on
 * the same item are separate rows), hours per day, totals per row and per day, and billable /
 * non-billable totals. Entries spanning several weeks get Previous / Next week buttons.
 *
 * Days come from the date part of `dateWorked` as Autotask stores it: no time-zone shift.
 */
import { chip, h, replace } from "./dom.ts";
import { day, hours } from "./format.ts";
import type { Data } from "./host.ts";

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the Monday on or before `isoDay`. */
function mondayOf(isoDay: string): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  return new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * DAY_MS).toISOString().slice(0, 10);
}

function addDays(isoDay: string, days: number): string {
  return new Date(new Date(`${isoDay}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

interface Row {
  label: string;
  nonBillable: boolean;
  /** Hours per weekday, Monday first. */
  days: number[];
}

interface Sheet {
  resource: string;
  rows: Row[];
}

/** What an entry was for: its ticket, task or internal (regular time) category. */
function itemOf(e: Data): { key: string; label: string } {
  if (e.ticketID) return { key: `ticket:${e.ticketID}`, label: String(e.ticketName ?? `Ticket ${e.ticketID}`) };
  if (e.taskID) return { key: `task:${e.taskID}`, label: String(e.taskName ?? `Task ${e.taskID}`) };
  if (e.internalBillingCodeID) return { key: `internal:${e.internalBillingCodeID}`, label: String(e.internalBillingCodeName ?? "Regular time") };
  // Neither ticket nor task: regular (internal) time whose category the search does not return.
  return { key: "regular", label: "Regular time" };
}

/** The week's grid per resource (resources and rows in name order). */
function weekSheets(entries: Data[], monday: string): Sheet[] {
  const sunday = addDays(monday, 6);
  const byResource = new Map<string, Map<string, Row>>();
  for (const e of entries) {
    const isoDay = String(e.dateWorked ?? "").slice(0, 10);
    if (isoDay < monday || isoDay > sunday) continue;
    const resource = String(e.resourceName ?? (e.resourceID ? `Resource ${e.resourceID}` : "Unknown resource"));
    const rows = byResource.get(resource) ?? new Map<string, Row>();
    byResource.set(resource, rows);
    const item = itemOf(e);
    const nonBillable = e.isNonBillable === true;
    const key = `${item.key}|${nonBillable}`;
    const row = rows.get(key) ?? { label: item.label, nonBillable, days: [0, 0, 0, 0, 0, 0, 0] };
    rows.set(key, row);
    const index = Math.round((Date.parse(`${isoDay}T00:00:00Z`) - Date.parse(`${monday}T00:00:00Z`)) / DAY_MS);
    row.days[index]! += Number(e.hoursWorked) || 0;
  }
  return [...byResource]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resource, rows]) => ({ resource, rows: [...rows.values()].sort((a, b) => a.label.localeCompare(b.label) || Number(a.nonBillable) - Number(b.nonBillable)) }));
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const cell = (value: number) => h("td", { class: "num" }, value ? hours(value) : "");

export function showTimeSheet(root: HTMLElement, data: Data): void {
  const entries = (data.items ?? []) as Data[];
  const weeks = [...new Set(entries.map((e) => String(e.dateWorked ?? "").slice(0, 10)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).map(mondayOf))].sort();
  if (weeks.length === 0) {
    replace(root, h("h1", null, "Time sheet"), h("p", { class: "muted" }, String(data.hint ?? "No time entries match.")));
    return;
  }
  renderWeek(root, data, entries, weeks, weeks.length - 1);
}

function renderWeek(root: HTMLElement, data: Data, entries: Data[], weeks: string[], index: number, focus?: "previous" | "next"): void {
  const monday = weeks[index]!;
  const all = entries.map((e) => ({ hours: Number(e.hoursWorked) || 0, nonBillable: e.isNonBillable === true }));
  const billable = sum(all.filter((e) => !e.nonBillable).map((e) => e.hours));
  const nonBillable = sum(all.filter((e) => e.nonBillable).map((e) => e.hours));
  const page = (data.page ?? {}) as Data;
  const previous = h("button", { type: "button", disabled: index === 0 }, "← Previous week");
  const next = h("button", { type: "button", disabled: index === weeks.length - 1 }, "Next week →");
  previous.addEventListener("click", () => renderWeek(root, data, entries, weeks, index - 1, "previous"));
  next.addEventListener("click", () => renderWeek(root, data, entries, weeks, index + 1, "next"));
  const dayNames = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  replace(
    root,
    h("h1", null, "Time sheet"),
    h(
      "p",
      null,
      `${hours(billable + nonBillable)} h in ${entries.length} entr${entries.length === 1 ? "y" : "ies"}: ${hours(billable)} h billable, ${hours(nonBillable)} h non-billable.`,
      page.hasMore ? ` More entries match than this page holds${typeof data.totalHoursAllPages === "number" ? ` (${hours(data.totalHoursAllPages)} h in all)` : ""}.` : "",
    ),
    h(
      "div",
      { class: "toolbar", role: "group", "aria-label": "Week" },
      previous,
      h("p", { role: "status" }, h("strong", null, `Week of ${day(monday, { day: "numeric", month: "long", year: "numeric" })}`), weeks.length > 1 ? ` (${index + 1} of ${weeks.length})` : ""),
      next,
    ),
    weekSheets(entries, monday).map((sheet) => {
      const perDay = (filter: (row: Row) => boolean) => dayNames.map((_, i) => sum(sheet.rows.filter(filter).map((row) => row.days[i]!)));
      const totals = perDay(() => true);
      const billableDays = perDay((row) => !row.nonBillable);
      const nonBillableDays = perDay((row) => row.nonBillable);
      return h(
        "section",
        { "aria-label": `Time of ${sheet.resource}` },
        h("h2", null, sheet.resource, h("span", { class: "muted" }, ` · ${hours(sum(totals))} h`)),
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "compact" },
            h("caption", { class: "sr-only" }, `Hours of ${sheet.resource} in the week of ${day(monday)}, per item and day`),
            h("thead", null, h("tr", null, h("th", { scope: "col" }, "Ticket / task"), dayNames.map((d) => h("th", { scope: "col", class: "num" }, day(d, { weekday: "short", day: "numeric" }))), h("th", { scope: "col", class: "num" }, "Total"))),
            h(
              "tbody",
              null,
              sheet.rows.map((row) =>
                h("tr", null, h("th", { scope: "row" }, row.label, row.nonBillable ? [" ", chip("non-billable")] : null), row.days.map(cell), cell(sum(row.days))),
              ),
            ),
            h(
              "tfoot",
              null,
              h("tr", null, h("th", { scope: "row" }, "Billable"), billableDays.map(cell), cell(sum(billableDays))),
              h("tr", null, h("th", { scope: "row" }, "Non-billable"), nonBillableDays.map(cell), cell(sum(nonBillableDays))),
              h("tr", null, h("th", { scope: "row" }, "Total"), totals.map(cell), cell(sum(totals))),
            ),
          ),
        ),
      );
    }),
  );
  if (focus === "previous") (previous.disabled ? next : previous).focus();
  if (focus === "next") (next.disabled ? previous : next).focus();
}
