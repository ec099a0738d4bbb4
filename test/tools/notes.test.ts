/** Notes on tickets, projects and companies: parent URLs, newest first, and safe visibility defaults. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { apiPath, queryFilters, sandboxSession } from "../helpers/mcp.ts";

type Row = Record<string, any>;
let s: Awaited<ReturnType<typeof sandboxSession>>;
const store = () => s.sandbox.store();

beforeAll(async () => {
  s = await sandboxSession();
});
afterAll(() => s?.close());
beforeEach(() => {
  s.requests();
});

const label = (entity: string, field: string, value: unknown) => store().picklist(entity, field).find((v) => v.value === String(value))?.label;

describe("ticket notes", () => {
  test("listed newest first for one ticket, with visibility labels", async () => {
    const ticketId = store().all("TicketNotes").find((n) => store().all("TicketNotes").filter((m) => m.ticketID === n.ticketID).length >= 2)!.ticketID;
    const expected = store().all("TicketNotes").filter((n) => n.ticketID === ticketId).map((n) => n.id).reverse();
    const result = await s.session.ok("autotask_search_ticket_notes", { ticketId });
    expect(queryFilters(s.requests(), "TicketNotes").at(-1)).toEqual([{ op: "eq", field: "ticketID", value: ticketId }]);
    expect(result.items.map((row: Row) => row.id)).toEqual(expected);
    for (const row of result.items) expect(row.publishLabel).toBe(label("TicketNotes", "publish", row.publish));
  });

  test("created through the ticket's URL, internal only by default — even though the tenant's default is 'All Autotask Users'", async () => {
    const ticket = store().all("Tickets")[5]!;
    const picklistDefault = store().picklist("TicketNotes", "publish").find((v) => v.isDefaultValue)!;
    expect(picklistDefault.label).not.toMatch(/internal/i);
    const result = await s.session.ok("autotask_create_ticket_note", { ticketId: ticket.id, description: "Rebuilt the OST file.\nUser confirmed." });
    const post = s.requests().find((r) => r.method === "POST")!;
    expect(apiPath(post)).toBe(`Tickets/${ticket.id}/Notes`);
    const internal = store().picklist("TicketNotes", "publish").find((v) => v.label === "Internal Only")!;
    expect(post.body).toMatchObject({ ticketID: ticket.id, publish: Number(internal.value), title: "Rebuilt the OST file." });
    expect(post.body).not.toHaveProperty("ticketId");
    expect(result.item.publishLabel).toBe("Internal Only");
    const got = await s.session.ok("autotask_get_ticket_note", { ticketId: ticket.id, noteId: result.id });
    expect(got.item.description).toBe("Rebuilt the OST file.\nUser confirmed.");
    expect(apiPath(s.requests().find((r) => r.method === "GET")!)).toBe(`Tickets/${ticket.id}/Notes/${result.id}`);
  });

  test("an explicit publish value is kept, and a wrong one lists the tenant's values", async () => {
    const ticket = store().all("Tickets")[6]!;
    const all = store().picklist("TicketNotes", "publish").find((v) => v.label === "All Autotask Users")!;
    await s.session.ok("autotask_create_ticket_note", { ticketId: ticket.id, title: "Update", description: "Shared", publish: Number(all.value) });
    expect(s.requests().find((r) => r.method === "POST")!.body).toMatchObject({ publish: Number(all.value) });
    const text = await s.session.fail("autotask_create_ticket_note", { ticketId: ticket.id, description: "x", publish: 3 });
    expect(text).toContain("publish 3 is not a valid value");
    expect(text).toContain("Internal Only");
  });
});

describe("project notes", () => {
  test("created through the project's URL with isAnnouncement, listed and read back", async () => {
    const project = store().all("Projects")[0]!;
    const created = await s.session.ok("autotask_create_project_note", { projectId: project.id, title: "Kickoff", description: "Agenda sent", isAnnouncement: true });
    const post = s.requests().find((r) => r.method === "POST")!;
    expect(apiPath(post)).toBe(`Projects/${project.id}/Notes`);
    expect(post.body).toMatchObject({ projectID: project.id, isAnnouncement: true, title: "Kickoff" });
    expect(created.item.publishLabel).toMatch(/internal/i);
    const list = await s.session.ok("autotask_search_project_notes", { projectId: project.id });
    expect(list.items[0].id).toBe(created.id);
    const got = await s.session.ok("autotask_get_project_note", { projectId: project.id, noteId: created.id });
    expect(got.item.title).toBe("Kickoff");
  });
});

describe("company notes", () => {
  test("title/description map to name/note; the API user and now fill what Autotask requires", async () => {
    const company = store().all("Companies").find((c) => Number(c.id) > 0)!;
    const created = await s.session.ok("autotask_create_company_note", { companyId: company.id, title: "QBR", description: "Renewal in March" });
    const post = s.requests().find((r) => r.method === "POST" && !apiPath(r).endsWith("/query"))!;
    expect(apiPath(post)).toBe(`Companies/${company.id}/Notes`);
    expect(post.body).toMatchObject({ companyID: company.id, name: "QBR", note: "Renewal in March", assignedResourceID: store().apiUserResourceId });
    expect(typeof (post.body as Row).actionType).toBe("number");
    expect(created.item.assignedResourceName).toBeString();
    const list = await s.session.ok("autotask_search_company_notes", { companyId: company.id });
    expect(list.items[0].id).toBe(created.id);
    const got = await s.session.ok("autotask_get_company_note", { companyId: company.id, noteId: created.id });
    expect(got.item.note).toBe("Renewal in March");
    expect(await s.session.fail("autotask_get_company_note", { companyId: company.id, noteId: 99999999 })).toContain("was not found");
  });
});
