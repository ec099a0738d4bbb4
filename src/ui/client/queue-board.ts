/**
 * Queue board: the page of tickets autotask_search_tickets returned, as a table sortable by any
 * column (header buttons with aria-sort), status and priority chips and each ticket's age. A row —
 * or its ticket-number button, for keyboards — opens that ticket's card in place through one
 * autotask_get_ticket_details call; "Back" returns to the board as it was.
 */
import { chip, h, replace } from "./dom.ts";
import { date, priorityRank, priorityTone, shortDuration, since, statusTone } from "./format.ts";
import { ToolCallError, type Data, type Host } from "./host.ts";
import { showTicket } from "./ticket-card.ts";

interface Column {
  key: string;
  label: string;
  numeric?: boolean;
  nowrap?: boolean;
  /** Sort value; undefined sorts last in either direction. */
  value(t: Data): string | number | undefined;
  cell(t: Data): Node | string;
}

const label = (t: Data, field: string, fallback: string) => String(t[`${field}Label`] ?? t[fallback] ?? "");
const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

const COLUMNS: Column[] = [
  { key: "number", label: "Ticket", nowrap: true, value: (t) => text(t.ticketNumber) ?? t.id, cell: (t) => String(t.ticketNumber ?? t.id) },
  {
    key: "title",
    label: "Title · company",
    value: (t) => text(t.title)?.toLowerCase(),
    cell: (t) => h("span", null, String(t.title ?? ""), t.companyName ? h("span", { class: "sub" }, String(t.companyName)) : null),
  },
  {
    key: "status",
    label: "Status",
    value: (t) => label(t, "status", "status").toLowerCase() || undefined,
    cell: (t) => chip(label(t, "status", "status"), statusTone(label(t, "status", "status"))),
  },
  {
    key: "priority",
    label: "Priority",
    value: (t) => (t.priority === undefined ? undefined : priorityRank(label(t, "priority", "priority"))),
    cell: (t) => chip(label(t, "priority", "priority"), priorityTone(label(t, "priority", "priority"))),
  },
  { key: "assignee", label: "Assigned to", value: (t) => text(t.assignedResourceName)?.toLowerCase(), cell: (t) => String(t.assignedResourceName ?? "Unassigned") },
  { key: "age", label: "Age", numeric: true, nowrap: true, value: (t) => since(t.createDate), cell: (t) => ageText(t.createDate) },
  { key: "due", label: "Due", nowrap: true, value: (t) => text(t.dueDateTime), cell: (t) => date(t.dueDateTime) },
];

function ageText(value: unknown): string {
  const age = since(value);
  return age === undefined ? "" : shortDuration(age);
}

interface Board {
  host: Host;
  root: HTMLElement;
  data: Data;
  sort: { key: string; descending: boolean };
  /** The ticket whose card was last opened: its button gets focus back on return. */
  lastOpened?: unknown;
}

export function showQueue(host: Host, root: HTMLElement, data: Data): void {
  render({ host, root, data, sort: { key: "age", descending: true } });
}

function sorted(board: Board): Data[] {
  const column = COLUMNS.find((c) => c.key === board.sort.key)!;
  const rows = [...((board.data.items ?? []) as Data[])];
  return rows.sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return board.sort.descending ? -order : order;
  });
}

function render(board: Board): void {
  const items = (board.data.items ?? []) as Data[];
  const page = (board.data.page ?? {}) as Data;
  const summary = `${items.length} ticket${items.length === 1 ? "" : "s"}${page.hasMore ? ` on page ${page.page}; more match (page ${page.nextPage} has the next ones)` : ""}`;
  if (items.length === 0) {
    replace(board.root, h("h1", null, "Tickets"), h("p", { class: "muted" }, String(board.data.hint ?? "No tickets match.")));
    return;
  }
  const header = h(
    "tr",
    null,
    COLUMNS.map((column) => {
      const active = board.sort.key === column.key;
      // The arrow is decoration: aria-sort on the header cell tells assistive technology the order.
      const button = h("button", { type: "button", class: "sort" }, column.label, active ? h("span", { "aria-hidden": "true" }, board.sort.descending ? " ↓" : " ↑") : null);
      button.addEventListener("click", () => {
        board.sort = { key: column.key, descending: active ? !board.sort.descending : column.key === "age" };
        render(board);
        (board.root.querySelector(`th[data-key="${column.key}"] button`) as HTMLElement | null)?.focus();
      });
      return h("th", { scope: "col", class: column.numeric ? "num" : undefined, "data-key": column.key, "aria-sort": active ? (board.sort.descending ? "descending" : "ascending") : "none" }, button);
    }),
  );
  const openers = new Map<unknown, HTMLButtonElement>();
  const rows = sorted(board).map((t) => {
    const open = () => void openTicket(board, t);
    const opener = h("button", { type: "button", class: "link", "aria-label": `Open ticket ${String(t.ticketNumber ?? t.id)}` }, String(t.ticketNumber ?? t.id));
    openers.set(t.id, opener);
    opener.addEventListener("click", (event) => {
      event.stopPropagation();
      open();
    });
    const row = h(
      "tr",
      { class: "clickable" },
      COLUMNS.map((column, index) => h("td", { class: [column.numeric && "num", column.nowrap && "nowrap"].filter(Boolean).join(" ") || undefined }, index === 0 ? opener : column.cell(t))),
    );
    row.addEventListener("click", open);
    return row;
  });
  replace(
    board.root,
    h("div", { class: "toolbar" }, h("h1", null, "Tickets"), h("p", { class: "muted", role: "status" }, summary)),
    h(
      "div",
      { class: "table-wrap" },
      h("table", { class: "compact" }, h("caption", { class: "sr-only" }, "Tickets; column headers sort, a ticket number opens the ticket"), h("thead", null, header), h("tbody", null, rows)),
    ),
  );
  if (board.lastOpened !== undefined) {
    openers.get(board.lastOpened)?.focus();
    board.lastOpened = undefined;
  }
}

async function openTicket(board: Board, t: Data): Promise<void> {
  board.lastOpened = t.id;
  replace(board.root, h("p", { class: "muted", role: "status" }, `Opening ${String(t.ticketNumber ?? `ticket ${t.id}`)}…`));
  const back = () => render(board);
  try {
    const data = await board.host.call("autotask_get_ticket_details", { ticketID: t.id, fullDetails: true });
    await showTicket(board.host, board.root, data, { ticketID: t.id }, { onBack: back, backLabel: "← Back to the tickets" });
  } catch (error) {
    const message = error instanceof ToolCallError ? error.message : String(error);
    replace(
      board.root,
      h("p", { class: "message error", role: "alert" }, `Could not open ${String(t.ticketNumber ?? `ticket ${t.id}`)}: ${message}`),
      h("button", { type: "button", onclick: back }, "← Back to the tickets"),
    );
  }
}
