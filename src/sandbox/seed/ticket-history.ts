/**
 * The history of every seeded ticket, consistent with where the ticket is now: created by its creator,
 * assigned when it was first answered, reprioritised or escalated to Level II where that shows, and
 * moved through In Progress to its current status (completion at completedDate, other statuses at
 * the last activity). Written with the same wording as live changes (../history.ts). Seeded last.
 */
import { CREATED, describeChange, recordHistory, type HistoryChange } from "../history.ts";
import { QUEUE, TICKET_STATUS } from "../stock.ts";
import { type Seed } from "./context.ts";

const { NEW, IN_PROGRESS, CUSTOMER_NOTE_ADDED } = TICKET_STATUS;
const { LEVEL_I, LEVEL_II } = QUEUE;
const DEFAULT_PRIORITY = 2;

export function seedTicketHistory(s: Seed): void {
  const { db, rng } = s;
  const change = (field: string, from: unknown, to: unknown): HistoryChange[] => {
    const described = describeChange(db, field, from, to);
    return described ? [described] : [];
  };
  for (const ticket of s.tickets) {
    const created = Date.parse(String(ticket.createDate));
    const last = Math.max(created, Date.parse(String(ticket.lastActivityDate)));
    const at = (share: number) => Math.round(created + (last - created) * share);
    const creator = (ticket.creatorResourceID as number | null) ?? null;
    const worker = (ticket.assignedResourceID as number | null) ?? creator ?? s.managerId;
    const events: Array<readonly [time: number, resourceID: number | null, changes: HistoryChange[]]> = [[created, creator, [CREATED]]];

    if (ticket.assignedResourceID != null) {
      const assignedAt = ticket.firstResponseDateTime ? Date.parse(String(ticket.firstResponseDateTime)) : at(0.1);
      events.push([Math.min(Math.max(assignedAt, created), last), s.managerId, change("assignedResourceID", null, ticket.assignedResourceID)]);
    }
    if (ticket.priority !== DEFAULT_PRIORITY && rng.chance(0.3))
      events.push([at(0.15), worker, change("priority", DEFAULT_PRIORITY, ticket.priority)]);
    if (ticket.queueID === LEVEL_II) events.push([at(0.4), worker, change("queueID", LEVEL_I, LEVEL_II)]);

    const status = ticket.status as number;
    if (status !== NEW) {
      const finalAt = ticket.completedDate ? Date.parse(String(ticket.completedDate)) : last;
      if (status !== IN_PROGRESS) events.push([at(0.3), worker, change("status", NEW, IN_PROGRESS)]);
      // A contact's note moves a ticket to Customer Note Added; no resource made that change.
      const by = status === CUSTOMER_NOTE_ADDED ? null : worker;
      events.push([finalAt, by, change("status", status === IN_PROGRESS ? NEW : IN_PROGRESS, status)]);
    }

    events.sort((a, b) => a[0] - b[0]);
    for (const [time, resourceID, changes] of events) recordHistory(db, ticket.id, new Date(time).toISOString(), resourceID, changes);
  }
}
