/**
 * Ticket charges, checklist items and attachments through the real CLI over stdio against the
 * sandbox: what the user sees, and what reached Autotask (children written through the ticket URL).
 */
import { describe, expect, test } from "bun:test";
import anchors from "../fixtures/anchor-tools.json" with { type: "json" };
import type { RequestLogEntry } from "../../src/sandbox/index.ts";
import { sent, useSandboxSession, writes } from "../helpers/mcp.ts";

type Rec = Record<string, any>;
// Content shapes are checked as Autotask gave them; the untrusted-data markers are untrusted.test.ts's.
const ctx = useSandboxSession({ env: { AUTOTASK_UNTRUSTED_MARKERS: "off" } });

const filterOf = (request: RequestLogEntry | undefined) => JSON.stringify((request?.body as Rec | undefined)?.filter ?? (request?.body as Rec | undefined)?.Filter);
const today = () => new Date().toISOString().slice(0, 10);

const MINE = [
  "autotask_get_ticket_charge",
  "autotask_search_ticket_charges",
  "autotask_create_ticket_charge",
  "autotask_update_ticket_charge",
  "autotask_delete_ticket_charge",
  "autotask_search_ticket_checklist_items",
  "autotask_create_ticket_checklist_item",
  "autotask_update_ticket_checklist_item",
  "autotask_delete_ticket_checklist_item",
  "autotask_get_ticket_attachment",
  "autotask_search_ticket_attachments",
  "autotask_create_ticket_attachment",
];

test("schemas keep the original's names, argument types and required lists", async () => {
  const { tools } = await ctx.session.client.listTools();
  for (const name of MINE) {
    const anchor = (anchors as Rec[]).find((tool) => tool.name === name)!;
    const tool = tools.find((t) => t.name === name);
    expect(tool, name).toBeDefined();
    // Listed under Autotask's spelling (ticketID): names match case-insensitively when a tool runs.
    const props = Object.fromEntries(Object.entries(tool!.inputSchema.properties as Rec).map(([arg, schema]) => [arg.toLowerCase(), schema]));
    // the original's type is accepted (ticket ids also take ticket numbers, picklists labels)
    for (const [arg, spec] of Object.entries(anchor.args as Rec)) expect([props[arg.toLowerCase()]?.type].flat(), `${name}.${arg}`).toContain(spec.type);
    const lower = (names: string[]) => names.map((arg) => arg.toLowerCase()).sort();
    expect(lower([...(tool!.inputSchema.required ?? [])])).toEqual(lower(anchor.required));
    expect(tool!.description!.length).toBeGreaterThan(60);
  }
});

describe("ticket charges", () => {
  const chargedTicket = () => Number(ctx.store().all("TicketCharges")[0]!.ticketID);

  test("search by ticket sends the filter and shows labels and names", async () => {
    const ticketId = chargedTicket();
    const out = await ctx.ok("autotask_search_ticket_charges", { ticketId });
    const expected = ctx.store().all("TicketCharges").filter((c) => c.ticketID === ticketId);
    expect(out.items.length).toBe(expected.length);
    for (const row of out.items) {
      expect(row.ticketID).toBe(ticketId);
      expect(row.chargeTypeLabel).toBe(ctx.labelOf("TicketCharges", "chargeType", row.chargeType));
      expect(row.statusLabel).toBe(ctx.labelOf("TicketCharges", "status", row.status));
      expect(row.ticketName).toContain(String(ctx.store().get("Tickets", ticketId)!.ticketNumber));
    }
    const query = sent(ctx.requests(), "POST", /^TicketCharges\/query$/i)[0];
    expect(filterOf(query)).toContain(`{"op":"eq","field":"ticketID","value":${ticketId}}`);
  });

  test("status, chargeType and isBilled filters are sent and applied; pageSize pages", async () => {
    const all = ctx.store().all("TicketCharges");
    const { status, chargeType } = all[0]!;
    const out = await ctx.ok("autotask_search_ticket_charges", { status, chargeType, isBilled: false, pageSize: 2 });
    const filter = filterOf(sent(ctx.requests(), "POST", /^TicketCharges\/query$/i)[0]);
    expect(filter).toContain(`{"op":"eq","field":"status","value":${status}}`);
    expect(filter).toContain(`{"op":"eq","field":"chargeType","value":${chargeType}}`);
    expect(filter).toContain(`{"op":"eq","field":"isBilled","value":false}`);
    const matching = all.filter((c) => c.status === status && c.chargeType === chargeType && c.isBilled === false);
    expect(out.items.length).toBe(Math.min(2, matching.length));
    for (const row of out.items) expect([row.status, row.chargeType]).toEqual([status, chargeType]);
    expect(out.page.hasMore).toBe(matching.length > 2);
  });

  test("get shows one charge; an unknown id says so", async () => {
    const charge = ctx.store().all("TicketCharges")[1]!;
    const out = await ctx.ok("autotask_get_ticket_charge", { chargeId: charge.id });
    expect(out.item).toMatchObject({ id: charge.id, name: charge.name, ticketID: charge.ticketID });
    expect(out.item.statusLabel).toBe(ctx.labelOf("TicketCharges", "status", charge.status));
    expect(await ctx.fail("autotask_get_ticket_charge", { chargeId: 987654 })).toContain("TicketCharge 987654 was not found");
  });

  test("create goes through the ticket URL and fills the required fields with honest defaults", async () => {
    const ticketId = Number(ctx.store().all("Tickets").at(-1)!.id);
    const out = await ctx.ok("autotask_create_ticket_charge", { ticketID: ticketId, name: "USB-C dock", chargeType: 3, unitPrice: 150, unitCost: 90 });
    const post = sent(ctx.requests(), "POST", new RegExp(`^Tickets/${ticketId}/Charges$`, "i"));
    expect(post.length).toBe(1);
    const body = post[0]!.body as Rec;
    expect(body).toMatchObject({ ticketID: ticketId, name: "USB-C dock", chargeType: 3, unitQuantity: 1, isBillableToCompany: false, status: ctx.defaultOf("TicketCharges", "status") });
    expect(String(body.datePurchased).slice(0, 10)).toBe(today());
    expect(out.item).toMatchObject({ id: out.id, billableAmount: 150, statusLabel: ctx.labelOf("TicketCharges", "status", body.status) });
    expect(ctx.store().get("TicketCharges", out.id)).toMatchObject({ ticketID: ticketId, unitQuantity: 1, isBillableToCompany: false });
  });

  test("a bad chargeType returns the tenant's allowed values and sends nothing", async () => {
    const error = await ctx.fail("autotask_create_ticket_charge", { ticketID: chargedTicket(), name: "X", chargeType: 99 });
    expect(error).toContain("chargeType");
    for (const value of ctx.store().picklist("TicketCharges", "chargeType").filter((v) => v.isActive)) expect(error).toContain(`${value.value} ${value.label}`);
    expect(writes(ctx.requests())).toEqual([]);
  });

  test("update needs only the charge id: the parent ticket is looked up for the PATCH", async () => {
    const charge = ctx.store().all("TicketCharges")[2]!;
    const out = await ctx.ok("autotask_update_ticket_charge", { chargeId: charge.id, unitQuantity: 4, billableToAccount: true });
    expect(out.updated.sort()).toEqual(["isBillableToCompany", "unitQuantity"]);
    const patch = sent(ctx.requests(), "PATCH", new RegExp(`^Tickets/${charge.ticketID}/Charges$`, "i"));
    expect(patch.length).toBe(1);
    expect(patch[0]!.body).toEqual({ id: charge.id, unitQuantity: 4, isBillableToCompany: true });
    expect(ctx.store().get("TicketCharges", Number(charge.id))).toMatchObject({ unitQuantity: 4, isBillableToCompany: true });
  });

  test("delete needs confirm, goes through the ticket URL, and a wrong ticket is refused", async () => {
    const charge = ctx.store().all("TicketCharges").find((c) => !c.isBilled)!;
    expect(await ctx.fail("autotask_delete_ticket_charge", { ticketId: charge.ticketID, chargeId: charge.id })).toContain("confirm: true");
    expect(writes(ctx.requests())).toEqual([]);
    const wrong = await ctx.fail("autotask_delete_ticket_charge", { ticketId: Number(charge.ticketID) + 1, chargeId: charge.id, confirm: true });
    expect(wrong).toMatch(/does not exist|not found/i);
    ctx.requests();
    const out = await ctx.ok("autotask_delete_ticket_charge", { ticketId: charge.ticketID, chargeId: charge.id, confirm: true });
    expect(out).toMatchObject({ deleted: true, id: charge.id });
    expect(sent(ctx.requests(), "DELETE", new RegExp(`^Tickets/${charge.ticketID}/Charges/${charge.id}$`, "i")).length).toBe(1);
    expect(ctx.store().get("TicketCharges", Number(charge.id))).toBeUndefined();
  });
});

describe("ticket checklist items", () => {
  const checklistTicket = () => Number(ctx.store().all("TicketChecklistItems")[0]!.ticketID);

  test("search lists the checklist in position order with completion counts", async () => {
    const ticketId = checklistTicket();
    const out = await ctx.ok("autotask_search_ticket_checklist_items", { ticketId });
    const items = ctx.store().all("TicketChecklistItems").filter((i) => i.ticketID === ticketId);
    const done = items.filter((i) => i.isCompleted === true).length;
    expect(out).toMatchObject({ total: items.length, completed: done, remaining: items.length - done, summary: `${done} of ${items.length} items completed` });
    expect(out.items.map((i: Rec) => i.position)).toEqual([...items.map((i) => i.position)].sort((a: any, b: any) => a - b));
    for (const item of out.items) expect(typeof item.isCompleted).toBe("boolean");
    expect(filterOf(sent(ctx.requests(), "POST", /^TicketChecklistItems\/query$/i)[0])).toContain(`{"op":"eq","field":"ticketID","value":${ticketId}}`);
  });

  test("an empty checklist says so; an unknown ticket is not found", async () => {
    const withItems = new Set(ctx.store().all("TicketChecklistItems").map((i) => i.ticketID));
    const ticketId = Number(ctx.store().all("Tickets").find((t) => !withItems.has(t.id))!.id);
    const out = await ctx.ok("autotask_search_ticket_checklist_items", { ticketId });
    expect(out.summary).toContain("no checklist items");
    expect(await ctx.fail("autotask_search_ticket_checklist_items", { ticketId: 99999999 })).toContain("Ticket 99999999 was not found");
  });

  test("create goes through the ticket URL and lands after the last item by default", async () => {
    const ticketId = checklistTicket();
    const last = Math.max(...ctx.store().all("TicketChecklistItems").filter((i) => i.ticketID === ticketId).map((i) => Number(i.position)));
    const out = await ctx.ok("autotask_create_ticket_checklist_item", { ticketId, itemName: "Collect old laptop" });
    const post = sent(ctx.requests(), "POST", new RegExp(`^Tickets/${ticketId}/ChecklistItems$`, "i"));
    expect(post.length).toBe(1);
    expect(post[0]!.body).toEqual({ ticketID: ticketId, itemName: "Collect old laptop", position: last + 1, isCompleted: false });
    expect(out.item).toMatchObject({ itemName: "Collect old laptop", position: last + 1, isCompleted: false });

    const first = await ctx.ok("autotask_create_ticket_checklist_item", { ticketId, itemName: "Check warranty", position: 1, isCompleted: true });
    expect(ctx.store().get("TicketChecklistItems", first.id)).toMatchObject({ position: 1, isCompleted: true });
  });

  test("update ticks an item off through the ticket URL; an empty update is refused", async () => {
    const item = ctx.store().all("TicketChecklistItems").find((i) => i.isCompleted === false)!;
    const out = await ctx.ok("autotask_update_ticket_checklist_item", { ticketId: item.ticketID, itemId: item.id, isCompleted: true });
    expect(out.updated).toEqual(["isCompleted"]);
    const patch = sent(ctx.requests(), "PATCH", new RegExp(`^Tickets/${item.ticketID}/ChecklistItems$`, "i"));
    expect(patch[0]?.body).toEqual({ id: item.id, isCompleted: true });
    expect(ctx.store().get("TicketChecklistItems", Number(item.id))!.completedDateTime).toBeTruthy();
    expect(await ctx.fail("autotask_update_ticket_checklist_item", { ticketId: item.ticketID, itemId: item.id })).toContain("Nothing to update");
  });

  test("delete needs confirm and goes through the ticket URL", async () => {
    const item = ctx.store().all("TicketChecklistItems").at(-1)!;
    expect(await ctx.fail("autotask_delete_ticket_checklist_item", { ticketId: item.ticketID, itemId: item.id })).toContain("confirm: true");
    ctx.requests();
    await ctx.ok("autotask_delete_ticket_checklist_item", { ticketId: item.ticketID, itemId: item.id, confirm: true });
    expect(sent(ctx.requests(), "DELETE", new RegExp(`^Tickets/${item.ticketID}/ChecklistItems/${item.id}$`, "i")).length).toBe(1);
    expect(ctx.store().get("TicketChecklistItems", Number(item.id))).toBeUndefined();
  });
});

describe("ticket attachments", () => {
  const fileAttachment = () => ctx.store().all("TicketAttachments").find((a) => a.attachmentType === "FILE_ATTACHMENT")!;

  test("search lists a ticket's attachments without their data", async () => {
    const attachment = fileAttachment();
    const out = await ctx.ok("autotask_search_ticket_attachments", { ticketId: attachment.parentID });
    expect(out.items.map((a: Rec) => a.id)).toContain(attachment.id);
    for (const row of out.items) {
      expect(row.data).toBeUndefined();
      expect(row.parentID).toBe(attachment.parentID);
      expect(row.publishLabel).toBe(ctx.labelOf("TicketAttachments", "publish", row.publish));
    }
    const query = sent(ctx.requests(), "POST", /^TicketAttachments\/query$/i)[0];
    expect(filterOf(query)).toContain(`{"op":"eq","field":"parentID","value":${attachment.parentID}}`);
    expect(JSON.stringify((query?.body as Rec).IncludeFields)).not.toContain("data");
  });

  test("get returns the size, and the file only with includeData (read through the ticket URL)", async () => {
    const attachment = ctx.store().all("TicketAttachments").find((a) => a.attachmentType === "FILE_ATTACHMENT" && a.contentType === "text/plain")!;
    const light = await ctx.ok("autotask_get_ticket_attachment", { ticketId: attachment.parentID, attachmentId: attachment.id });
    expect(light.item.data).toBeUndefined();
    expect(light.item.size).toMatch(/bytes|KB|MB/);
    expect(light.hint).toContain("includeData: true");
    expect(sent(ctx.requests(), "GET", /\/Attachments\//i)).toEqual([]);

    // The file follows the JSON as content (text files as text); the JSON keeps the metadata only.
    const full = await ctx.session.call("autotask_get_ticket_attachment", { ticketId: attachment.parentID, attachmentId: attachment.id, includeData: true });
    expect((full.structuredContent as Rec).item.data).toBeUndefined();
    expect(full.content[0]!.type).toBe("text");
    expect(full.content[1]).toEqual({
      type: "resource",
      resource: { uri: `autotask://Tickets/${attachment.parentID}/Attachments/${attachment.id}`, mimeType: String(attachment.contentType), text: Buffer.from(String(attachment.data), "base64").toString("utf8") },
    });
    expect(sent(ctx.requests(), "GET", new RegExp(`^Tickets/${attachment.parentID}/Attachments/${attachment.id}$`, "i")).length).toBe(1);

    const wrong = await ctx.fail("autotask_get_ticket_attachment", { ticketId: Number(attachment.parentID) + 1, attachmentId: attachment.id });
    expect(wrong).toContain(`Attachment ${attachment.id} was not found on ticket`);
  });

  test("create uploads through the ticket URL, internal only and as a file by default", async () => {
    const ticketId = Number(ctx.store().all("Tickets").at(-2)!.id);
    const content = "Windows IP Configuration\n   IPv4 Address: 10.0.0.5\n";
    const internal = ctx.store().picklist("TicketAttachments", "publish").find((v) => /internal only/i.test(v.label))!;
    const fileType = ctx.store().picklist("TicketAttachments", "attachmentType").find((v) => /^file/i.test(v.label))!;
    const out = await ctx.ok("autotask_create_ticket_attachment", { ticketId, title: "ipconfig output", data: Buffer.from(content).toString("base64"), contentType: "text/plain" });
    const post = sent(ctx.requests(), "POST", new RegExp(`^Tickets/${ticketId}/Attachments$`, "i"));
    expect(post.length).toBe(1);
    expect(post[0]!.body).toMatchObject({ parentID: ticketId, title: "ipconfig output", fullPath: "ipconfig output.txt", publish: Number(internal.value), attachmentType: fileType.value });
    expect(out.message).toContain(`${Buffer.byteLength(content)} bytes`);
    expect(out.item).toMatchObject({ contentType: "text/plain", publishLabel: internal.label });
    expect(out.item.data).toBeUndefined();
    expect(Buffer.from(String(ctx.store().get("TicketAttachments", out.id)!.data), "base64").toString()).toBe(content);
  });

  test("data that is not base64, or over the size limit, is refused before anything is sent", async () => {
    const ticketId = Number(fileAttachment().parentID);
    expect(await ctx.fail("autotask_create_ticket_attachment", { ticketId, title: "notes", data: "this is plain text!" })).toContain("not valid base64");
    const big = "A".repeat(Math.ceil((6 * 1024 * 1024 + 3) / 3) * 4);
    const error = await ctx.fail("autotask_create_ticket_attachment", { ticketId, title: "huge.bin", data: big });
    expect(error).toContain("Autotask accepts at most about 6.00 MB");
    expect(writes(ctx.requests())).toEqual([]);
  });

  test("a bad publish value returns the allowed values", async () => {
    const error = await ctx.fail("autotask_create_ticket_attachment", { ticketId: Number(fileAttachment().parentID), title: "a.txt", data: "aGk=", publish: 9 });
    expect(error).toContain("publish");
    for (const value of ctx.store().picklist("TicketAttachments", "publish")) expect(error).toContain(`${value.value} ${value.label}`);
  });
});
