/** Tickets through the real CLI over stdio against the sandbox: what the user sees and what reached Autotask. */
import { describe, expect, test } from "bun:test";
import { apiPath, queryFilters, useSandboxSession } from "../helpers/mcp.ts";
import { callApi } from "../helpers/sandbox-api.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();

const statusValue = (label: string) => ctx.valueOf("Tickets", "status", label);

describe("autotask_search_tickets", () => {
  test("by default only open tickets: the filter uses noteq on the tenant's Complete status (never `ne`)", async () => {
    const result = await ctx.ok("autotask_search_tickets", { pageSize: 50 });
    const filter = queryFilters(ctx.requests(), "Tickets").at(-1);
    expect(filter).toEqual([{ op: "noteq", field: "status", value: statusValue("Complete") }]);
    expect(result.items).toHaveLength(50);
    for (const row of result.items) expect(row.statusLabel).not.toBe("Complete");
    expect(result.page).toEqual({ page: 1, pageSize: 50, returned: 50, hasMore: true, nextPage: 2 });
    expect(result.hint).toContain("page: 2");
  });

  test("companyId in any casing filters by companyID, and names sit next to ids", async () => {
    const company = ctx.store().all("Companies").find((c) => Number(c.id) > 0 && ctx.store().all("Tickets").filter((t) => t.companyID === c.id && t.status !== 5).length >= 3)!;
    const expected = ctx.store().all("Tickets").filter((t) => t.companyID === company.id && t.status !== statusValue("Complete"));
    const result = await ctx.ok("autotask_search_tickets", { companyId: company.id, pageSize: 200 });
    const filter = queryFilters(ctx.requests(), "Tickets").at(-1) as Row[];
    expect(filter).toContainEqual({ op: "eq", field: "companyID", value: company.id });
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((t) => t.id));
    for (const row of result.items) {
      expect(row.companyName).toBe(company.companyName);
      expect(row.statusLabel).toBeString();
      expect(row.priorityLabel).toBeString();
      expect(row.queueName).toBeString();
      expect(Object.values(row)).not.toContain(null);
    }
    expect(result.page.total).toBe(expected.length);
  });

  test("company 0 (the MSP's own company) is a filter like any other, not dropped as falsy", async () => {
    const own = ctx.store().all("Tickets").filter((t) => t.companyID === 0 && t.status !== statusValue("Complete"));
    expect(own.length).toBeGreaterThan(0);
    const result = await ctx.ok("autotask_search_tickets", { companyID: 0, pageSize: 200 });
    expect(queryFilters(ctx.requests(), "Tickets").at(-1)).toContainEqual({ op: "eq", field: "companyID", value: 0 });
    expect(result.items.map((row: Row) => row.id)).toEqual(own.map((t) => t.id));
  });

  test("every filter argument is sent: status, assignee, unassigned, dates, priority, queue, T-number", async () => {
    const sample = ctx.store().all("Tickets").find((t) => t.assignedResourceID && t.queueID)!;
    await ctx.ok("autotask_search_tickets", {
      status: sample.status,
      assignedResourceID: sample.assignedResourceID,
      createdAfter: "2020-01-01",
      createdBefore: "2100-01-01T00:00:00Z",
      lastActivityAfter: "2020-01-01T00:00:00+02:00",
      priority: sample.priority,
      queueID: sample.queueID,
    });
    const filter = queryFilters(ctx.requests(), "Tickets").at(-1) as Row[];
    expect(filter).toEqual([
      { op: "eq", field: "status", value: sample.status },
      { op: "eq", field: "assignedResourceID", value: sample.assignedResourceID },
      { op: "gte", field: "createDate", value: "2020-01-01T00:00:00.000Z" },
      { op: "lt", field: "createDate", value: "2100-01-01T00:00:00.000Z" },
      { op: "gte", field: "lastActivityDate", value: "2019-12-31T22:00:00.000Z" },
      { op: "eq", field: "priority", value: sample.priority },
      { op: "eq", field: "queueID", value: sample.queueID },
    ]);
    const unassigned = await ctx.ok("autotask_search_tickets", { unassigned: true, includeCompleted: true });
    expect(queryFilters(ctx.requests(), "Tickets").at(-1)).toEqual([{ op: "notExist", field: "assignedResourceID" }]);
    for (const row of unassigned.items) expect(row.assignedResourceID).toBeUndefined();
    const byNumber = await ctx.ok("autotask_search_tickets", { searchTerm: sample.ticketNumber, includeCompleted: true });
    expect(byNumber.items.map((row: Row) => row.id)).toEqual([sample.id]);
  });

  test("a status the tenant does not have is an error with the allowed values, not an empty result", async () => {
    const text = await ctx.fail("autotask_search_tickets", { status: 99 });
    expect(text).toContain("status 99 is not a valid value");
    expect(text).toContain("8 In Progress");
    expect(ctx.requests().some((r) => apiPath(r) === "Tickets/query")).toBe(false);
  });

  test("past the last page: nothing returned, hasMore false, and the true total", async () => {
    const open = ctx.store().all("Tickets").filter((t) => t.status !== statusValue("Complete")).length;
    const result = await ctx.ok("autotask_search_tickets", { page: 40, pageSize: 25 });
    expect(result.items).toHaveLength(0);
    expect(result.page).toMatchObject({ page: 40, returned: 0, hasMore: false, total: open });
    expect(await ctx.fail("autotask_search_tickets", { page: 60, pageSize: 200 })).toContain("narrow the filters");
  });

  test("a searchTerm matches titles", async () => {
    const result = await ctx.ok("autotask_search_tickets", { searchTerm: "vpn", includeCompleted: true, pageSize: 200 });
    expect(result.items.length).toBeGreaterThan(0);
    for (const row of result.items) expect(`${row.title} ${row.ticketNumber}`.toLowerCase()).toContain("vpn");
  });

  test("one page of 25 resolves names with one batched request per referenced entity", async () => {
    await ctx.ok("autotask_search_tickets", { includeCompleted: true, page: 3 });
    const requests = ctx.requests();
    const byPath = requests.map(apiPath);
    expect(byPath.filter((p) => p === "Tickets/query")).toHaveLength(1);
    for (const entity of ["Companies", "Resources", "Contacts"]) {
      expect(byPath.filter((p) => p === `${entity}/query`).length).toBeLessThanOrEqual(1);
    }
    expect(requests.length).toBeLessThanOrEqual(5);
  });
});

describe("autotask_get_ticket_details", () => {
  test("the full record, compact, with names; fullDetails adds notes, time and checklist", async () => {
    const ticket = ctx.store().all("Tickets").find((t) => ctx.store().all("TimeEntries").some((e) => e.ticketID === t.id) && ctx.store().all("TicketNotes").some((n) => n.ticketID === t.id))!;
    const { item } = await ctx.ok("autotask_get_ticket_details", { ticketID: ticket.id });
    expect(item.id).toBe(ticket.id);
    expect(item.ticketNumber).toBe(ticket.ticketNumber);
    expect(item.companyName).toBeString();
    expect(Object.values(item)).not.toContain(null);
    expect(item.notes).toBeUndefined();
    const full = (await ctx.ok("autotask_get_ticket_details", { ticketID: ticket.id, fullDetails: true })).item;
    const hours = ctx.store().all("TimeEntries").filter((e) => e.ticketID === ticket.id).reduce((sum, e) => sum + Number(e.hoursWorked), 0);
    expect(full.notes.length).toBe(ctx.store().all("TicketNotes").filter((n) => n.ticketID === ticket.id).length);
    expect(full.totalHoursWorked).toBeCloseTo(hours, 2);
    expect(full.notes[0].publishLabel).toBeString();
  });

  test("an unknown id is a clear error", async () => {
    expect(await ctx.fail("autotask_get_ticket_details", { ticketID: 99999999 })).toContain("Ticket 99999999 was not found");
  });

  /** A ticket with an assignee and no checklist, to pile notes, time and checklist items on through the API. */
  const busyTicket = () =>
    ctx.store().all("Tickets").find((t) => t.assignedResourceID && t.assignedResourceRoleID && !ctx.store().all("TicketChecklistItems").some((c) => c.ticketID === t.id))!;
  const logTime = (t: Row, hoursWorked: number, dateWorked: string) =>
    callApi(ctx.sandbox, "TimeEntries", { body: { ticketID: t.id, resourceID: t.assignedResourceID, roleID: t.assignedResourceRoleID, dateWorked, hoursWorked, summaryNotes: "Worked on it" } });

  test("fullDetails on a busy ticket: the latest 50 notes newest first, hours over every entry, the checklist in position order", async () => {
    const ticket = busyTicket();
    for (let i = 0; i < 60; i++) {
      const { status } = await callApi(ctx.sandbox, `Tickets/${ticket.id}/Notes`, { body: { title: `Update ${i}`, description: `Step ${i}`, noteType: 1, publish: 2 } });
      expect(status).toBe(200);
    }
    for (let i = 0; i < 60; i++) expect((await logTime(ticket, 0.25, `2026-0${1 + (i % 9)}-1${i % 10}`)).status).toBe(200);
    for (const [itemName, position] of [["Third", 3], ["First", 1], ["Second", 2]] as const) {
      expect((await callApi(ctx.sandbox, `Tickets/${ticket.id}/ChecklistItems`, { body: { itemName, position } })).status).toBe(200);
    }
    const notes = ctx.store().all("TicketNotes").filter((n) => n.ticketID === ticket.id).map((n) => n.id as number);
    const entries = ctx.store().all("TimeEntries").filter((e) => e.ticketID === ticket.id);
    const { item } = await ctx.ok("autotask_get_ticket_details", { ticketID: ticket.id, fullDetails: true });
    expect(item.notes.map((n: Row) => n.id)).toEqual([...notes].sort((a, b) => b - a).slice(0, 50));
    expect(item.noteCount).toBe(notes.length);
    expect(item.totalHoursWorked).toBeCloseTo(entries.reduce((sum, e) => sum + Number(e.hoursWorked), 0), 2);
    expect(item.timeEntries).toHaveLength(50);
    expect(item.timeEntryCount).toBe(entries.length);
    const latest = [...entries].sort((a, b) => String(b.dateWorked).localeCompare(String(a.dateWorked)) || Number(b.id) - Number(a.id));
    expect(item.timeEntries.map((e: Row) => e.id)).toEqual(latest.slice(0, 50).map((e) => e.id));
    expect(item.totalHoursNote).toBeUndefined();
    expect(item.checklist.map((c: Row) => c.itemName)).toEqual(["First", "Second", "Third"]);
  });

  test("fullDetails past 500 time entries says the total covers only the first 500", async () => {
    const ticket = busyTicket();
    for (let i = 0; i < 501; i++) expect((await logTime(ticket, 1, "2026-02-03")).status).toBe(200);
    const entries = ctx.store().all("TimeEntries").filter((e) => e.ticketID === ticket.id);
    const { item } = await ctx.ok("autotask_get_ticket_details", { ticketID: ticket.id, fullDetails: true });
    expect(item.timeEntryCount).toBe(entries.length);
    expect(item.totalHoursWorked).toBeCloseTo(entries.slice(0, 500).reduce((sum, e) => sum + Number(e.hoursWorked), 0), 2);
    expect(item.totalHoursNote).toContain(`first 500 of ${entries.length} time entries`);
  }, 30_000);
});

describe("autotask_create_ticket", () => {
  test("uses the tenant's default status and priority, and returns the new ticket with its number", async () => {
    const company = ctx.store().all("Companies").find((c) => Number(c.id) > 0)!;
    const result = await ctx.ok("autotask_create_ticket", { companyID: company.id, title: "Printer jams on tray 2", description: "Every morning" });
    const post = ctx.requests().find((r) => r.method === "POST" && apiPath(r) === "Tickets")!;
    const statusDefault = ctx.store().picklist("Tickets", "status").find((v) => v.isDefaultValue)!;
    expect(post.body).toMatchObject({ companyID: company.id, title: "Printer jams on tray 2", status: Number(statusDefault.value) });
    expect(result.id).toBeGreaterThan(0);
    expect(result.item.ticketNumber).toMatch(/^T\d{8}\.\d{4}$/);
    expect(result.item.statusLabel).toBe(statusDefault.label);
    expect(result.item.companyName).toBe(company.companyName);
    expect(ctx.store().get("Tickets", result.id)!.title).toBe("Printer jams on tray 2");
  });

  test("an assigned resource gets its default role (the original forgot assignedResourceRoleID)", async () => {
    const resource = ctx.store().all("Resources").find((r) => r.isActive && r.defaultServiceDeskRoleID)!;
    const result = await ctx.ok("autotask_create_ticket", { companyID: 0, title: "Assigned", description: "x", assignedResourceID: resource.id });
    const post = ctx.requests().find((r) => r.method === "POST" && apiPath(r) === "Tickets")!;
    expect(post.body).toMatchObject({ assignedResourceID: resource.id, assignedResourceRoleID: resource.defaultServiceDeskRoleID });
    expect(result.item.assignedResourceName).toBe(`${resource.firstName} ${resource.lastName}`);
  });

  test("a status the tenant does not have is refused with the allowed values, before anything is sent", async () => {
    const text = await ctx.fail("autotask_create_ticket", { companyID: 0, title: "x", description: "y", status: 99 });
    expect(text).toContain("status 99 is not a valid value");
    expect(text).toContain("1 New");
    expect(text).toContain("5 Complete");
    expect(ctx.requests().some((r) => r.method === "POST" && apiPath(r) === "Tickets")).toBe(false);
  });

  test("Autotask's own error text is passed on", async () => {
    const text = await ctx.fail("autotask_create_ticket", { companyID: 99999, title: "x", description: "y" });
    expect(text).toContain("Company 99999 (companyID) does not exist or access is denied");
  });

  test("ticketAdditionalContacts is refused, not silently dropped", async () => {
    const text = await ctx.fail("autotask_create_ticket", { companyID: 0, title: "x", description: "y", ticketAdditionalContacts: [1] });
    expect(text).toContain("ticketAdditionalContacts");
    expect(ctx.requests().some((r) => r.method === "POST" && apiPath(r) === "Tickets")).toBe(false);
  });
});

describe("autotask_update_ticket", () => {
  test("PATCHes only the given fields through the collection URL", async () => {
    const ticket = ctx.store().all("Tickets").find((t) => t.status === statusValue("New"))!;
    const result = await ctx.ok("autotask_update_ticket", { ticketId: ticket.id, status: statusValue("In Progress"), dueDateTime: "2030-01-02T03:04:05Z" });
    const patch = ctx.requests().find((r) => r.method === "PATCH")!;
    expect(apiPath(patch)).toBe("Tickets");
    expect(patch.body).toEqual({ id: ticket.id, status: statusValue("In Progress"), dueDateTime: "2030-01-02T03:04:05.000Z" });
    expect(result.updated).toEqual(["status", "dueDateTime"]);
    expect(ctx.store().get("Tickets", ticket.id as number)!.status).toBe(statusValue("In Progress"));
  });

  test("nothing to change is an error listing the fields", async () => {
    expect(await ctx.fail("autotask_update_ticket", { ticketId: 1 })).toContain("Nothing to update");
  });

  test("a rate limit comes back as JSON data: the original's error_type and retry_after_seconds, our retryAfterSeconds, and advice", async () => {
    ctx.sandbox.faults.inject({ method: "PATCH", path: "/Tickets", status: 429, headers: { "Retry-After": "17" }, body: { errors: ["API request threshold exceeded"] }, times: 1 });
    const ticket = ctx.store().all("Tickets")[0]!;
    const answer = JSON.parse(await ctx.fail("autotask_update_ticket", { ticketId: ticket.id, title: "Renamed" }));
    expect(answer).toMatchObject({ error_type: "rate_limited", retry_after_seconds: 17, retryAfterSeconds: 17, tool: "autotask_update_ticket" });
    expect(answer.error).toContain("threshold exceeded");
    expect(answer.instruction).toMatch(/Wait 17 seconds/);
  });
});
