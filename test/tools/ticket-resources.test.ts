/**
 * A ticket's history, the roles resources work in, and a ticket's extra technicians, through the real
 * CLI over stdio against the sandbox: what reached Autotask and what came back.
 */
import { describe, expect, test } from "bun:test";
import { apiPath, queryFilters, sent, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();

const roleName = (roleID: unknown) => String(ctx.store().get("Roles", roleID as number)!.name);
const fullName = (resourceID: unknown) => {
  const r = ctx.store().get("Resources", resourceID as number)!;
  return `${r.firstName} ${r.lastName}`;
};

describe("ticket history", () => {
  test("search reads one ticket's trail with the one filter Autotask allows, oldest first, with who made each change", async () => {
    const ticket = ctx.store().all("Tickets").find((t) => t.status === ctx.valueOf("Tickets", "status", "Customer Note Added"))!;
    const expected = ctx.store().all("TicketHistory").filter((h) => h.ticketID === ticket.id);
    const out = await ctx.ok("autotask_search_ticket_history", { ticketId: ticket.ticketNumber });
    const requests = ctx.requests();
    expect(queryFilters(requests, "TicketHistory")).toEqual([[{ op: "eq", field: "ticketID", value: ticket.id }]]);
    expect(out.items.map((h: Row) => [h.id, h.action, h.detail])).toEqual(expected.map((h) => [h.id, h.action, h.detail]));
    expect(out.items[0]).toMatchObject({ action: "Created", date: ticket.createDate, resourceName: fullName(expected[0]!.resourceID) });
    // The ticket is the caller's: not repeated on every row.
    expect(out.items[0].ticketID).toBeUndefined();
    expect(out.items.at(-1).resourceID).toBeUndefined(); // the customer's note changed the status: no resource did
    expect(out.page).toMatchObject({ hasMore: false, total: expected.length });
  });

  test("a change made through update_ticket shows up in the trail; get reads one entry", async () => {
    const ticket = ctx.store().all("Tickets").find((t) => t.status === ctx.valueOf("Tickets", "status", "New") && t.priority === ctx.valueOf("Tickets", "priority", "Medium"))!;
    await ctx.ok("autotask_update_ticket", { ticketID: ticket.id, priority: "High" });
    const out = await ctx.ok("autotask_search_ticket_history", { ticketID: ticket.id, pageSize: 500 });
    const last = out.items.at(-1);
    expect(last).toMatchObject({ action: "Priority Changed", detail: "Priority changed from Medium to High", resourceName: "API User" });

    const one = await ctx.ok("autotask_get_ticket_history", { historyId: last.id });
    expect(sent(ctx.requests(), "GET", new RegExp(`^TicketHistory/${last.id}$`))).toHaveLength(1);
    expect(one.item).toMatchObject({ id: last.id, action: "Priority Changed", ticketID: ticket.id, ticketName: `${ticket.ticketNumber} ${ticket.title}` });
    expect(await ctx.fail("autotask_get_ticket_history", { historyID: 999999999 })).toContain("TicketHistory 999999999 was not found");
  });
});

describe("autotask_search_resource_roles", () => {
  const pastRole = () => ctx.store().all("ResourceRoles").find((l) => l.isActive === false)!;

  test("by resource name: its active roles with names; includeInactive adds the past one", async () => {
    const past = pastRole();
    const out = await ctx.ok("autotask_search_resource_roles", { resourceName: fullName(past.resourceID) });
    const requests = ctx.requests();
    expect(queryFilters(requests, "ResourceRoles")).toEqual([[{ op: "eq", field: "resourceID", value: past.resourceID }, { op: "eq", field: "isActive", value: true }]]);
    const active = ctx.store().all("ResourceRoles").filter((l) => l.resourceID === past.resourceID && l.isActive);
    expect(out.items.map((r: Row) => r.roleName)).toEqual(active.map((l) => roleName(l.roleID)));
    expect(out.items[0]).toMatchObject({ resourceName: fullName(past.resourceID), departmentName: expect.any(String), queueName: expect.any(String), isActive: true });

    const all = await ctx.ok("autotask_search_resource_roles", { resourceId: past.resourceID, includeInactive: true });
    expect(queryFilters(ctx.requests(), "ResourceRoles").at(-1)).toEqual([{ op: "eq", field: "resourceID", value: past.resourceID }]);
    expect(all.items.map((r: Row) => [r.roleName, r.isActive])).toContainEqual([roleName(past.roleID), false]);
  });

  test("line C's arguments: by role and isActive, paged", async () => {
    const past = pastRole();
    const inactive = await ctx.ok("autotask_search_resource_roles", { roleId: past.roleID, isActive: false, pageSize: 500 });
    expect(queryFilters(ctx.requests(), "ResourceRoles").at(-1)).toEqual([{ op: "eq", field: "roleID", value: past.roleID }, { op: "eq", field: "isActive", value: false }]);
    expect(inactive.items.map((r: Row) => r.id)).toEqual(ctx.store().all("ResourceRoles").filter((l) => l.roleID === past.roleID && !l.isActive).map((l) => l.id));
    const page = await ctx.ok("autotask_search_resource_roles", { pageSize: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.page.hasMore).toBe(true);
  });

  test("a name that is no one, or contradicts resourceID, is refused with what to do", async () => {
    expect(await ctx.fail("autotask_search_resource_roles", { resourceName: "Nobody Atall" })).toContain('resourceName: no resource matches "Nobody Atall"');
    const [a, b] = ctx.store().all("Resources").filter((r) => r.isActive);
    expect(await ctx.fail("autotask_search_resource_roles", { resourceID: a!.id, resourceName: fullName(b!.id) })).toContain("name different resources");
    expect(queryFilters(ctx.requests(), "ResourceRoles")).toEqual([]);
  });
});

describe("ticket secondary resources", () => {
  /** An open ticket with a primary resource and no extra technicians yet. */
  const freeTicket = () => {
    const taken = new Set(ctx.store().all("TicketSecondaryResources").map((l) => l.ticketID));
    return ctx.store().all("Tickets").find((t) => t.status !== ctx.valueOf("Tickets", "status", "Complete") && t.assignedResourceID !== null && !taken.has(t.id))!;
  };
  /** An active resource, not the ticket's primary, with two active roles. */
  const helper = (ticket: Row) => {
    const links = ctx.store().all("ResourceRoles").filter((l) => l.isActive);
    const resource = ctx.store().all("Resources").find((r) => r.isActive && r.id !== ticket.assignedResourceID && links.filter((l) => l.resourceID === r.id).length === 2)!;
    return { resource, other: links.find((l) => l.resourceID === resource.id && l.roleID !== resource.defaultServiceDeskRoleID)! };
  };

  test("search by ticket and by resource, with names", async () => {
    const link = ctx.store().all("TicketSecondaryResources")[0]!;
    const out = await ctx.ok("autotask_search_ticket_secondary_resources", { ticketId: link.ticketID });
    expect(queryFilters(ctx.requests(), "TicketSecondaryResources")).toEqual([[{ op: "eq", field: "ticketID", value: link.ticketID }]]);
    expect(out.items[0]).toMatchObject({ id: link.id, resourceName: fullName(link.resourceID), roleName: roleName(link.roleID) });
    const byResource = await ctx.ok("autotask_search_ticket_secondary_resources", { resourceId: link.resourceID, pageSize: 200 });
    expect(byResource.items.map((r: Row) => r.id)).toEqual(ctx.store().all("TicketSecondaryResources").filter((l) => l.resourceID === link.resourceID).map((l) => l.id));
  });

  test("create goes through the ticket's URL under the resource's default role, or roleName, or roleID", async () => {
    const ticket = freeTicket();
    const { resource, other } = helper(ticket);
    const path = new RegExp(`^Tickets/${ticket.id}/SecondaryResources$`, "i");
    const byDefault = await ctx.ok("autotask_create_ticket_secondary_resource", { ticketID: ticket.ticketNumber, resourceID: resource.id });
    expect(sent(ctx.requests(), "POST", path)[0]!.body).toEqual({ ticketID: ticket.id, resourceID: resource.id, roleID: resource.defaultServiceDeskRoleID });
    expect(byDefault.item).toMatchObject({ resourceName: fullName(resource.id), roleName: roleName(resource.defaultServiceDeskRoleID) });

    const byName = await ctx.ok("autotask_create_ticket_secondary_resource", { ticketId: ticket.id, resourceId: resource.id, roleName: roleName(other.roleID).toLowerCase() });
    expect(sent(ctx.requests(), "POST", path)[0]!.body).toEqual({ ticketID: ticket.id, resourceID: resource.id, roleID: other.roleID });
    expect(ctx.store().all("TicketSecondaryResources").filter((l) => l.ticketID === ticket.id).map((l) => l.id)).toEqual([byDefault.id, byName.id]);

    // Autotask's own refusal (the same resource and role twice) comes back as it said it.
    const twice = await ctx.fail("autotask_create_ticket_secondary_resource", { ticketID: ticket.id, resourceID: resource.id, roleID: other.roleID });
    expect(twice).toContain("That resource and role are already on the ticket.");
  });

  test("a role name the resource does not have, or a contradicting roleID, is refused before anything is sent", async () => {
    const ticket = freeTicket();
    const { resource, other } = helper(ticket);
    const error = await ctx.fail("autotask_create_ticket_secondary_resource", { ticketID: ticket.id, resourceID: resource.id, roleName: "Astronaut" });
    expect(error).toContain(`roleName: "Astronaut" is not one of resource ${resource.id}'s roles (`);
    expect(error).toContain(`${other.roleID} ${roleName(other.roleID)}`);
    expect(await ctx.fail("autotask_create_ticket_secondary_resource", { ticketID: ticket.id, resourceID: resource.id, roleID: resource.defaultServiceDeskRoleID, roleName: roleName(other.roleID) })).toContain("name different roles");
    expect(writes(ctx.requests())).toEqual([]);
  });

  test("delete needs confirm: true and goes through the ticket's URL", async () => {
    const link = ctx.store().all("TicketSecondaryResources").at(-1)!;
    const refused = await ctx.fail("autotask_delete_ticket_secondary_resource", { ticketId: link.ticketID, secondaryResourceId: link.id });
    expect(refused).toContain("cannot be undone. Nothing was deleted: call autotask_delete_ticket_secondary_resource again with confirm: true");
    expect(writes(ctx.requests())).toEqual([]);
    const out = await ctx.ok("autotask_delete_ticket_secondary_resource", { ticketId: link.ticketID, secondaryResourceId: link.id, confirm: true });
    expect(out).toMatchObject({ deleted: true, id: link.id });
    expect(writes(ctx.requests()).map((r) => `${r.method} ${apiPath(r)}`)).toEqual([`DELETE Tickets/${link.ticketID}/SecondaryResources/${link.id}`]);
    expect(ctx.store().get("TicketSecondaryResources", link.id as number)).toBeUndefined();
  });
});
