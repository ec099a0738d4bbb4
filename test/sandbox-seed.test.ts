/**
 * The sandbox's seed data for issue 11's tools, read as a client reads it: unit rows for every
 * recurring line, a consistent history for every ticket, real files on ticket notes, and the cases
 * the sweeps and reports look for (near-duplicates, tickets awaiting the desk, ending contracts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { callApi, type ApiInit, type Json } from "./helpers/sandbox-api.ts";

const DAY = 86_400_000;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let sandbox: Sandbox;
let seededAt: number;

const api = (path: string, init?: ApiInit) => callApi(sandbox, path, init);
const store = () => sandbox.store();
const items = async (path: string, filter: unknown[]) => (await api(path, { body: { filter } })).body.items as Json[];
const statusLabel = (value: unknown) => store().picklist("Tickets", "status").find((v) => v.value === String(value))?.label;

beforeAll(async () => {
  seededAt = Date.now();
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

describe("recurring revenue", () => {
  test("every service and bundle line has one unit row per billing month, previous and current, within its contract", () => {
    const now = new Date(seededAt);
    const months = [-1, 0].map((m) => [Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m, 1), Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m + 1, 1) - DAY]);
    const checkUnits = (entity: string, lineField: string, lines: Json[]) => {
      const units = store().all(entity);
      for (const line of lines) {
        const contract = store().get("Contracts", line.contractID as number)!;
        const start = Date.parse(String(contract.startDate));
        const end = Date.parse(String(contract.endDate));
        const expected = months
          .filter(([first, last]) => Math.max(first!, start) <= Math.min(last!, end))
          .map(([first, last]) => [new Date(Math.max(first!, start)).toISOString(), new Date(Math.min(last!, end)).toISOString()]);
        const rows = units.filter((u) => u[lineField] === line.id);
        expect(rows.map((u) => [u.startDate, u.endDate])).toEqual(expected);
        for (const row of rows) {
          expect(row.contractID).toBe(line.contractID);
          expect(row.units as number).toBeGreaterThan(0);
          expect(row.price).toBe(line.adjustedPrice ?? line.unitPrice);
        }
      }
    };
    const services = store().all("ContractServices");
    const bundles = store().all("ContractServiceBundles");
    expect(bundles.length).toBeGreaterThan(0);
    checkUnits("ContractServiceUnits", "contractServiceID", services);
    checkUnits("ContractServiceBundleUnits", "contractServiceBundleID", bundles);
    // The previous month is posted, the current one is not yet.
    const current = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    for (const row of store().all("ContractServiceUnits")) expect(row.approveAndPostDate === null).toBe(String(row.startDate) >= current);
  });

  test("contracts ending within 30, 60 and 90 days, and some already past their end date", async () => {
    const today = seededAt - (seededAt % DAY);
    const day = (offset: number) => new Date(today + offset * DAY).toISOString().slice(0, 10);
    const ending = (from: number, to: number) =>
      items("Contracts/query", [
        { op: "eq", field: "status", value: 1 },
        { op: "gte", field: "endDate", value: day(from) },
        { op: "lte", field: "endDate", value: day(to) },
      ]);
    for (const [from, to] of [
      [0, 30],
      [31, 60],
      [61, 90],
    ] as const)
      expect((await ending(from, to)).length).toBeGreaterThanOrEqual(1);
    const expired = await items("Contracts/query", [{ op: "lt", field: "endDate", value: day(0) }]);
    expect(expired.some((c) => c.status === 1)).toBe(true);
    expect(expired.some((c) => c.status === 0)).toBe(true);
  });
});

describe("ticket history", () => {
  test("every ticket's history starts with its creation and ends at its current status and assignee", async () => {
    const rows = store().all("TicketHistory");
    const byTicketId = Map.groupBy(rows, (row) => row.ticketID as number);
    for (const ticket of store().all("Tickets")) {
      const trail = byTicketId.get(ticket.id as number)!;
      expect(trail[0]).toMatchObject({ action: "Created", date: ticket.createDate });
      const dates = trail.map((row) => Date.parse(String(row.date)));
      expect(dates).toEqual([...dates].sort((a, b) => a - b));
      const statuses = trail.filter((row) => row.action === "Status Changed");
      if (ticket.status === 1) expect(statuses).toEqual([]);
      else expect(statuses.at(-1)!.detail).toEndWith(` to ${statusLabel(ticket.status)}`);
      if (ticket.status === 5) expect(statuses.at(-1)!.date).toBe(ticket.completedDate);
      const assigned = trail.find((row) => row.action === "Primary Resource Changed");
      const resource = ticket.assignedResourceID === null ? undefined : store().get("Resources", ticket.assignedResourceID as number);
      expect(assigned?.detail).toBe(resource && `Primary Resource changed from (none) to ${String(resource.firstName)} ${String(resource.lastName)}`);
    }
    const awaiting = store().all("Tickets").find((t) => t.status === 14)!;
    const viaApi = await items("TicketHistory/query", [{ op: "eq", field: "ticketID", value: awaiting.id }]);
    expect(viaApi.map((row) => row.id)).toEqual(byTicketId.get(awaiting.id as number)!.map((row) => row.id));
    // A contact's note moved it to Customer Note Added: no resource made that change.
    expect(viaApi.at(-1)).toMatchObject({ action: "Status Changed", resourceID: null, detail: "Status changed from In Progress to Customer Note Added" });
  });
});

describe("ticket note attachments", () => {
  test("a customer's screenshot, a vendor quote and a log export, as real files", async () => {
    const seeded = store().all("TicketNoteAttachments");
    const file = async (fullPath: string) => {
      const row = seeded.find((a) => a.fullPath === fullPath)!;
      const item = (await api(`TicketNotes/${row.parentID}/Attachments/${row.id}`)).body.item;
      const bytes = Buffer.from(item.data, "base64");
      expect(bytes.length).toBe(item.fileSize);
      return { item, bytes };
    };
    const screenshot = await file("printer-error.png");
    expect([...screenshot.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(screenshot.bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
    const note = store().get("TicketNotes", screenshot.item.parentID)!;
    expect(screenshot.item.attachedByContactID).toBe(note.createdByContactID);

    const pdf = (await file("vendor-quote.pdf")).bytes.toString("latin1");
    expect(pdf).toStartWith("%PDF-1.4\n");
    expect(pdf).toEndWith("%%EOF\n");
    const xref = Number(/startxref\n(\d+)\n/.exec(pdf)![1]);
    expect(pdf.slice(xref, xref + 4)).toBe("xref");
    const log = await file("event-log-export.txt");
    expect(log.item.contentType).toBe("text/plain");
    expect(log.bytes.toString("utf8")).toContain("Event ID: 7031");
  });
});

describe("service-desk cases", () => {
  test("near-duplicate open tickets: the same issue reported twice within a day, for one company and queue", async () => {
    for (const [prefix, queue] of [
      ["Outlook keeps asking for", 29683354],
      ["RMM alert: server offline", 29683356],
    ] as const) {
      const open = await items("Tickets/query", [
        { op: "beginsWith", field: "title", value: prefix },
        { op: "noteq", field: "status", value: 5 },
        { op: "eq", field: "queueID", value: queue },
        { op: "gte", field: "createDate", value: new Date(seededAt - 7 * DAY).toISOString() },
      ]);
      const pairs = Object.values(Object.groupBy(open, (t) => String(t.companyID))).filter((group) => {
        const times = group!.map((t) => Date.parse(t.createDate)).sort((a, b) => a - b);
        return times.length >= 2 && times[1]! - times[0]! <= DAY;
      });
      expect(pairs.length).toBeGreaterThanOrEqual(1);
    }
  });

  test("open tickets whose latest real note came from the customer, and one the desk answered last", async () => {
    const fromContacts = await items("TicketNotes/query", [{ op: "exist", field: "createdByContactID" }]);
    expect(fromContacts.length).toBeGreaterThanOrEqual(4);
    expect(fromContacts.every((note) => note.creatorResourceID === null)).toBe(true);
    // A workflow rule's note (written by no one) is not a real note: on one ticket it follows the customer's.
    const workflow = store().picklist("TicketNotes", "noteType").find((v) => v.label === "Workflow Rule Action")!;
    const isWorkflow = (note: Json) => String(note.noteType) === workflow.value;
    let afterCustomer = 0;
    const latest = await Promise.all(
      [...new Set(fromContacts.map((note) => note.ticketID as number))].map(async (ticketID) => {
        const notes = ((await api(`Tickets/${ticketID}/Notes`)).body.items as Json[]).sort((a, b) => Date.parse(a.createDateTime) - Date.parse(b.createDateTime));
        if (isWorkflow(notes.at(-1)!)) {
          expect(notes.at(-1)).toMatchObject({ creatorResourceID: null, createdByContactID: null });
          afterCustomer += Number(notes.at(-2)!.createdByContactID !== null);
        }
        const last = notes.filter((note) => !isWorkflow(note)).at(-1)!;
        return { ticket: (await api(`Tickets/${ticketID}`)).body.item as Json, last };
      }),
    );
    expect(afterCustomer).toBe(1);
    const awaiting = latest.filter(({ last }) => last.createdByContactID !== null);
    expect(awaiting.length).toBeGreaterThanOrEqual(3);
    for (const { ticket, last } of awaiting) {
      expect(ticket.status).not.toBe(5);
      expect(last.createdByContactID).toBe(ticket.contactID);
      expect(ticket).toMatchObject({ lastActivityPersonType: 2, lastActivityDate: last.createDateTime });
    }
    expect(awaiting.map(({ ticket }) => statusLabel(ticket.status))).toContain("Customer Note Added");
    expect(latest.some(({ last }) => last.creatorResourceID !== null)).toBe(true);
  });
});
