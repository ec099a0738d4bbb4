/**
 * A ticket's audit trail: one TicketHistory row per change (created, status, priority, assignee,
 * title …), with who made it and when. Autotask reads history only one ticket at a time — a query
 * must be exactly `ticketID equals <id>` — and never writes it through the API.
 */
import { f } from "../autotask/filter.ts";
import { ticketId } from "./args.ts";
import { getTool, searchTool } from "./crud.ts";
import type { Tool } from "./define.ts";

export const ticketHistoryTools: Tool[] = [
  searchTool({
    name: "autotask_search_ticket_history",
    title: "Ticket history",
    description:
      "A ticket's audit trail, oldest first: each field change, by whom and when.",
    toolset: "tickets",
    category: "tickets",
    entity: "TicketHistory",
    untrusted: true,
    args: { ticketID: ticketId() },
    filters: (args) => [f.eq("ticketID", args.ticketID)],
    // Every row is the one ticket's: it is not repeated on each.
    fields: ["id", "date", "action", "detail", "resourceID"],
  }),

  getTool({
    name: "autotask_get_ticket_history",
    title: "Get ticket history entry",
    description: "One entry of a ticket's audit trail (from autotask_search_ticket_history).",
    toolset: "tickets",
    category: "tickets",
    entity: "TicketHistory",
    untrusted: true,
    idArg: "historyID",
  }),
];
