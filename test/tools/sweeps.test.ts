/**
 * The read-only sweeps through the real CLI over stdio against the sandbox: what they find among the
 * seeded cases (near-duplicate tickets, tickets awaiting the desk), checked against the sandbox's own
 * data, and how many requests one call costs.
 */
import { describe, expect, test } from "bun:test";
import type { RequestLogEntry } from "../../src/sandbox/index.ts";
import { apiPath, queryFilters, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();
const DAY = 86_400_000;

const count = (requests: RequestLogEntry[], path: string) => requests.filter((r) => apiPath(r) === path).length;
const complete = () => ctx.valueOf("Tickets", "status", "Complete");
const openTickets = () => ctx.store().all("Tickets").filter((t) => t.status !== complete());
const titled = (title: string) => openTickets().filter((t) => t.title === title);
const ids = (rows: Row[]) => rows.map((row) => row.id as number).sort((a, b) => a - b);
/** The seeded alert raised twice (40 minutes apart) for one company: the title is common, the pair is not. */
const seededAlerts = () =>
  Object.values(Object.groupBy(titled("RMM alert: server offline"), (t) => String(t.companyID))).find(
    (group) => group!.length === 2 && Math.abs(Date.parse(String(group![0]!.createDate)) - Date.parse(String(group![1]!.createDate))) < DAY,
  )! as Row[];
/** The seeded conversation's ticket (other tickets share its title, none has a contact's note). */
const conversation = (title: string) => titled(title).find((t) => ctx.store().all("TicketNotes").some((n) => n.ticketID === t.id && n.createdByContactID !== null))!;

describe("autotask_find_duplicate_tickets", () => {
  const clusterOf = (clusters: Row[], ticketId: unknown): Row => clusters.find((c) => c.tickets.some((t: Row) => t.id === ticketId))!;

  test("finds the seeded near-duplicates with names, in one query of the open tickets", async () => {
    const out = await ctx.ok("autotask_find_duplicate_tickets");
    const requests = ctx.requests();
    expect(count(requests, "Tickets/query")).toBe(Math.ceil(openTickets().length / 500));
    expect(queryFilters(requests, "Tickets")[0]).toEqual([{ op: "noteq", field: "status", value: complete() }]);
    // A fan-out tool reads the API budget first (at most once a minute per tenant); names come in one
    // batched request per referenced entity; nothing else is read or written.
    expect(count(requests, "ThresholdInformation")).toBeLessThanOrEqual(1);
    expect(requests.filter((r) => !/ThresholdInformation/.test(r.path)).length).toBeLessThanOrEqual(6);
    expect(count(requests, "TicketNotes/query")).toBe(0);
    expect(writes(requests)).toEqual([]);

    const [asked, askedAgain] = [titled("Outlook keeps asking for password"), titled("Outlook keeps asking for my password")];
    const outlook = asked.find((t) => askedAgain.some((u) => u.companyID === t.companyID))!;
    const pair = clusterOf(out.clusters, outlook.id);
    expect(pair.tickets.map((t: Row) => t.title)).toEqual(["Outlook keeps asking for password", "Outlook keeps asking for my password"]);
    expect(pair).toMatchObject({ companyID: outlook.companyID, queueName: "Level I Support", spreadHours: 3 });
    expect(pair.companyName).toBe(ctx.store().get("Companies", outlook.companyID as number)!.companyName);
    expect(pair.similarity).toBeGreaterThanOrEqual(0.7);
    expect(pair.similarity).toBeLessThan(1);
    for (const ticket of pair.tickets) {
      expect(ticket.statusLabel).toBeString();
      expect(ticket.contactName).toBeString();
      expect(ticket.companyID).toBeUndefined(); // said once, on the cluster
    }
    const alerts = seededAlerts();
    expect(ids(clusterOf(out.clusters, alerts[0]!.id).tickets)).toEqual(ids(alerts));
    expect(out.scanned).toEqual({ openTickets: openTickets().length, truncated: false });
    expect(out.hint).toContain(`${out.clusters.length} groups of likely duplicates among ${openTickets().length} open tickets`);
  });

  test("similarityThreshold 1 and maxSpreadDays 0 find exactly the open tickets of one company and queue with the same title", async () => {
    const out = await ctx.ok("autotask_find_duplicate_tickets", { similarityThreshold: 1, maxSpreadDays: 0 });
    const norm = (title: unknown) => String(title).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    const groups = Object.values(Object.groupBy(openTickets(), (t) => `${t.companyID}|${t.queueID}|${norm(t.title)}`)).filter((g) => g!.length > 1);
    expect(groups.length).toBeGreaterThan(1);
    expect(out.clusters.map((c: Row) => ids(c.tickets)).sort((a: number[], b: number[]) => a[0]! - b[0]!)).toEqual(groups.map((g) => ids(g!)).sort((a, b) => a[0]! - b[0]!));
    for (const cluster of out.clusters) expect(cluster.similarity).toBe(1);
  });

  test("maxSpreadDays bounds the time between linked tickets", async () => {
    const out = await ctx.ok("autotask_find_duplicate_tickets", { maxSpreadDays: 1 });
    expect(out.clusters.length).toBeGreaterThan(0);
    for (const cluster of out.clusters) {
      const times = cluster.tickets.map((t: Row) => Date.parse(t.createDate));
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThanOrEqual(DAY);
    }
    const wide = await ctx.ok("autotask_find_duplicate_tickets", { maxSpreadDays: 30 });
    expect(wide.clusters.length).toBeGreaterThan(out.clusters.length);
  });

  test("queue (by label) and company narrow the sweep in the query itself", async () => {
    const alerts = seededAlerts();
    const out = await ctx.ok("autotask_find_duplicate_tickets", { queueID: "Monitoring Alerts", companyID: alerts[0]!.companyID });
    expect(queryFilters(ctx.requests(), "Tickets").at(-1)).toEqual([
      { op: "noteq", field: "status", value: complete() },
      { op: "eq", field: "queueID", value: ctx.valueOf("Tickets", "queueID", "Monitoring Alerts") },
      { op: "eq", field: "companyID", value: alerts[0]!.companyID },
    ]);
    expect(out.clusters.map((c: Row) => ids(c.tickets))).toEqual([ids(alerts)]);
  });

  test("bounds are the original's, refused with what is allowed before anything is read", async () => {
    expect(await ctx.fail("autotask_find_duplicate_tickets", { similarityThreshold: 0.4 })).toContain("similarityThreshold: must be at least 0.5, got number 0.4");
    expect(await ctx.fail("autotask_find_duplicate_tickets", { maxSpreadDays: 400 })).toContain("maxSpreadDays: must be at most 365");
    expect(count(ctx.requests(), "Tickets/query")).toBe(0);
  });
});

describe("autotask_tickets_awaiting_response", () => {
  const workflowType = () => ctx.valueOf("TicketNotes", "noteType", "Workflow Rule Action");
  /** The sandbox's own answer: open tickets whose latest note by a person came from a contact. */
  function expected(filter: (t: Row) => boolean = () => true) {
    const notes = Map.groupBy(ctx.store().all("TicketNotes"), (n) => n.ticketID as number);
    const latest = (t: Row) =>
      (notes.get(t.id) ?? [])
        .filter((n) => n.noteType !== workflowType() && (n.creatorResourceID !== null || n.createdByContactID !== null))
        .sort((a, b) => Date.parse(String(a.createDateTime)) - Date.parse(String(b.createDateTime)) || Number(a.id) - Number(b.id))
        .at(-1);
    return openTickets()
      .filter(filter)
      .map((t) => ({ ticket: t, note: latest(t) }))
      .filter(({ note }) => note);
  }

  test("open tickets whose latest real note is the customer's, longest waiting first, with the note and names", async () => {
    const out = await ctx.ok("autotask_tickets_awaiting_response", { maxTickets: 300 });
    const want = expected().filter(({ note }) => note!.createdByContactID !== null);
    expect(want.length).toBe(3);
    expect(ids(out.items)).toEqual(ids(want.map(({ ticket }) => ticket)));
    const waiting = out.items.map((t: Row) => t.lastNote.createDateTime);
    expect(waiting).toEqual([...waiting].sort());
    for (const item of out.items) {
      const { note, ticket } = want.find(({ ticket }) => ticket.id === item.id)!;
      expect(item).toMatchObject({ awaitingResponse: true, ticketNumber: ticket.ticketNumber, companyName: expect.any(String), statusLabel: expect.any(String) });
      expect(item.lastNote).toMatchObject({ id: note!.id, from: "customer", createdByContactID: note!.createdByContactID, excerpt: note!.description });
      expect(item.lastNote.createdByContactName).toBeString();
      expect(item.userDefinedFields).toBeUndefined();
    }
    // The VPN ticket's last note is a workflow rule's: the customer's reply before it still counts.
    const vpn = out.items.find((t: Row) => t.id === conversation("VPN drops every hour").id);
    expect(vpn.lastNote.excerpt).toBe("It dropped twice again after lunch, same as before.");
    expect(ids(out.items)).not.toContain(conversation("Scan to email not working").id);

    // One query of the open tickets, the notes of 100 tickets per query, one for the listed notes' text.
    const requests = ctx.requests();
    const checked = Math.min(300, openTickets().length);
    expect(out.scanned).toMatchObject({ openTickets: openTickets().length, checked, awaiting: 3, truncated: false });
    expect(count(requests, "Tickets/query")).toBe(1);
    const noteQueries = queryFilters(requests, "TicketNotes") as Row[][];
    expect(noteQueries.length).toBe(Math.ceil(checked / 100) + 1);
    for (const filter of noteQueries.slice(0, -1)) expect(filter[0]).toMatchObject({ op: "in", field: "ticketID" });
    const details = noteQueries.at(-1)![0]!;
    expect(details).toMatchObject({ op: "in", field: "id" });
    expect(ids(details.value.map((id: number) => ({ id })))).toEqual(ids(want.map(({ note }) => note!)));
    expect(writes(requests)).toEqual([]);
  });

  test("with the default maxTickets the tickets a contact touched last are checked first", async () => {
    const out = await ctx.ok("autotask_tickets_awaiting_response");
    expect(out.scanned.checked).toBe(100);
    const seeded = ["Printer offline on 2nd floor", "Shared mailbox access for reception", "VPN drops every hour"].map((title) => conversation(title));
    expect(ids(out.items)).toEqual(ids(seeded));
    expect(out.hint).toContain(`were not checked: raise maxTickets`);
  });

  test("includeReplied adds the tickets we answered last; statusIds narrows by status, by the tenant's values", async () => {
    const all = await ctx.ok("autotask_tickets_awaiting_response", { includeReplied: true, maxTickets: 300 });
    const replied = all.items.filter((t: Row) => !t.awaitingResponse);
    expect(ids(all.items)).toEqual(ids(expected().map(({ ticket }) => ticket)));
    expect(replied.map((t: Row) => t.id)).toContain(conversation("Scan to email not working").id);
    for (const item of replied) expect(item.lastNote.from).toBe("staff");
    expect(all.items.findIndex((t: Row) => !t.awaitingResponse)).toBe(3); // waiting ones first

    const noteAdded = ctx.valueOf("Tickets", "status", "Customer Note Added");
    const byStatus = await ctx.ok("autotask_tickets_awaiting_response", { statusIds: [noteAdded] });
    expect(queryFilters(ctx.requests(), "Tickets").at(-1)).toEqual([{ op: "in", field: "status", value: [noteAdded] }]);
    expect(byStatus.items.map((t: Row) => t.id)).toEqual([conversation("Printer offline on 2nd floor").id]);

    const error = await ctx.fail("autotask_tickets_awaiting_response", { statusIds: [99] });
    expect(error).toContain("status 99 is not a valid value");
    expect(error).toContain(`${noteAdded} Customer Note Added`);
    expect(await ctx.fail("autotask_tickets_awaiting_response", { maxTickets: 301 })).toContain("maxTickets: must be at most 300");
  });

  test("a reply from the desk takes a ticket off the list", async () => {
    const printer = conversation("Printer offline on 2nd floor");
    await ctx.ok("autotask_create_ticket_note", { ticketID: printer.id, description: "Replaced the fuser unit; please try again." });
    const out = await ctx.ok("autotask_tickets_awaiting_response", { maxTickets: 300 });
    expect(out.items.map((t: Row) => t.id)).not.toContain(printer.id);
    expect(out.scanned.awaiting).toBe(2);
  });
});
