/**
 * Right answers for real-world cases (issue 8): each test is one example of a kind of fault, taken
 * through the real CLI over stdio with the sandbox as Autotask, checking what the model reads and
 * what reached Autotask.
 */
import { describe, expect, test } from "bun:test";
import { DEFAULT_SANDBOX_TENANT } from "../../src/sandbox/index.ts";
import { apiPath, queryFilters, useSandboxSession, writes } from "../helpers/mcp.ts";

const ctx = useSandboxSession();

type Row = Record<string, any>;

/** Sets up data through the sandbox's REST API, as any Autotask client would. */
async function autotask(method: string, path: string, body?: unknown): Promise<Row> {
  const tenant = DEFAULT_SANDBOX_TENANT;
  const response = await ctx.sandbox.fetch(
    new Request(`${ctx.sandbox.apiUrl}V1.0/${path}`, {
      method,
      headers: { "Content-Type": "application/json", UserName: tenant.username, Secret: tenant.secret, ApiIntegrationCode: tenant.integrationCode },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return (await response.json()) as Row;
}

const all = (entity: string) => ctx.store().all(entity) as Row[];
const get = (entity: string, id: number) => ctx.store().get(entity, id) as Row | undefined;
const COMPLETE = () => ctx.valueOf("Tickets", "status", "Complete");

describe("1. an explicit unique key wins over implicit defaults", () => {
  test("search_tickets by the number of a Complete ticket finds it and says the default was lifted", async () => {
    const done = all("Tickets").find((t) => t.status === COMPLETE())!;
    const result = await ctx.ok("autotask_search_tickets", { searchTerm: done.ticketNumber });
    expect(result.items.map((t: Row) => t.id)).toEqual([done.id]);
    expect(result.note).toContain("open tickets only");
    // the ticket number alone reached Autotask: no "status != Complete" beside it
    expect(queryFilters(ctx.requests(), "Tickets").at(-1)).toEqual([{ op: "eq", field: "ticketNumber", value: done.ticketNumber }]);
  });

  test("an explicit status filter still applies with a ticket number", async () => {
    const done = all("Tickets").find((t) => t.status === COMPLETE())!;
    const result = await ctx.ok("autotask_search_tickets", { searchTerm: done.ticketNumber, status: ctx.valueOf("Tickets", "status", "New") });
    expect(result.items).toHaveLength(0);
    expect(result.note).toBeUndefined();
  });

  test("a ticket number is accepted wherever a ticket id is", async () => {
    const done = all("Tickets").find((t) => t.status === COMPLETE() && all("TicketNotes").some((n) => n.ticketID === t.id))!;
    const details = await ctx.ok("autotask_get_ticket_details", { ticketID: done.ticketNumber });
    expect(details.item.id).toBe(done.id);
    expect(details.item.statusLabel).toBe("Complete");
    const lookup = queryFilters(ctx.requests(), "Tickets")[0];
    expect(lookup).toEqual([{ op: "eq", field: "ticketNumber", value: done.ticketNumber }]);

    const notes = await ctx.ok("autotask_search_ticket_notes", { ticketId: done.ticketNumber.toLowerCase() });
    const own = all("TicketNotes").filter((n) => n.ticketID === done.id).map((n) => n.id);
    expect(own.length).toBeGreaterThan(0);
    expect(notes.items.map((n: Row) => n.id)).toEqual(own.toReversed());

    const missing = await ctx.fail("autotask_get_ticket_details", { ticketID: "T19990101.0001" });
    expect(missing).toContain("ticketID: no ticket has the number T19990101.0001");
  });

  test("an inactive resource named exactly is reported as inactive, not as unknown", async () => {
    const kevin = all("Resources").find((r) => r.lastName === "Doyle")!;
    expect(kevin.isActive).toBe(false);
    const text = await ctx.fail("autotask_create_time_entry", {
      resourceName: kevin.email,
      category: "Internal Admin",
      dateWorked: "2026-11-20",
      hoursWorked: 1,
      summaryNotes: "x",
    });
    expect(text).toContain("inactive resource");
    expect(text).toContain(String(kevin.id));
    expect(writes(ctx.requests())).toHaveLength(0);
  });

  test("an inactive work type named exactly is reported as inactive", async () => {
    const ticket = all("Tickets").find((t) => t.status !== COMPLETE() && t.assignedResourceID)!;
    const text = await ctx.fail("autotask_create_time_entry", {
      ticketID: ticket.id,
      category: "legacy block time",
      dateWorked: "2026-11-20",
      hoursWorked: 1,
      summaryNotes: "x",
    });
    expect(text).toContain("inactive billing code");
    expect(writes(ctx.requests())).toHaveLength(0);
  });
});

describe("2. calendar dates are not instants", () => {
  test("dateWorked with an offset stays on its own day, all the way into Autotask", async () => {
    const result = await ctx.ok("autotask_create_time_entry", {
      category: "Internal Admin",
      dateWorked: "2025-03-10T22:30:00-05:00",
      hoursWorked: 1,
      summaryNotes: "Late evening patching",
    });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect((post.body as Row).dateWorked).toBe("2025-03-10T00:00:00");
    expect(get("TimeEntries", result.id)!.dateWorked).toStartWith("2025-03-10");
    expect(result.item.dateWorked).toBe("2025-03-10");
  });

  test("date filters on a calendar-date field neither pull in nor drop a neighbouring day", async () => {
    await ctx.ok("autotask_search_time_entries", { dateWorkedAfter: "2025-03-10T22:30:00-05:00", dateWorkedBefore: "2025-03-12T01:00:00+09:00" });
    expect(queryFilters(ctx.requests(), "TimeEntries").at(-1)).toEqual([
      { op: "gte", field: "dateWorked", value: "2025-03-10T00:00:00" },
      { op: "lte", field: "dateWorked", value: "2025-03-12T00:00:00" },
    ]);
  });

  test("the generic query follows the same rule", async () => {
    const result = await ctx.ok("autotask_query", { entity: "TimeEntries", filter: [{ op: "eq", field: "dateWorked", value: "2025-03-10T22:30:00-05:00" }] });
    expect(queryFilters(ctx.requests(), "TimeEntries").at(-1)).toEqual([{ op: "eq", field: "dateWorked", value: "2025-03-10T00:00:00" }]);
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.items.every((row: Row) => row.dateWorked === "2025-03-10")).toBe(true);
  });

  test("true date-times are still converted to UTC", async () => {
    const ticket = all("Tickets").find((t) => t.status !== COMPLETE())!;
    await ctx.ok("autotask_update_ticket", { ticketId: ticket.id, dueDateTime: "2025-03-10T22:30:00-05:00" });
    const patch = writes(ctx.requests()).find((r) => r.method === "PATCH")!;
    expect((patch.body as Row).dueDateTime).toBe("2025-03-11T03:30:00.000Z");
  });

  test("the sandbox keeps a calendar date as written, as Autotask does", async () => {
    const created = await autotask("POST", "ExpenseReports", {
      name: "Zone test",
      submitterID: ctx.store().apiUserResourceId,
      weekEnding: "2025-03-15T23:00:00-08:00",
    });
    expect(get("ExpenseReports", created.itemId)!.weekEnding).toBe("2025-03-15T00:00:00.000Z");
  });
});

describe("3. defaults come from the parent record", () => {
  test("time on a ticket uses the role the resource is assigned under there, not its default role", async () => {
    const roleOf = (id: number) => get("Resources", id)!.defaultServiceDeskRoleID;
    const ticket = all("Tickets").find((t) => t.status !== COMPLETE() && t.assignedResourceID && t.assignedResourceRoleID !== roleOf(t.assignedResourceID))!;
    expect(ticket).toBeDefined();
    await ctx.ok("autotask_create_time_entry", { ticketID: ticket.id, resourceID: ticket.assignedResourceID, dateWorked: "2026-11-20", hoursWorked: 1, summaryNotes: "Checked the logs" });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.body).toMatchObject({ ticketID: ticket.id, resourceID: ticket.assignedResourceID, roleID: ticket.assignedResourceRoleID });
  });

  test("a secondary resource logs time under its secondary role; the work type and contract come from the ticket", async () => {
    // The seed has no open ticket with a secondary resource, a work type and a contract: give one
    // its company's contract and a work type through the API, as a dispatcher would.
    const link = all("TicketSecondaryResources").find((l) => get("Tickets", l.ticketID)!.status !== COMPLETE() && all("Contracts").some((c) => c.companyID === get("Tickets", l.ticketID)!.companyID))!;
    const contract = all("Contracts").find((c) => c.companyID === get("Tickets", link.ticketID)!.companyID)!;
    const workType = all("BillingCodes").find((b) => b.useType === 1 && b.isActive)!;
    const patched = await autotask("PATCH", "Tickets", { id: link.ticketID, billingCodeID: workType.id, contractID: contract.id });
    expect(patched.itemId).toBe(link.ticketID);
    ctx.requests();
    await ctx.ok("autotask_create_time_entry", { ticketID: link.ticketID, resourceID: link.resourceID, dateWorked: "2026-11-20", hoursWorked: 0.5, summaryNotes: "Second pair of eyes" });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.body).toMatchObject({ ticketID: link.ticketID, roleID: link.roleID, billingCodeID: workType.id, contractID: contract.id });
  });

  test("a roleID that contradicts the assignment is refused before sending, with the role that applies", async () => {
    const ticket = all("Tickets").find((t) => t.status !== COMPLETE() && t.assignedResourceID)!;
    const other = all("Roles").find((r) => r.id !== ticket.assignedResourceRoleID)!;
    const text = await ctx.fail("autotask_create_time_entry", {
      ticketID: ticket.id,
      resourceID: ticket.assignedResourceID,
      roleID: other.id,
      dateWorked: "2026-11-20",
      hoursWorked: 1,
      summaryNotes: "x",
    });
    expect(text).toContain(`roleID ${other.id} is not the role`);
    expect(text).toContain(String(ticket.assignedResourceRoleID));
    expect(writes(ctx.requests())).toHaveLength(0);
  });

  test("roleName is accepted as well as roleID", async () => {
    const ticket = all("Tickets").find((t) => t.status !== COMPLETE() && t.assignedResourceID)!;
    const role = get("Roles", ticket.assignedResourceRoleID)!;
    await ctx.ok("autotask_create_time_entry", { ticketID: ticket.id, resourceID: ticket.assignedResourceID, roleName: role.name.toUpperCase(), dateWorked: "2026-11-20", hoursWorked: 1, summaryNotes: "x" });
    expect((writes(ctx.requests()).find((r) => r.method === "POST")!.body as Row).roleID).toBe(role.id);
  });

  test("the sandbox refuses time under a role other than the assignment's, as Autotask does", async () => {
    const ticket = all("Tickets").find((t) => t.status !== COMPLETE() && t.assignedResourceID)!;
    const roles = all("ResourceRoles").filter((r) => r.resourceID === ticket.assignedResourceID).map((r) => r.roleID);
    const wrong = all("Roles").find((r) => !roles.includes(r.id))!;
    const answer = await autotask("POST", "TimeEntries", {
      ticketID: ticket.id,
      resourceID: ticket.assignedResourceID,
      roleID: wrong.id,
      dateWorked: "2026-11-20",
      hoursWorked: 1,
      summaryNotes: "x",
    });
    expect(answer.errors?.[0]).toContain("must be entered under that role");
    const missing = await autotask("POST", "TimeEntries", { ticketID: ticket.id, resourceID: ticket.assignedResourceID, dateWorked: "2026-11-20", hoursWorked: 1, summaryNotes: "x" });
    expect(missing.errors?.[0]).toContain("roleID");
  });
});

describe("4. argument errors say what was received and what is allowed", () => {
  test("a wrong type is never reported as missing", async () => {
    const company = await ctx.fail("autotask_search_tickets", { companyID: "Acme" });
    expect(company).toContain('companyID: must be a number, got text "Acme"');
    const filter = await ctx.fail("autotask_query", { entity: "Tickets", filter: { op: "eq", field: "status", value: 1 } });
    expect(filter).toContain('filter: must be a list (JSON array), got an object {"op":"eq"');
    const ticket = await ctx.fail("autotask_get_ticket_details", { ticketID: "ticket 42" });
    expect(ticket).toContain("ticketID: must be a ticket id (a number) or a ticket number such as T20250103.0009");
    expect(ticket).toContain('"ticket 42"');
    const status = await ctx.fail("autotask_search_tickets", { status: true });
    expect(status).toContain("status: must be a number or text, got boolean true");
    expect(writes(ctx.requests())).toHaveLength(0);
  });

  test("a wrong filter operator lists the 15 valid operators, nested items too", async () => {
    const text = await ctx.fail("autotask_count", { entity: "Tickets", filter: [{ op: "or", items: [{ op: "equals", field: "status", value: 1 }] }] });
    expect(text).toContain("filter.0.items.0.op: must be one of");
    for (const op of ["eq", "noteq", "gt", "gte", "lt", "lte", "beginsWith", "endsWith", "contains", "exist", "notExist", "in", "notIn", "and", "or"]) expect(text).toContain(`"${op}"`);
    expect(text).toContain('got text "equals"');
  });

  test("picklist labels work in every kind of typed tool: search, create, update", async () => {
    const inProgress = ctx.valueOf("Tickets", "status", "In Progress");
    const search = await ctx.ok("autotask_search_tickets", { status: "in progress", pageSize: 5 });
    expect(queryFilters(ctx.requests(), "Tickets").at(-1)).toContainEqual({ op: "eq", field: "status", value: inProgress });
    const inProgressIds = all("Tickets").filter((t) => t.status === inProgress).map((t) => t.id).slice(0, 5);
    expect(inProgressIds).toHaveLength(5);
    expect(search.items.map((t: Row) => t.id)).toEqual(inProgressIds);
    expect(new Set(search.items.map((t: Row) => t.statusLabel))).toEqual(new Set(["In Progress"]));

    const company = all("Companies").find((c) => c.id > 0 && c.isActive)!;
    const created = await ctx.ok("autotask_create_ticket", { companyID: company.id, title: "Printer offline", description: "The printer on floor 2 shows offline", status: "New", priority: "High", queueID: ctx.labelOf("Tickets", "queueID", ctx.defaultOf("Tickets", "queueID")) });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.body).toMatchObject({ status: ctx.valueOf("Tickets", "status", "New"), priority: ctx.valueOf("Tickets", "priority", "High") });

    await ctx.ok("autotask_update_ticket", { ticketId: created.id, status: "In Progress" });
    expect(writes(ctx.requests()).find((r) => r.method === "PATCH")!.body).toMatchObject({ status: inProgress });

    await ctx.ok("autotask_create_ticket_note", { ticketId: created.id, description: "Called the user", publish: "Internal Only" });
    const note = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect((note.body as Row).publish).toBe(ctx.valueOf("TicketNotes", "publish", "Internal Only"));
  });

  test("an unknown label lists close labels and every allowed value, and nothing is sent", async () => {
    const text = await ctx.fail("autotask_update_ticket", { ticketId: all("Tickets")[0]!.id, status: "In Progres" });
    expect(text).toContain('status: "In Progres" is not a status label on this tenant. Did you mean:');
    expect(text).toContain(`${ctx.valueOf("Tickets", "status", "In Progress")} In Progress`);
    expect(text).toContain("Allowed:");
    expect(writes(ctx.requests())).toHaveLength(0);
  });
});

describe("5. people are found by the names people use", () => {
  const names = (result: Row) => result.items.map((row: Row) => `${row.firstName} ${row.lastName}`);

  test("contacts: two first names, an apostrophe of either kind, 'Last, First', hyphens, email", async () => {
    expect(names(await ctx.ok("autotask_search_contacts", { searchTerm: "Mary Ann O'Neil" }))).toEqual(["Mary Ann O’Neil"]);
    expect(names(await ctx.ok("autotask_search_contacts", { searchTerm: "Anders, Emeka" }))).toEqual(["Emeka Anders"]);
    expect(names(await ctx.ok("autotask_search_contacts", { searchTerm: "Jean-Luc Van der Berg" }))).toEqual(["Jean-Luc Van der Berg"]);
    const email = all("Contacts").find((c) => c.lastName === "Anders")!.emailAddress;
    expect(names(await ctx.ok("autotask_search_contacts", { searchTerm: email }))).toEqual(["Emeka Anders"]);
    // every split in one request
    ctx.requests();
    await ctx.ok("autotask_search_contacts", { searchTerm: "Mary Ann O'Neil" });
    expect(ctx.requests().filter((r) => apiPath(r) === "Contacts/query")).toHaveLength(1);
  });

  test("resources: search and the name behind resourceName", async () => {
    expect(names(await ctx.ok("autotask_search_resources", { searchTerm: "Mary Ann O’Neil" }))).toEqual(["Mary Ann O'Neil"]);
    expect(names(await ctx.ok("autotask_search_resources", { searchTerm: "Dubois-Laurent, Anne-Marie" }))).toEqual(["Anne-Marie Dubois-Laurent"]);
    const mary = all("Resources").find((r) => r.lastName === "O'Neil")!;
    await ctx.ok("autotask_create_time_entry", { resourceName: "Mary Ann O'Neil", category: "Internal Admin", dateWorked: "2026-11-20", hoursWorked: 1, summaryNotes: "Budget review" });
    expect((writes(ctx.requests()).find((r) => r.method === "POST")!.body as Row).resourceID).toBe(mary.id);
    await ctx.ok("autotask_create_time_entry", { resourceName: "Anders, Emeka", category: "Training", dateWorked: "2026-11-20", hoursWorked: 1, summaryNotes: "Onboarding" });
    const emeka = all("Resources").find((r) => r.lastName === "Anders")!;
    expect((writes(ctx.requests()).find((r) => r.method === "POST")!.body as Row).resourceID).toBe(emeka.id);
  });
});
