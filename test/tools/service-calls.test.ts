/**
 * Service calls, their tickets and technicians through the real CLI over stdio against the sandbox.
 * Every tool the original declared twice is called with both spellings of its id argument.
 */
import { describe, expect, test } from "bun:test";
import anchors from "../fixtures/anchor-tools.json" with { type: "json" };
import type { RequestLogEntry } from "../../src/sandbox/index.ts";
import { sent, useSandboxSession, writes } from "../helpers/mcp.ts";

type Rec = Record<string, any>;
const ctx = useSandboxSession();

const filterOf = (request: RequestLogEntry | undefined) => JSON.stringify((request?.body as Rec | undefined)?.filter);

const customer = () => ctx.store().all("Companies").find((c) => Number(c.id) > 0 && c.companyType === 1 && c.isActive && ticketsOf(c.id).length >= 2)!;
const ticketsOf = (companyId: unknown) => ctx.store().all("Tickets").filter((t) => t.companyID === companyId);

const MINE = (anchors as Rec[]).filter((tool) => tool.category === "service_calls");

test("schemas keep the original's names and types, accept both spellings, require what both required", async () => {
  expect(MINE.length).toBe(11);
  const { tools } = await ctx.session.client.listTools();
  for (const anchor of MINE) {
    const tool = tools.find((t) => t.name === anchor.name);
    expect(tool, anchor.name).toBeDefined();
    // Listed under Autotask's spelling (serviceCallID): names match case-insensitively when a tool runs.
    const props = Object.fromEntries(Object.entries(tool!.inputSchema.properties as Rec).map(([name, schema]) => [name.toLowerCase(), schema]));
    // the original's type is accepted (picklists also take labels)
    for (const [arg, spec] of Object.entries(anchor.args as Rec)) expect([props[arg.toLowerCase()]?.type].flat(), `${anchor.name}.${arg}`).toContain(spec.type);
    const lower = (names: string[]) => names.map((name) => name.toLowerCase()).sort();
    expect(lower([...(tool!.inputSchema.required ?? [])])).toEqual(lower(anchor.required));
  }
});

describe("service calls", () => {
  const ids = {} as Record<"call" | "done" | "link" | "link2" | "ticket" | "assignment" | "assignment2", number>;

  test("create requires companyID with a clear error and sends nothing without it", async () => {
    const error = await ctx.fail("autotask_create_service_call", { description: "Onsite visit", startDateTime: "2031-03-02T09:00:00Z", endDateTime: "2031-03-02T11:00:00Z" });
    expect(error).toContain("companyID is required");
    expect(error).toContain("autotask_search_companies");
    expect(writes(ctx.requests())).toEqual([]);
  });

  test("create uses the tenant's default status and shows company name and status label", async () => {
    const company = customer();
    const status = ctx.store().picklist("ServiceCalls", "status").find((v) => v.isDefaultValue)!;
    const out = await ctx.ok("autotask_create_service_call", {
      description: "Replace switch in comms room",
      startDateTime: "2031-03-02T09:00:00Z",
      endDateTime: "2031-03-02T11:30:00Z",
      companyID: company.id,
    });
    const post = sent(ctx.requests(), "POST", /^ServiceCalls$/i);
    expect(post.length).toBe(1);
    expect(post[0]!.body).toEqual({
      description: "Replace switch in comms room",
      startDateTime: "2031-03-02T09:00:00.000Z",
      endDateTime: "2031-03-02T11:30:00.000Z",
      companyID: company.id,
      status: Number(status.value),
      isComplete: 0,
    });
    expect(out.item).toMatchObject({ companyName: company.companyName, statusLabel: status.label, duration: 2.5 });
    ids.call = out.id;

    const done = await ctx.ok("autotask_create_service_call", {
      description: "Printer swap",
      startDateTime: "2030-02-10T13:00:00Z",
      endDateTime: "2030-02-10T14:00:00Z",
      companyID: company.id,
      complete: true,
      duration: 1,
    });
    expect(ctx.store().get("ServiceCalls", done.id)).toMatchObject({ isComplete: 1, duration: 1 });
    ids.done = done.id;
  });

  test("a bad status lists the tenant's values; an end before the start is refused", async () => {
    const base = { description: "x", startDateTime: "2031-03-02T09:00:00Z", endDateTime: "2031-03-02T10:00:00Z", companyID: customer().id };
    const error = await ctx.fail("autotask_create_service_call", { ...base, status: 99 });
    expect(error).toContain("status");
    for (const value of ctx.store().picklist("ServiceCalls", "status").filter((v) => v.isActive)) expect(error).toContain(`${value.value} ${value.label}`);
    expect(await ctx.fail("autotask_create_service_call", { ...base, endDateTime: "2031-03-02T08:00:00Z" })).toContain(
      "endDateTime (2031-03-02T08:00:00.000Z) is before startDateTime (2031-03-02T09:00:00.000Z): pass an endDateTime after the start",
    );
    expect(await ctx.fail("autotask_create_service_call", { ...base, endDateTime: base.startDateTime })).toContain(
      "endDateTime (2031-03-02T09:00:00.000Z) is the same as startDateTime (2031-03-02T09:00:00.000Z): pass an endDateTime after the start",
    );
  });

  test("search applies every filter, with both date spellings mapped to startDateTime", async () => {
    const company = customer();
    const out = await ctx.ok("autotask_search_service_calls", { companyId: company.id, startAfter: "2031-03-01", startBefore: "2031-03-03" });
    let filter = filterOf(sent(ctx.requests(), "POST", /^ServiceCalls\/query$/i)[0]);
    expect(filter).toContain(`{"op":"eq","field":"companyID","value":${company.id}}`);
    expect(filter).toContain(`{"op":"gte","field":"startDateTime","value":"2031-03-01T00:00:00.000Z"}`);
    expect(filter).toContain(`{"op":"lt","field":"startDateTime","value":"2031-03-03T00:00:00.000Z"}`);
    expect(out.items.map((c: Rec) => c.id)).toEqual([ids.call]);

    const old = await ctx.ok("autotask_search_service_calls", { startDate: "2030-02-01", endDate: "2030-02-28", status: 1, complete: true, searchTerm: "printer" });
    filter = filterOf(sent(ctx.requests(), "POST", /^ServiceCalls\/query$/i)[0]);
    expect(filter).toContain(`{"op":"gte","field":"startDateTime","value":"2030-02-01T00:00:00.000Z"}`);
    expect(filter).toContain(`{"op":"lt","field":"startDateTime","value":"2030-02-28T00:00:00.000Z"}`);
    expect(filter).toContain(`{"op":"eq","field":"status","value":1}`);
    expect(filter).toContain(`{"op":"eq","field":"isComplete","value":1}`);
    expect(filter).toContain(`{"op":"contains","field":"description","value":"printer"}`);
    expect(old.items.map((c: Rec) => c.id)).toEqual([ids.done]);

    const open = await ctx.ok("autotask_search_service_calls", { companyId: company.id, startAfter: "2030-01-01", complete: false, page: 1, pageSize: 1 });
    expect(filterOf(sent(ctx.requests(), "POST", /^ServiceCalls\/query$/i)[0])).toContain(`{"op":"or","items":[{"op":"eq","field":"isComplete","value":0},{"op":"notExist","field":"isComplete"}]}`);
    expect(open.items.map((c: Rec) => c.id)).toEqual([ids.call]);
    expect(open.page.hasMore).toBe(false);
  });

  test("get and update accept id or serviceCallId; neither, both different, or unknown fail clearly", async () => {
    const byId = await ctx.ok("autotask_get_service_call", { id: ids.call });
    const byName = await ctx.ok("autotask_get_service_call", { serviceCallId: ids.call });
    expect(byName.item).toEqual(byId.item);
    expect(byId.item).toMatchObject({ id: ids.call, description: "Replace switch in comms room", tickets: [] });
    expect(await ctx.fail("autotask_get_service_call", {})).toContain("one of id or serviceCallID is required");
    expect(await ctx.fail("autotask_get_service_call", { id: 4242424 })).toContain("ServiceCall 4242424 was not found");
    expect(await ctx.fail("autotask_get_service_call", { id: ids.call, serviceCallId: ids.done })).toContain("name different records");

    const scheduled = ctx.store().picklist("ServiceCalls", "status").find((v) => /scheduled/i.test(v.label))!;
    ctx.requests();
    const updated = await ctx.ok("autotask_update_service_call", { serviceCallId: ids.call, status: Number(scheduled.value), description: "Replace core switch" });
    expect(updated.updated.sort()).toEqual(["description", "status"]);
    expect(sent(ctx.requests(), "PATCH", /^ServiceCalls$/i)[0]?.body).toEqual({ id: ids.call, status: Number(scheduled.value), description: "Replace core switch" });
    await ctx.ok("autotask_update_service_call", { id: ids.done, complete: false });
    expect(sent(ctx.requests(), "PATCH", /^ServiceCalls$/i)[0]?.body).toEqual({ id: ids.done, isComplete: 0 });
    expect(ctx.labelOf("ServiceCalls", "status", ctx.store().get("ServiceCalls", ids.call)!.status)).toBe(scheduled.label);
    expect(await ctx.fail("autotask_update_service_call", { status: 1 })).toContain("one of id or serviceCallID is required");
    expect(await ctx.fail("autotask_update_service_call", { id: ids.call })).toContain("Nothing to update");
  });

  test("tickets are linked through the call's URL and listed with their names", async () => {
    const [first, second] = ticketsOf(customer().id);
    const link = await ctx.ok("autotask_create_service_call_ticket", { serviceCallID: ids.call, ticketID: first!.id });
    const post = sent(ctx.requests(), "POST", new RegExp(`^ServiceCalls/${ids.call}/Tickets$`, "i"));
    expect(post[0]?.body).toEqual({ serviceCallID: ids.call, ticketID: first!.id });
    expect(link.item.ticketName).toContain(String(first!.ticketNumber));
    ids.link = link.id;
    ids.ticket = Number(first!.id);
    ids.link2 = (await ctx.ok("autotask_create_service_call_ticket", { serviceCallID: ids.call, ticketID: second!.id })).id;
    expect(await ctx.fail("autotask_create_service_call_ticket", { serviceCallID: ids.call, ticketID: first!.id })).toContain("already on this service call");

    ctx.requests();
    const byCall = await ctx.ok("autotask_search_service_call_tickets", { serviceCallId: ids.call });
    expect(byCall.items.map((r: Rec) => r.id)).toEqual([ids.link, ids.link2]);
    expect(byCall.items[0].ticketName).toContain(String(first!.title));
    expect(byCall.items[0].serviceCallName).toBe("Replace core switch");
    const byTicket = await ctx.ok("autotask_search_service_call_tickets", { ticketId: first!.id, pageSize: 50 });
    expect(byTicket.items.map((r: Rec) => r.id)).toEqual(ctx.store().all("ServiceCallTickets").filter((r) => r.ticketID === first!.id).map((r) => r.id));
    expect(byTicket.items.map((r: Rec) => r.id)).toContain(ids.link);
    const filters = sent(ctx.requests(), "POST", /^ServiceCallTickets\/query$/i).map(filterOf);
    expect(filters[0]).toContain(`{"op":"eq","field":"serviceCallID","value":${ids.call}}`);
    expect(filters.at(-1)).toContain(`{"op":"eq","field":"ticketID","value":${first!.id}}`);
  });

  test("technicians are assigned through the link's URL; roleID is checked, never sent", async () => {
    const link = ctx.store().all("ResourceRoles").find((r) => r.isActive)!;
    const resourceId = Number(link.resourceID);
    const out = await ctx.ok("autotask_create_service_call_ticket_resource", { serviceCallTicketID: ids.link, resourceID: resourceId });
    const post = sent(ctx.requests(), "POST", new RegExp(`^ServiceCallTickets/${ids.link}/Resources$`, "i"));
    expect(post[0]?.body).toEqual({ serviceCallTicketID: ids.link, resourceID: resourceId });
    const resource = ctx.store().get("Resources", resourceId)!;
    expect(out.item.resourceName).toBe(`${resource.firstName} ${resource.lastName}`);
    ids.assignment = out.id;

    const wrongRole = await ctx.fail("autotask_create_service_call_ticket_resource", { serviceCallTicketID: ids.link2, resourceID: resourceId, roleID: 987654 });
    expect(wrongRole).toContain(`does not work in role 987654`);
    expect(wrongRole).toContain(String(link.roleID));
    ctx.requests();
    const withRole = await ctx.ok("autotask_create_service_call_ticket_resource", { serviceCallTicketID: ids.link2, resourceID: resourceId, roleID: link.roleID });
    expect(withRole.message).toContain("not stored");
    expect(JSON.stringify(sent(ctx.requests(), "POST", /\/Resources$/i)[0]?.body)).not.toContain("roleID");
    ids.assignment2 = withRole.id;

    ctx.requests();
    const byLink = await ctx.ok("autotask_search_service_call_ticket_resources", { serviceCallTicketId: ids.link });
    expect(byLink.items.map((r: Rec) => r.id)).toEqual([ids.assignment]);
    const byResource = await ctx.ok("autotask_search_service_call_ticket_resources", { resourceId, page: 1, pageSize: 100 });
    expect(byResource.items.map((r: Rec) => r.id)).toEqual(ctx.store().all("ServiceCallTicketResources").filter((r) => r.resourceID === resourceId).map((r) => r.id));
    expect(byResource.items.map((r: Rec) => r.id)).toEqual(expect.arrayContaining([ids.assignment, ids.assignment2]));
    const filters = sent(ctx.requests(), "POST", /^ServiceCallTicketResources\/query$/i).map(filterOf);
    expect(filters[0]).toContain(`{"op":"eq","field":"serviceCallTicketID","value":${ids.link}}`);
    expect(filters.at(-1)).toContain(`{"op":"eq","field":"resourceID","value":${resourceId}}`);

    const call = await ctx.ok("autotask_get_service_call", { id: ids.call });
    expect(call.item.tickets.map((t: Rec) => t.serviceCallTicketID)).toEqual([ids.link, ids.link2]);
    expect(call.item.tickets[0].resources).toEqual([{ id: ids.assignment, resourceID: resourceId, resourceName: `${resource.firstName} ${resource.lastName}` }]);
  });

  test("deletes take either id spelling, need confirm, and go through the parent URLs", async () => {
    expect(await ctx.fail("autotask_delete_service_call_ticket_resource", { serviceCallTicketResourceId: ids.assignment })).toContain("confirm: true");
    expect(await ctx.fail("autotask_delete_service_call_ticket_resource", { confirm: true })).toContain("one of id or serviceCallTicketResourceID is required");
    expect(await ctx.fail("autotask_delete_service_call", { id: ids.call, serviceCallId: ids.done, confirm: true })).toContain("name different records");
    expect(writes(ctx.requests())).toEqual([]);

    await ctx.ok("autotask_delete_service_call_ticket_resource", { serviceCallTicketResourceId: ids.assignment, confirm: true });
    expect(sent(ctx.requests(), "DELETE", new RegExp(`^ServiceCallTickets/${ids.link}/Resources/${ids.assignment}$`, "i")).length).toBe(1);
    await ctx.ok("autotask_delete_service_call_ticket_resource", { id: ids.assignment2, confirm: true });
    expect(ctx.store().get("ServiceCallTicketResources", ids.assignment)).toBeUndefined();
    expect(ctx.store().get("ServiceCallTicketResources", ids.assignment2)).toBeUndefined();

    await ctx.ok("autotask_delete_service_call_ticket", { serviceCallTicketId: ids.link, confirm: true });
    expect(sent(ctx.requests(), "DELETE", new RegExp(`^ServiceCalls/${ids.call}/Tickets/${ids.link}$`, "i")).length).toBe(1);
    await ctx.ok("autotask_delete_service_call_ticket", { id: ids.link2, confirm: true });
    expect(ctx.store().get("Tickets", ids.ticket)).toBeDefined();

    await ctx.ok("autotask_delete_service_call", { serviceCallId: ids.call, confirm: true });
    expect(sent(ctx.requests(), "DELETE", new RegExp(`^ServiceCalls/${ids.call}$`, "i")).length).toBe(1);
    await ctx.ok("autotask_delete_service_call", { id: ids.done, confirm: true });
    expect(ctx.store().get("ServiceCalls", ids.call)).toBeUndefined();
    expect(ctx.store().get("ServiceCalls", ids.done)).toBeUndefined();
    expect(await ctx.fail("autotask_delete_service_call", { id: ids.done, confirm: true })).toMatch(/does not exist|not found/i);
  });
});
