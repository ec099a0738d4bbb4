/**
 * Ticket card: one ticket with names (company, contact, assignee, queue), status and priority
 * chips, SLA due times with the time left, the latest notes with their visibility, time logged,
 * and the actions of ticket-actions.ts. Shown for autotask_get_ticket_details, create/update ticket
 * and create ticket note; results that carry no notes (every one but fullDetails: true) are
 * completed with one autotask_get_ticket_details call of our own, so the model's answer stays short.
 */
import { chip, h, messageArea, replace } from "./dom.ts";
import { dateTime, day, duration, hours, priorityTone, since, statusTone, visibility } from "./format.ts";
import { ToolCallError, type Data, type Host } from "./host.ts";
import { ticketActions } from "./ticket-actions.ts";

const LATEST = 5;

export interface CardOptions {
  /** Shown as a "Back" button (the queue board opens cards in place). */
  onBack?: () => void;
  backLabel?: string;
}

interface Card extends CardOptions {
  host: Host;
  root: HTMLElement;
  ticketId: number;
  ticket?: Data;
}

/** The ticket a tool result is about: the ticket itself, or the ticket a new note belongs to. */
function ticketIdOf(result: Data, input: Data): number | undefined {
  const item = result.item as Data | undefined;
  const candidates = result.entity === "TicketNotes" ? [item?.ticketID, input.ticketId, input.ticketID] : [item?.id, result.id, input.ticketID, input.ticketId];
  return candidates.find((value): value is number => typeof value === "number" && Number.isInteger(value) && value > 0);
}

/** Renders the card for a tool result (with `message` of a write shown on top) and loads what it lacks. */
export async function showTicket(host: Host, root: HTMLElement, result: Data, input: Data, options: CardOptions = {}): Promise<void> {
  const ticketId = ticketIdOf(result, input);
  if (!ticketId) {
    replace(root, h("p", { class: "message error", role: "alert" }, "This result does not name a ticket."));
    return;
  }
  const card: Card = { host, root, ticketId, ...options };
  const item = result.entity === "Tickets" ? (result.item as Data | undefined) : undefined;
  const flash = typeof result.message === "string" ? result.message : undefined;
  if (item && Array.isArray(item.notes)) {
    card.ticket = item;
    render(card, { details: "loaded", flash });
    return;
  }
  if (item) {
    card.ticket = item;
    render(card, { details: "loading", flash });
  } else {
    replace(root, h("p", { class: "muted", role: "status" }, `Loading ticket ${ticketId}…`));
  }
  await reload(card, flash);
}

/** Reads the ticket with its notes and time entries again (after an action, `flash` says what it did). */
async function reload(card: Card, flash?: string, kind: Kind = "info"): Promise<void> {
  try {
    const data = await card.host.call("autotask_get_ticket_details", { ticketID: card.ticketId, fullDetails: true });
    card.ticket = data.item as Data;
    render(card, { details: "loaded", flash, kind });
  } catch (error) {
    const text = `${flash ? `${flash} ` : ""}Could not load the ticket${card.ticket ? "'s notes and time" : ` ${card.ticketId}`}: ${error instanceof ToolCallError ? error.message : String(error)}`;
    if (!card.ticket) replace(card.root, h("p", { class: "message error", role: "alert" }, text));
    else render(card, { details: "failed", flash: text, kind: "error" });
  }
}

type Kind = "ok" | "info" | "error";

interface RenderState {
  /** Notes and time entries: still coming, there, or not to be had. */
  details: "loading" | "loaded" | "failed";
  flash?: string;
  kind?: Kind;
}

function render(card: Card, { details, flash, kind = "info" }: RenderState): void {
  const t = card.ticket!;
  const message = messageArea();
  const title = h("h1", { tabindex: -1 }, String(t.title ?? `Ticket ${card.ticketId}`));
  replace(
    card.root,
    card.onBack ? h("p", null, h("button", { type: "button", onclick: card.onBack }, card.backLabel ?? "Back")) : null,
    h("p", { class: "muted mono" }, [t.ticketNumber, `id ${card.ticketId}`].filter(Boolean).join(" · ")),
    title,
    h(
      "div",
      { class: "chips" },
      t.statusLabel || t.status !== undefined ? chip(String(t.statusLabel ?? t.status), statusTone(String(t.statusLabel ?? "")), "Status") : null,
      t.priorityLabel || t.priority !== undefined ? chip(String(t.priorityLabel ?? t.priority), priorityTone(String(t.priorityLabel ?? "")), "Priority") : null,
      t.queueName ? chip(String(t.queueName), undefined, "Queue") : null,
    ),
    message.element,
    facts(t),
    sla(t),
    details === "loaded" ? [time(t), notes(t)] : details === "loading" ? h("p", { class: "muted", role: "status" }, "Loading notes and time…") : null,
    t.description ? h("details", null, h("summary", null, "Description"), h("p", { class: "text" }, String(t.description))) : null,
    ticketActions({
      host: card.host,
      ticket: t,
      ticketId: card.ticketId,
      done: (text) => reload(card, text, "ok"),
    }),
  );
  if (flash) message.show(flash, kind);
  if (flash && kind !== "info") message.element.focus();
  else if (card.onBack) title.focus();
}

function facts(t: Data): HTMLElement {
  const rows: Array<[string, string]> = [
    ["Company", String(t.companyName ?? t.companyID ?? "")],
    ["Contact", String(t.contactName ?? "")],
    ["Assigned to", String(t.assignedResourceName ?? (t.assignedResourceID ? `Resource ${t.assignedResourceID}` : "Unassigned"))],
    ["Created", withAge(t.createDate)],
    ["Last activity", withAge(t.lastActivityDate)],
    ["Due", dateTime(t.dueDateTime)],
    ["Completed", dateTime(t.completedDate)],
  ];
  return h(
    "dl",
    { class: "facts" },
    rows.filter(([, value]) => value).flatMap(([term, value]) => [h("dt", null, term), h("dd", null, value)]),
  );
}

function withAge(value: unknown): string {
  const age = since(value);
  return age === undefined ? "" : `${dateTime(value)} (${duration(age)} ago)`;
}

const SLA_STEPS = [
  ["First response", "firstResponseDueDateTime", "firstResponseDateTime"],
  ["Resolution plan", "resolutionPlanDueDateTime", "resolutionPlanDateTime"],
  ["Resolution", "resolvedDueDateTime", "resolvedDateTime"],
] as const;

/** Each SLA step: met or missed once done; otherwise the time left, or how long it is overdue. */
function sla(t: Data): HTMLElement {
  const steps = SLA_STEPS.filter(([, due]) => t[due]);
  const now = Date.now();
  const items = steps.map(([label, dueField, doneField]) => {
    const due = new Date(String(t[dueField])).getTime();
    const done = t[doneField] ? new Date(String(t[doneField])).getTime() : undefined;
    let state: HTMLElement;
    if (done !== undefined) {
      state = done <= due ? chip("Met", "success") : chip(`Missed by ${duration(done - due)}`, "danger");
    } else if (t.completedDate) {
      state = chip("Not recorded");
    } else {
      const left = due - now;
      state = left >= 0 ? chip(`${duration(left)} left`, left < 2 * 3_600_000 ? "warning" : "info") : chip(`Overdue by ${duration(-left)}`, "danger");
    }
    return h("li", null, h("span", { class: "what" }, label), state, h("span", { class: "muted" }, `due ${dateTime(t[dueField])}`));
  });
  return h(
    "section",
    { "aria-label": "Service level" },
    h("h2", null, "SLA", t.serviceLevelAgreementName ? h("span", { class: "muted" }, ` · ${String(t.serviceLevelAgreementName)}`) : null),
    items.length ? h("ul", { class: "plain sla" }, items) : h("p", { class: "muted" }, "No SLA due times on this ticket."),
  );
}

function time(t: Data): HTMLElement {
  const entries = (Array.isArray(t.timeEntries) ? t.timeEntries : []) as Data[];
  const sum = (list: Data[]) => list.reduce((total, e) => total + (Number(e.hoursWorked) || 0), 0);
  const billable = sum(entries.filter((e) => e.isNonBillable !== true));
  const nonBillable = sum(entries.filter((e) => e.isNonBillable === true));
  const total = typeof t.totalHoursWorked === "number" ? t.totalHoursWorked : billable + nonBillable;
  // The result lists the latest entries only: the billable split is shown when they are all of them.
  const count = typeof t.timeEntryCount === "number" ? t.timeEntryCount : entries.length;
  const latest = [...entries].sort((a, b) => String(b.dateWorked).localeCompare(String(a.dateWorked)) || Number(b.id) - Number(a.id)).slice(0, LATEST);
  return h(
    "section",
    { "aria-label": "Time logged" },
    h("h2", null, "Time"),
    h(
      "p",
      null,
      // Past 500 entries the total covers the first 500 (totalHoursNote says so).
      `${t.totalHoursNote ? "at least " : ""}${hours(total)} h logged`,
      entries.length && count <= entries.length ? ` (${hours(billable)} h billable, ${hours(nonBillable)} h non-billable)` : "",
      count > entries.length ? ` · ${count} entries` : "",
      typeof t.estimatedHours === "number" && t.estimatedHours > 0 ? ` · estimate ${hours(t.estimatedHours)} h` : "",
    ),
    latest.length
      ? h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            null,
            h("caption", { class: "sr-only" }, "Latest time entries"),
            h("thead", null, h("tr", null, h("th", null, "Date"), h("th", null, "Who"), h("th", { class: "num" }, "Hours"), h("th", null, "Summary"))),
            h(
              "tbody",
              null,
              latest.map((e) =>
                h(
                  "tr",
                  null,
                  h("td", { class: "nowrap" }, day(String(e.dateWorked ?? "").slice(0, 10), { day: "numeric", month: "short", year: "numeric" })),
                  h("td", null, String(e.resourceName ?? e.resourceID ?? "")),
                  h("td", { class: "num" }, `${hours(Number(e.hoursWorked) || 0)}${e.isNonBillable ? " (non-billable)" : ""}`),
                  h("td", null, String(e.summaryNotes ?? "")),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}

function notes(t: Data): HTMLElement {
  const all = (Array.isArray(t.notes) ? t.notes : []) as Data[];
  const total = typeof t.noteCount === "number" ? t.noteCount : all.length;
  const latest = [...all].sort((a, b) => String(b.createDateTime).localeCompare(String(a.createDateTime)) || Number(b.id) - Number(a.id)).slice(0, LATEST);
  return h(
    "section",
    { "aria-label": "Latest notes" },
    h("h2", null, "Latest notes", total > LATEST ? h("span", { class: "muted" }, ` · ${LATEST} of ${total}`) : null),
    latest.length
      ? latest.map((note) => {
          const seen = visibility(note.publishLabel as string | undefined);
          return h(
            "article",
            { class: "note" },
            h(
              "header",
              null,
              chip(seen.text, seen.tone, "Visibility"),
              h("h3", null, String(note.title ?? "Note")),
              h("span", { class: "muted" }, [note.creatorResourceName, dateTime(note.createDateTime)].filter(Boolean).join(" · ")),
            ),
            note.description ? h("div", { class: "text" }, String(note.description)) : null,
          );
        })
      : h("p", { class: "muted" }, "No notes yet."),
  );
}
