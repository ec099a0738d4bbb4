/**
 * Read-only sweeps over the open tickets: one call instead of a search plus a request per ticket,
 * with a fixed bound on what they read (MAX_OPEN open tickets, notes in batches of NOTE_BATCH
 * tickets), names next to ids, and the bound said in the answer when it was reached.
 *
 * - Duplicates: open tickets of one company and queue whose titles are alike (Sørensen–Dice
 *   coefficient of the titles' letter pairs, 0..1) and created within maxSpreadDays of each other.
 * - Awaiting response: open tickets whose latest real note came from the customer (Autotask sets
 *   TicketNotes.createdByContactID on notes a contact wrote: portal, email). Notes of a workflow or
 *   system note type, and notes without any author, are not real notes.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { compact, f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, id, num, picklist } from "./args.ts";
import { defineTool, type Tool } from "./define.ts";
import { present, type Record_ } from "./format.ts";
import { checkPicklistValue, picklistOf, valueForLabel } from "./picklists.ts";
import { completeStatus } from "./tickets.ts";

/** Open tickets read at most per sweep: four pages of 500. */
const MAX_OPEN = 2000;
/** Tickets whose notes are read per query (an `in` filter on ticketID). */
const NOTE_BATCH = 100;
const DAY_MS = 86_400_000;
const EXCERPT = 300;

const row = z.record(z.string(), z.unknown());
const scanned = z.object({ openTickets: z.number(), truncated: z.boolean() });

/** Letter pairs of a title, lower-cased, punctuation folded to spaces (none for a blank title). */
function bigrams(title: string): Map<string, number> {
  const words = title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  const text = ` ${words} `;
  const pairs = new Map<string, number>();
  if (!words) return pairs;
  for (let i = 0; i < text.length - 1; i++) pairs.set(text.slice(i, i + 2), (pairs.get(text.slice(i, i + 2)) ?? 0) + 1);
  return pairs;
}

/** Sørensen–Dice coefficient of two bigram multisets: 1 for equal titles, 0 for nothing in common. */
export function similarity(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [pair, count] of a) {
    shared += Math.min(count, b.get(pair) ?? 0);
    total += count;
  }
  for (const count of b.values()) total += count;
  return total === 0 ? 0 : (2 * shared) / total;
}

/** The open tickets the filters select (all of them up to MAX_OPEN), with the fields a sweep needs. */
async function openTickets(ctx: ToolContext, filter: Filter[], fields: string[]): Promise<{ tickets: Row[]; truncated: boolean }> {
  const { items, truncated } = await ctx.client.queryAll<Row>("Tickets", { filter, includeFields: fields }, MAX_OPEN);
  return { tickets: items, truncated };
}

const withoutKeys = (record: Record_, keys: string[]) => Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));

const truncation = (truncated: boolean) =>
  truncated ? ` Only the first ${MAX_OPEN} open tickets were read: narrow with queueID or companyID to sweep the rest.` : "";

// ---------------------------------------------------------------------------------------------

const TICKET_FIELDS = ["id", "ticketNumber", "title", "status", "companyID", "queueID", "contactID", "assignedResourceID", "createDate"];

/** Groups of ≥ 2 linked tickets (union-find over the pairs), with the weakest link's score. */
function clusters(tickets: Row[], threshold: number, maxSpreadMs: number): Array<{ tickets: Row[]; similarity: number }> {
  const parent = new Map<number, number>();
  const root = (ticketId: number): number => {
    let node = ticketId;
    while (parent.get(node) !== node) node = parent.get(node)!;
    parent.set(ticketId, node);
    return node;
  };
  const weakest = new Map<number, number>();
  const groups = Map.groupBy(tickets, (t) => `${String(t.companyID)}|${String(t.queueID ?? "")}`);
  for (const group of groups.values()) {
    const sorted = group.map((t) => ({ t, at: Date.parse(String(t.createDate)), pairs: bigrams(String(t.title ?? "")) })).sort((a, b) => a.at - b.at);
    for (const { t } of sorted) parent.set(t.id, t.id);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        if (maxSpreadMs > 0 && sorted[j]!.at - sorted[i]!.at > maxSpreadMs) break;
        const score = similarity(sorted[i]!.pairs, sorted[j]!.pairs);
        if (score < threshold) continue;
        const [a, b] = [root(sorted[i]!.t.id), root(sorted[j]!.t.id)];
        const low = Math.min(score, weakest.get(a) ?? 1, weakest.get(b) ?? 1);
        parent.set(b, a);
        weakest.set(a, low);
      }
    }
  }
  const byRoot = Map.groupBy(tickets, (t) => root(t.id));
  return [...byRoot]
    .filter(([, members]) => members.length > 1)
    .map(([key, members]) => ({ tickets: members.sort((a, b) => Date.parse(String(a.createDate)) - Date.parse(String(b.createDate))), similarity: Math.round((weakest.get(key) ?? 1) * 100) / 100 }));
}

const findDuplicates = defineTool({
  name: "autotask_find_duplicate_tickets",
  title: "Find duplicate tickets",
  description:
    "Open tickets reported twice: same company and queue, alike titles (similarityThreshold 0.5-1, default 0.7), ≤ maxSpreadDays apart (default 14; 0: any).",
  toolset: "tickets",
  category: "tickets",
  entity: "Tickets",
  untrusted: true,
  fanOut: true,
  input: z.object({
    queueID: picklist().optional(),
    companyID: id().optional(),
    similarityThreshold: num().pipe(z.number().min(0.5).max(1)).optional(),
    maxSpreadDays: num().pipe(z.number().min(0).max(365)).optional(),
  }),
  output: z.object({ clusters: z.array(row), scanned, hint: z.string() }),
  annotations: { readOnly: true },
  async run(args, ctx) {
    const filter = compact([
      f.noteq("status", await completeStatus(ctx)),
      args.queueID !== undefined && f.eq("queueID", args.queueID),
      args.companyID !== undefined && f.eq("companyID", args.companyID),
    ]);
    if (args.queueID !== undefined) await checkPicklistValue(ctx, "Tickets", "queueID", args.queueID, "filter");
    const { tickets, truncated } = await openTickets(ctx, filter, TICKET_FIELDS);
    const found = clusters(tickets, args.similarityThreshold ?? 0.7, (args.maxSpreadDays ?? 14) * DAY_MS);
    const presented = new Map((await present(ctx, "Tickets", found.flatMap((c) => c.tickets))).map((t) => [t.id as number, t]));
    const out = found.map((cluster) => {
      const first = presented.get(cluster.tickets[0]!.id)!;
      const spread = Date.parse(String(cluster.tickets.at(-1)!.createDate)) - Date.parse(String(cluster.tickets[0]!.createDate));
      return {
        companyID: first.companyID,
        companyName: first.companyName,
        queueID: first.queueID,
        queueName: first.queueName,
        similarity: cluster.similarity,
        spreadHours: Math.round(spread / 36e5),
        tickets: cluster.tickets.map((t) => withoutKeys(presented.get(t.id)!, ["companyID", "companyName", "queueID", "queueName", "userDefinedFields"])),
      };
    });
    const hint = out.length
      ? `${out.length} group${out.length > 1 ? "s" : ""} of likely duplicates among ${tickets.length} open tickets; merge or close with autotask_update_ticket after checking them.`
      : `No likely duplicates among ${tickets.length} open tickets.`;
    return { clusters: out, scanned: { openTickets: tickets.length, truncated }, hint: hint + truncation(truncated) };
  },
});

// ---------------------------------------------------------------------------------------------

const NOTE_FIELDS = ["id", "ticketID", "createDateTime", "creatorResourceID", "createdByContactID", "noteType"];

/** Note types that Autotask or its workflows write, by label (Workflow Rule Action, System …). */
async function systemNoteTypes(ctx: ToolContext): Promise<Set<string>> {
  const values = await picklistOf(ctx, "TicketNotes", "noteType");
  return new Set(values.filter((value) => /workflow|system|automat/i.test(value.label)).map((value) => value.value));
}

/** The latest real note of each ticket (reads the notes of NOTE_BATCH tickets per query). */
async function latestNotes(ctx: ToolContext, ticketIds: number[]): Promise<Map<number, Row>> {
  const system = await systemNoteTypes(ctx);
  const latest = new Map<number, Row>();
  const real = (note: Row) => !system.has(String(note.noteType)) && (note.creatorResourceID != null || note.createdByContactID != null);
  const later = (a: Row, b: Row) => Date.parse(String(a.createDateTime)) - Date.parse(String(b.createDateTime)) || a.id - b.id;
  for (let start = 0; start < ticketIds.length; start += NOTE_BATCH) {
    const batch = ticketIds.slice(start, start + NOTE_BATCH);
    const { items } = await ctx.client.queryAll<Row>("TicketNotes", { filter: [f.in("ticketID", batch)], includeFields: NOTE_FIELDS });
    for (const note of items.filter(real)) {
      const ticketId = note.ticketID as number;
      const current = latest.get(ticketId);
      if (!current || later(note, current) > 0) latest.set(ticketId, note);
    }
  }
  return latest;
}

const awaitingResponse = defineTool({
  name: "autotask_tickets_awaiting_response",
  title: "Tickets awaiting our response",
  description:
    "Open tickets (or statusIds) the customer wrote to last, longest waiting first; includeReplied adds ours. Checks the maxTickets (default 100) last active.",
  toolset: "tickets",
  category: "tickets",
  entity: "Tickets",
  untrusted: true,
  fanOut: true,
  input: z.object({
    queueID: picklist().optional(),
    companyID: id().optional(),
    // Plain numbers: labels are resolved for top-level arguments only (resolve.ts).
    statusIds: z.array(id()).optional(),
    includeReplied: bool().optional(),
    maxTickets: num().pipe(z.number().int().min(1).max(300)).optional(),
  }),
  output: z.object({ items: z.array(row), scanned: scanned.extend({ checked: z.number(), awaiting: z.number(), replied: z.number(), withoutNotes: z.number() }), hint: z.string() }),
  annotations: { readOnly: true },
  async run(args, ctx) {
    for (const status of args.statusIds ?? []) await checkPicklistValue(ctx, "Tickets", "status", status, "filter");
    if (args.queueID !== undefined) await checkPicklistValue(ctx, "Tickets", "queueID", args.queueID, "filter");
    const filter = compact([
      args.statusIds?.length ? f.in("status", args.statusIds) : f.noteq("status", await completeStatus(ctx)),
      args.queueID !== undefined && f.eq("queueID", args.queueID),
      args.companyID !== undefined && f.eq("companyID", args.companyID),
    ]);
    const fields = [...TICKET_FIELDS, "priority", "lastActivityDate", "lastActivityPersonType"];
    const { tickets, truncated } = await openTickets(ctx, filter, fields);
    // Which tickets' notes to read when there are more than maxTickets: those a contact touched
    // last first (Tickets.lastActivityPersonType), then the most recently active.
    const contact = await valueForLabel(ctx, "Tickets", "lastActivityPersonType", "Contact");
    const byContact = (t: Row) => Number(contact !== undefined && t.lastActivityPersonType === contact);
    const recent = [...tickets]
      .sort((a, b) => byContact(b) - byContact(a) || Date.parse(String(b.lastActivityDate)) - Date.parse(String(a.lastActivityDate)))
      .slice(0, args.maxTickets ?? 100);
    const latest = await latestNotes(ctx, recent.map((t) => t.id));

    const fromCustomer = (t: Row) => latest.get(t.id)?.createdByContactID != null;
    const listed = recent.filter((t) => latest.has(t.id) && (args.includeReplied || fromCustomer(t)));
    const notes = await noteDetails(ctx, listed.map((t) => latest.get(t.id)!));
    const items = (await present(ctx, "Tickets", listed)).map((ticket, index) => ({
      ...withoutKeys(ticket, ["userDefinedFields", "lastActivityPersonType", "lastActivityPersonTypeLabel"]),
      awaitingResponse: fromCustomer(listed[index]!),
      lastNote: notes.get(listed[index]!.id),
    }));
    items.sort((a, b) => Number(b.awaitingResponse) - Number(a.awaitingResponse) || String(a.lastNote?.createDateTime).localeCompare(String(b.lastNote?.createDateTime)));
    const awaiting = recent.filter(fromCustomer).length;
    const withoutNotes = recent.filter((t) => !latest.has(t.id)).length;
    const skipped = tickets.length - recent.length;
    const hint =
      `${awaiting} of ${recent.length} open tickets checked await our response.` +
      (skipped > 0 ? ` ${skipped} tickets a resource touched last, less recently, were not checked: raise maxTickets (up to 300) or narrow with queueID, companyID or statusIds.` : "") +
      truncation(truncated);
    return {
      items,
      scanned: { openTickets: tickets.length, truncated, checked: recent.length, awaiting, replied: recent.length - awaiting - withoutNotes, withoutNotes },
      hint,
    };
  },
});

/** The listed notes with author names and the start of their text (one query for all of them). */
async function noteDetails(ctx: ToolContext, notes: Row[]): Promise<Map<number, Record_>> {
  if (notes.length === 0) return new Map();
  const { items } = await ctx.client.queryAll<Row>("TicketNotes", { filter: [f.in("id", notes.map((n) => n.id))], includeFields: [...NOTE_FIELDS, "title", "description"] });
  // The ticket is the row the note sits on: left out before presenting, so no ticket names are read.
  const presented = await present(ctx, "TicketNotes", items.map(({ ticketID: _ticket, ...note }) => note as Row));
  return new Map(
    presented.map((note, index) => {
      const { description, ...rest } = note;
      const text = String(description ?? "");
      return [items[index]!.ticketID as number, { ...rest, from: note.createdByContactID != null ? "customer" : "staff", excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text }];
    }),
  );
}

export const sweepTools: Tool[] = [findDuplicates, awaitingResponse];
