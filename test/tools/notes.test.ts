/** Notes on tickets, projects and companies: parent URLs, newest first, and safe visibility defaults. */
import { describe, expect, test } from "bun:test";
import { apiPath, queryFilters, useSandboxSession } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();


describe("ticket notes", () => {
  test("listed newest first for one ticket, with visibility labels", async () => {
    const ticketId = ctx.store().all("TicketNotes").find((n) => ctx.store().all("TicketNotes").filter((m) => m.ticketID === n.ticketID).length >= 2)!.ticketID;
    const expected = ctx.store().all("TicketNotes").filter((n) => n.ticketID === ticketId).map((n) => n.id).reverse();
    const result = await ctx.ok("autotask_search_ticket_notes", { ticketId });
    expect(queryFilters(ctx.requests(), "TicketNotes").at(-1)).toEqual([{ op: "eq", field: "ticketID", value: ticketId }]);
    expect(result.items.map((row: Row) => row.id)).toEqual(expected);
    for (const row of result.items) expect(row.publishLabel).toBe(ctx.labelOf("TicketNotes", "publish", row.publish));
  });

  test("created through the ticket's URL, internal only by default — even though the tenant's default is 'All Autotask Users'", async () => {
    const ticket = ctx.store().all("Tickets")[5]!;
    const picklistDefault = ctx.store().picklist("TicketNotes", "publish").find((v) => v.isDefaultValue)!;
    expect(picklistDefault.label).not.toMatch(/internal/i);
    const result = await ctx.ok("autotask_create_ticket_note", { ticketId: ticket.id, description: "Rebuilt the OST file.\nUser confirmed." });
    const post = ctx.requests().find((r) => r.method === "POST")!;
    expect(apiPath(post)).toBe(`Tickets/${ticket.id}/Notes`);
    const internal = ctx.store().picklist("TicketNotes", "publish").find((v) => v.label === "Internal Only")!;
    expect(post.body).toMatchObject({ ticketID: ticket.id, publish: Number(internal.value), title: "Rebuilt the OST file." });
    expect(post.body).not.toHaveProperty("ticketId");
    expect(result.item.publishLabel).toBe("Internal Only");
    const got = await ctx.ok("autotask_get_ticket_note", { ticketId: ticket.id, noteId: result.id });
    expect(got.item.description).toBe("Rebuilt the OST file.\nUser confirmed.");
    expect(apiPath(ctx.requests().find((r) => r.method === "GET")!)).toBe(`Tickets/${ticket.id}/Notes/${result.id}`);
  });

  test("an explicit publish value is kept, and a wrong one lists the tenant's values", async () => {
    const ticket = ctx.store().all("Tickets")[6]!;
    const all = ctx.store().picklist("TicketNotes", "publish").find((v) => v.label === "All Autotask Users")!;
    await ctx.ok("autotask_create_ticket_note", { ticketId: ticket.id, title: "Update", description: "Shared", publish: Number(all.value) });
    expect(ctx.requests().find((r) => r.method === "POST")!.body).toMatchObject({ publish: Number(all.value) });
    const text = await ctx.fail("autotask_create_ticket_note", { ticketId: ticket.id, description: "x", publish: 3 });
    expect(text).toContain("publish 3 is not a valid value");
    expect(text).toContain("Internal Only");
  });
});

describe("project notes", () => {
  test("created through the project's URL with isAnnouncement, listed and read back", async () => {
    const project = ctx.store().all("Projects")[0]!;
    const created = await ctx.ok("autotask_create_project_note", { projectId: project.id, title: "Kickoff", description: "Agenda sent", isAnnouncement: true });
    const post = ctx.requests().find((r) => r.method === "POST")!;
    expect(apiPath(post)).toBe(`Projects/${project.id}/Notes`);
    expect(post.body).toMatchObject({ projectID: project.id, isAnnouncement: true, title: "Kickoff" });
    expect(created.item.publishLabel).toMatch(/internal/i);
    const list = await ctx.ok("autotask_search_project_notes", { projectId: project.id });
    expect(list.items[0].id).toBe(created.id);
    const got = await ctx.ok("autotask_get_project_note", { projectId: project.id, noteId: created.id });
    expect(got.item.title).toBe("Kickoff");
  });
});

describe("company notes", () => {
  test("title/description map to name/note; the API user and now fill what Autotask requires", async () => {
    const company = ctx.store().all("Companies").find((c) => Number(c.id) > 0)!;
    const created = await ctx.ok("autotask_create_company_note", { companyId: company.id, title: "QBR", description: "Renewal in March" });
    const post = ctx.requests().find((r) => r.method === "POST" && !apiPath(r).endsWith("/query"))!;
    expect(apiPath(post)).toBe(`Companies/${company.id}/Notes`);
    expect(post.body).toMatchObject({ companyID: company.id, name: "QBR", note: "Renewal in March", assignedResourceID: ctx.store().apiUserResourceId });
    expect(typeof (post.body as Row).actionType).toBe("number");
    expect(created.item.assignedResourceName).toBeString();
    const list = await ctx.ok("autotask_search_company_notes", { companyId: company.id });
    expect(list.items[0].id).toBe(created.id);
    const got = await ctx.ok("autotask_get_company_note", { companyId: company.id, noteId: created.id });
    expect(got.item.note).toBe("Renewal in March");
    expect(await ctx.fail("autotask_get_company_note", { companyId: company.id, noteId: 99999999 })).toContain("was not found");
  });
});
