/**
 * The Autotask simulator over real HTTP: zone lookup, auth quirks, the query language, paging, writes
 * with the real API's validation, metadata, limits, faults, tenant isolation and reset.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { callApi, headersFor, type ApiInit, type Json } from "./helpers/sandbox-api.ts";

const BETA: SandboxTenant = {
  username: "api@beta-msp.example",
  secret: "beta-secret",
  integrationCode: "BETA-INTEGRATION-CODE",
  label: "Beta MSP",
};

let sandbox: Sandbox;

/** A call to `${apiUrl}V1.0/${path}` as the default tenant (or another), returning status, body and headers. */
const api = (path: string, init?: ApiInit) => callApi(sandbox, path, init);

const query = (entity: string, body: unknown) => api(`${entity}/query`, { body });
const count = async (entity: string, filter: unknown[]) =>
  (await api(`${entity}/query/count`, { body: { filter } })).body.queryCount as number;
const tickets = () => sandbox.store().all("Tickets");

beforeAll(async () => {
  sandbox = await startSandbox({ tenants: [DEFAULT_SANDBOX_TENANT, BETA] });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.faults.clear());

describe("zone lookup and auth", () => {
  test("zoneInformation answers a known user without credentials and refuses an unknown one", async () => {
    const ok = await fetch(`${sandbox.zoneLookupUrl}?user=${encodeURIComponent(DEFAULT_SANDBOX_TENANT.username.toUpperCase())}`);
    expect(ok.status).toBe(200);
    const zone = (await ok.json()) as Json;
    expect(zone).toMatchObject({ zoneName: "Sandbox", url: sandbox.apiUrl, webUrl: sandbox.url });
    expect(typeof zone.ci).toBe("number");
    const unknown = await fetch(`${sandbox.zoneLookupUrl}?user=nobody@example.com`);
    expect(unknown.status).toBe(500);
    expect(await unknown.json()).toEqual({ errors: ["Zone information could not be determined for user nobody@example.com"] });
    const version = await fetch(`${sandbox.url}atservicesrest/versioninformation`);
    expect(await version.json()).toEqual({ apiVersions: ["1.0"] });
  });

  test("wrong secret is 401, unknown user and wrong integration code are 500, missing headers 401", async () => {
    const base = headersFor(DEFAULT_SANDBOX_TENANT);
    const wrongSecret = await api("Companies/0", { headers: { ...base, Secret: "nope" } });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ errors: ["Unauthorized"] });
    const unknownUser = await api("Companies/0", { headers: { ...base, UserName: "ghost@example.com" } });
    expect(unknownUser.status).toBe(500);
    expect(unknownUser.body.errors[0]).toContain("ghost@example.com");
    const wrongCode = await api("Companies/0", { headers: { ...base, ApiIntegrationCode: BETA.integrationCode } });
    expect(wrongCode.status).toBe(500);
    expect(wrongCode.body.errors[0]).toMatch(/integration code/i);
    const missing = await api("Companies/0", { headers: { "Content-Type": "application/json" } });
    expect(missing.status).toBe(401);
    // Header names and path segments are case-insensitive.
    const lower = await fetch(`${sandbox.url}atservicesrest/v1.0/companies/0`, {
      headers: { apiintegrationcode: base.ApiIntegrationCode, username: base.UserName, secret: base.Secret },
    });
    expect(((await lower.json()) as Json).item.companyName).toBe(DEFAULT_SANDBOX_TENANT.label);
  });

  test("the request log records who called, never the secret", async () => {
    await api("Companies/0");
    const entry = sandbox.requests.at(-1)!;
    expect(entry).toMatchObject({ method: "GET", entity: "Companies", tenant: "Sandbox MSP", hasSecret: true, status: 200 });
    expect(entry.path).toMatch(/\/Companies\/0$/);
    expect(JSON.stringify(sandbox.requests)).not.toContain(DEFAULT_SANDBOX_TENANT.secret);
  });
});

describe("query language", () => {
  test("comparison operators match the store", async () => {
    const all = tickets();
    const open = all.filter((t) => t.status !== 5).length;
    expect(await count("Tickets", [{ op: "noteq", field: "status", value: 5 }])).toBe(open);
    expect(await count("Tickets", [{ op: "eq", field: "STATUS", value: 5 }])).toBe(all.length - open);
    const middle = all[300]!.id as number;
    expect(await count("Tickets", [{ op: "gt", field: "id", value: middle }])).toBe(all.length - 301);
    expect(await count("Tickets", [{ op: "gte", field: "id", value: middle }])).toBe(all.length - 300);
    expect(await count("Tickets", [{ op: "lt", field: "id", value: middle }])).toBe(300);
    expect(await count("Tickets", [{ op: "lte", field: "id", value: String(middle) }])).toBe(301);
  });

  test("dates compare as instants whatever the ISO form", async () => {
    const weekAgo = Date.now() - 7 * 86_400_000;
    const expected = tickets().filter((t) => Date.parse(String(t.createDate)) >= weekAgo).length;
    expect(expected).toBeGreaterThan(0);
    const utc = new Date(weekAgo).toISOString();
    const offset = new Date(weekAgo + 2 * 3_600_000).toISOString().replace("Z", "+02:00");
    expect(await count("Tickets", [{ op: "gte", field: "createDate", value: utc }])).toBe(expected);
    expect(await count("Tickets", [{ op: "gte", field: "createdate", value: offset }])).toBe(expected);
  });

  test("a date-time that does not exist is an error, as in a write, never rolled over to another day", async () => {
    for (const value of ["2025-02-30T10:00:00", "2025-03-01T24:00:00Z", "2025-03-01T10:60:00Z", "2025-03-01T10:00:00+25:00"]) {
      const answer = await api("Tickets/query/count", { body: { filter: [{ op: "gte", field: "createDate", value }] } });
      expect(answer.status, value).toBe(500);
      expect(answer.body.errors[0]).toContain("an ISO 8601 date is expected");
    }
    expect((await api("Tickets/query/count", { body: { filter: [{ op: "gte", field: "createDate", value: "2025-03-01T10:00" }] } })).status).toBe(200);
  });

  test("text operators are case-insensitive", async () => {
    const titles = tickets().map((t) => String(t.title).toLowerCase());
    expect(await count("Tickets", [{ op: "contains", field: "title", value: "VPN" }])).toBe(titles.filter((t) => t.includes("vpn")).length);
    expect(await count("Tickets", [{ op: "beginsWith", field: "title", value: "rmm alert" }])).toBe(
      titles.filter((t) => t.startsWith("rmm alert")).length,
    );
    expect(await count("Tickets", [{ op: "endsWith", field: "title", value: "LAPTOP" }])).toBe(titles.filter((t) => t.endsWith("laptop")).length);
  });

  test("exist, notExist, in, notIn and nested and/or", async () => {
    const all = tickets();
    const unassigned = all.filter((t) => t.assignedResourceID === null).length;
    expect(unassigned).toBeGreaterThan(0);
    expect(await count("Tickets", [{ op: "notExist", field: "assignedResourceID" }])).toBe(unassigned);
    expect(await count("Tickets", [{ op: "exist", field: "assignedResourceID" }])).toBe(all.length - unassigned);
    const urgent = all.filter((t) => t.priority === 1 || t.priority === 4).length;
    expect(await count("Tickets", [{ op: "in", field: "priority", value: [1, 4] }])).toBe(urgent);
    expect(await count("Tickets", [{ op: "notIn", field: "priority", value: [1, 4] }])).toBe(all.length - urgent);
    const nested = all.filter(
      (t) => t.priority === 4 || (String(t.title).toLowerCase().includes("vpn") && t.assignedResourceID === null && t.status !== 5),
    ).length;
    const filter = [
      {
        op: "or",
        items: [
          { op: "eq", field: "priority", value: 4 },
          {
            op: "and",
            items: [
              { op: "contains", field: "title", value: "vpn" },
              { op: "notExist", field: "assignedResourceID" },
              { op: "noteq", field: "status", value: 5 },
            ],
          },
        ],
      },
    ];
    expect(await count("Tickets", filter)).toBe(nested);
  });

  test("udf conditions match user-defined fields by name", async () => {
    const gold = tickets().filter((t) =>
      (t.userDefinedFields as { name: string; value: string | null }[]).some((u) => u.name === "Customer Tier" && u.value === "Gold"),
    ).length;
    expect(gold).toBeGreaterThan(0);
    expect(await count("Tickets", [{ op: "eq", field: "customer tier", value: "gold", udf: true }])).toBe(gold);
    const wrong = await query("Tickets", { filter: [{ op: "eq", field: "Shoe Size", value: 9, udf: true }] });
    expect(wrong.status).toBe(500);
  });

  test("booleans must be literal true/false", async () => {
    const active = sandbox.store().all("Companies").filter((c) => c.isActive === true).length;
    expect(await count("Companies", [{ op: "eq", field: "isActive", value: true }])).toBe(active);
    const bad = await query("Companies", { filter: [{ op: "eq", field: "isActive", value: "true" }] });
    expect(bad.status).toBe(500);
  });

  test("unknown fields and operators are errors, never ignored", async () => {
    const colour = await query("Tickets", { filter: [{ op: "eq", field: "colour", value: "red" }] });
    expect(colour.status).toBe(500);
    expect(colour.body).toEqual({ errors: ["Unable to find colour in the Ticket entity."] });
    for (const op of ["ne", "equals"]) {
      const bad = await query("Tickets", { filter: [{ op, field: "status", value: 5 }] });
      expect(bad.status).toBe(500);
      expect(bad.body).toEqual({ errors: [`Invalid operator: ${op}`] });
    }
    expect((await query("Tickets", { filter: [] })).status).toBe(500);
    expect((await query("Tickets", { MaxRecords: 501, filter: [{ op: "exist", field: "id" }] })).status).toBe(500);
    const tooMany = Array.from({ length: 501 }, (_, i) => ({ op: "eq", field: "id", value: i }));
    const or = await query("Tickets", { filter: [{ op: "or", items: tooMany }] });
    expect(or.status).toBe(500);
    expect(or.body.errors[0]).toContain("500");
  });

  test("IncludeFields trims items; every item otherwise carries every field", async () => {
    const trimmed = await query("Tickets", { Filter: [{ op: "exist", field: "id" }], IncludeFields: ["Title", "status"], MaxRecords: 3 });
    expect(trimmed.body.items).toHaveLength(3);
    expect(Object.keys(trimmed.body.items[0]).sort()).toEqual(["id", "status", "title", "userDefinedFields"]);
    const full = await query("Tickets", { filter: [{ op: "exist", field: "id" }], maxRecords: 1 });
    const item = full.body.items[0];
    expect(item).toHaveProperty("completedDate");
    expect(item.createDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(item.userDefinedFields.map((u: Json) => u.name)).toContain("Customer Tier");
    expect(full.body.pageDetails).toMatchObject({ count: 1, requestCount: 1, prevPageUrl: null });
  });
});

describe("paging", () => {
  test("POSTing the same body to nextPageUrl walks every ticket once, in id order", async () => {
    const expected = tickets().map((t) => t.id as number);
    expect(expected.length).toBeGreaterThan(500);
    const body = { filter: [{ op: "gte", field: "id", value: 0 }], IncludeFields: ["id"] };
    const ids: number[] = [];
    let next: string | null = `${sandbox.apiUrl}V1.0/Tickets/query`;
    let pages = 0;
    while (next) {
      const page = await api(next, { body });
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((item: Json) => item.id));
      expect(page.body.pageDetails.count).toBe(page.body.items.length);
      next = page.body.pageDetails.nextPageUrl;
      if (next) expect(next.startsWith(`${sandbox.apiUrl}V1.0/Tickets/query/next?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(2);
    expect(ids).toEqual(expected);
  });

  test("GET ?search= pages by GETting nextPageUrl, and prevPageUrl leads back", async () => {
    const search = encodeURIComponent(JSON.stringify({ filter: [{ op: "exist", field: "id" }], MaxRecords: 200 }));
    const first = await api(`Tickets/query?search=${search}`);
    expect(first.body.items).toHaveLength(200);
    const second = await api(first.body.pageDetails.nextPageUrl);
    expect(second.body.items[0].id).toBeGreaterThan(first.body.items[199].id);
    const back = await api(second.body.pageDetails.prevPageUrl);
    expect(back.body.items.map((i: Json) => i.id)).toEqual(first.body.items.map((i: Json) => i.id));
  });

  test("count and get", async () => {
    const first = tickets()[0]!;
    expect(await count("Tickets", [{ op: "exist", field: "id" }])).toBe(tickets().length);
    const got = await api(`Tickets/${first.id}`);
    expect(got.body.item.ticketNumber).toBe(first.ticketNumber);
    expect((await api("Tickets/999999999")).body).toEqual({ item: null });
  });
});

describe("writes", () => {
  const aTicket = () => tickets().find((t) => t.status !== 5 && t.companyID !== 0)!;

  test("children are created through the parent URL only", async () => {
    const ticket = aTicket();
    const created = await api(`Tickets/${ticket.id}/Notes`, {
      body: { title: "Called user", description: "Rebuilt the OST file.", noteType: 1, publish: 2 },
    });
    expect(created.status).toBe(200);
    const noteId = created.body.itemId as number;
    const stored = sandbox.store().get("TicketNotes", noteId)!;
    expect(stored).toMatchObject({ ticketID: ticket.id, publish: 2, creatorResourceID: sandbox.store().apiUserResourceId });
    const list = await api(`Tickets/${ticket.id}/Notes`);
    expect(list.body.items.map((n: Json) => n.id)).toContain(noteId);
    expect((await api(`Tickets/${ticket.id}/Notes/${noteId}`)).body.item.title).toBe("Called user");
    const refused = await api("TicketNotes", { body: { ticketID: ticket.id, title: "x", description: "y", noteType: 1, publish: 1 } });
    expect(refused.status).toBe(405);
    expect(refused.body.errors[0]).toContain("Tickets/{parentId}/Notes");
    const orphan = await api("Tickets/999999999/Notes", { body: { title: "x", description: "y", noteType: 1, publish: 1 } });
    expect(orphan.status).toBe(500);
    expect(orphan.body.errors[0]).toContain("does not exist or access is denied");
  });

  test("impersonation attributes the change to the impersonated resource", async () => {
    const tech = sandbox.store().all("Resources").find((r) => r.isActive && r.id !== sandbox.store().apiUserResourceId)!;
    const headers = headersFor(DEFAULT_SANDBOX_TENANT, { ImpersonationResourceId: String(tech.id) });
    const created = await api(`Tickets/${aTicket().id}/Notes`, { headers, body: { title: "t", description: "d", noteType: 1, publish: 2 } });
    const note = sandbox.store().get("TicketNotes", created.body.itemId)!;
    expect(note.creatorResourceID).toBe(tech.id);
    expect(note.impersonatorCreatorResourceID).toBe(sandbox.store().apiUserResourceId);
  });

  test("create validates required fields, picklists, references and business rules", async () => {
    const ok = { companyID: 0, title: "Email not syncing", status: 1, priority: 2 };
    const missing = await api("Tickets", { body: { companyID: 0, status: 1, priority: 2 } });
    expect(missing.status).toBe(500);
    expect(missing.body.errors).toContain("Missing Required Field: title");
    const badStatus = await api("Tickets", { body: { ...ok, status: 99 } });
    expect(badStatus.body).toEqual({ errors: ["Value 99 is not a valid value for status"] });
    for (const dueDateTime of ["2025-02-30T10:00:00", "2025-03-01T24:00:00Z"]) {
      const badDate = await api("Tickets", { body: { ...ok, dueDateTime } });
      expect(badDate.status, dueDateTime).toBe(500);
      expect(badDate.body.errors[0]).toContain("dueDateTime");
    }
    const badCompany = await api("Tickets", { body: { ...ok, companyID: 99999 } });
    expect(badCompany.body.errors[0]).toContain("does not exist");
    const resource = sandbox.store().all("ResourceRoles")[1]!;
    const noRole = await api("Tickets", { body: { ...ok, assignedResourceID: resource.resourceID } });
    expect(noRole.status).toBe(500);
    expect(noRole.body.errors[0]).toContain("assignedResourceRoleID");
    const project = sandbox.store().all("Projects")[0]!;
    const noTaskType = await api(`Projects/${project.id}/Tasks`, { body: { title: "Plan", status: 1 } });
    expect(noTaskType.body.errors).toContain("Missing Required Field: taskType");

    const created = await api("Tickets", {
      body: { ...ok, assignedResourceID: resource.resourceID, assignedResourceRoleID: resource.roleID, id: 1, ticketNumber: "mine" },
    });
    expect(created.status).toBe(200);
    const ticket = sandbox.store().get("Tickets", created.body.itemId)!;
    expect(ticket.id).toBeGreaterThan(tickets().at(-2)!.id as number);
    expect(String(ticket.ticketNumber)).toMatch(/^T\d{8}\.\d{4}$/);
    expect(ticket.createDate).not.toBeNull();
    expect(ticket.creatorResourceID).toBe(sandbox.store().apiUserResourceId);
  });

  test("PATCH changes only what it names; PUT clears writable fields left out", async () => {
    const ticket = aTicket();
    const patched = await api("Tickets", { method: "PATCH", body: { id: ticket.id, title: "Patched title" } });
    expect(patched.body).toEqual({ itemId: ticket.id });
    const afterPatch = sandbox.store().get("Tickets", ticket.id as number)!;
    expect(afterPatch).toMatchObject({ title: "Patched title", description: ticket.description, status: ticket.status });

    const put = await api("Tickets", { method: "PUT", body: { id: ticket.id, companyID: ticket.companyID, title: "Put", status: 8, priority: 3 } });
    expect(put.status).toBe(200);
    const afterPut = sandbox.store().get("Tickets", ticket.id as number)!;
    expect(afterPut).toMatchObject({ title: "Put", status: 8, priority: 3, description: null, queueID: null });
    expect(afterPut.ticketNumber).toBe(ticket.ticketNumber);

    const unknown = await api("Tickets", { method: "PATCH", body: { id: 987654321, title: "x" } });
    expect(unknown.status).toBe(500);
    expect(unknown.body.errors[0]).toContain("does not exist or access is denied");
    const noUpdate = await api("BillingCodes", { method: "PATCH", body: { id: 1, name: "x" } });
    expect(noUpdate.status).toBe(405);
  });

  test("delete where the table allows it, refused where it does not", async () => {
    const entry = sandbox.store().all("TimeEntries")[0]!;
    expect((await api(`TimeEntries/${entry.id}`, { method: "DELETE" })).body).toEqual({ itemId: entry.id });
    expect(sandbox.store().get("TimeEntries", entry.id as number)).toBeUndefined();
    expect((await api(`TimeEntries/${entry.id}`, { method: "DELETE" })).status).toBe(500);
    const ticket = tickets()[0]!;
    const refused = await api(`Tickets/${ticket.id}`, { method: "DELETE" });
    expect(refused.status).toBe(405);
    expect(refused.body.errors.length).toBeGreaterThan(0);
    const item = sandbox.store().all("TicketChecklistItems")[0]!;
    expect((await api(`TicketChecklistItems/${item.id}`, { method: "DELETE" })).status).toBe(405);
    const removed = await api(`Tickets/${item.ticketID}/ChecklistItems/${item.id}`, { method: "DELETE" });
    expect(removed.body).toEqual({ itemId: item.id });
  });
});

describe("metadata", () => {
  test("entityInformation and fields come from the entity table and the tenant's picklists", async () => {
    const info = await api("Tickets/entityInformation");
    expect(info.body.info).toMatchObject({ name: "Ticket", canCreate: true, canDelete: false, canQuery: true, hasUserDefinedFields: true });
    const { fields } = (await api("Tickets/entityInformation/fields")).body as { fields: Json[] };
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get("companyID")).toMatchObject({ isReference: true, referenceEntityType: "Company", isRequired: true });
    const status = byName.get("status")!;
    expect(status.isPickList).toBe(true);
    expect(status.picklistValues).toContainEqual(expect.objectContaining({ value: "1", label: "New", isActive: true }));
    expect(byName.get("subIssueType")).toMatchObject({ picklistParentValueField: "issueType" });
    expect(byName.get("subIssueType")!.picklistValues[0].parentValue).not.toBe("");
    expect(byName.get("ticketNumber")).toMatchObject({ isReadOnly: true });
    expect(byName.has("userDefinedFields")).toBe(false);
    const publish = (await api("Tickets/1/Notes/entityInformation/fields")).body.fields.find((f: Json) => f.name === "publish");
    expect(publish.picklistValues.map((v: Json) => [v.value, v.label])).toEqual([
      ["1", "All Autotask Users"],
      ["2", "Internal Only"],
      ["4", "Internal & Co-Managed"],
    ]);
    const udfs = (await api("Companies/entityInformation/userDefinedFields")).body.fields;
    expect(udfs.map((u: Json) => u.name)).toContain("Customer Tier");
  });
});

describe("limits", () => {
  test("over the hourly threshold: 429 with Retry-After; ThresholdInformation reports the count", async () => {
    const small = await startSandbox({ requestThreshold: 3 });
    try {
      const call = () => fetch(`${small.apiUrl}V1.0/ThresholdInformation`, { headers: headersFor(DEFAULT_SANDBOX_TENANT) });
      const first = (await (await call()).json()) as Json;
      expect(first).toEqual({ externalRequestThreshold: 3, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 1 });
      await call();
      await call();
      const over = await call();
      expect(over.status).toBe(429);
      expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(((await over.json()) as Json).errors[0]).toContain("threshold");
    } finally {
      await small.stop();
    }
  });

  test("more than 3 concurrent calls to one endpoint: the extra ones get 429, and maxInFlight shows the overrun", async () => {
    sandbox.faults.inject({ path: "/Tickets/query", delayMs: 300 });
    const body = { filter: [{ op: "eq", field: "id", value: 1 }] };
    const statuses = await Promise.all(Array.from({ length: 6 }, async () => (await query("Tickets", body)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    expect(sandbox.maxInFlight()).toBeGreaterThan(3);
    const rejected = sandbox.requests.findLast((r) => r.status === 429)!;
    expect(rejected.entity).toBe("Tickets");
  });
});

describe("faults", () => {
  test("faults answer in injection order and are used up by `times`", async () => {
    sandbox.faults.inject({ path: /companies\/\d+$/, status: 503, times: 2 });
    sandbox.faults.inject({ method: "GET", path: "/companies/", status: 200, body: { item: { id: -1 } }, times: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api("Companies/0")).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
    expect((await api("Companies/0")).body.item.companyName).toBe(DEFAULT_SANDBOX_TENANT.label);
  });

  test("a network error fault drops the connection", async () => {
    sandbox.faults.inject({ path: "/Companies/0", networkError: true, times: 1 });
    await expect(api("Companies/0")).rejects.toThrow();
    expect(sandbox.requests.at(-1)).toMatchObject({ path: "/ATServicesRest/V1.0/Companies/0", status: 0 });
    expect((await api("Companies/0")).status).toBe(200);
  });

  test("admin endpoints drive the sandbox from another process", async () => {
    const admin = (path: string, method: string, body?: unknown) =>
      fetch(`${sandbox.url}_sandbox/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    await admin("faults", "POST", { path: { regex: "contacts/query$" }, status: 502, times: 1 });
    expect((await query("Contacts", { filter: [{ op: "exist", field: "id" }] })).status).toBe(502);
    expect((await query("Contacts", { filter: [{ op: "exist", field: "id" }] })).status).toBe(200);
    const log = (await (await admin("requests", "GET")).json()) as Json[];
    expect(log.at(-1)).toMatchObject({ method: "POST", entity: "Contacts", status: 200 });
    await admin("requests", "DELETE");
    expect(sandbox.requests).toHaveLength(0);
  });

  test("the handler works in-process without the network", async () => {
    const response = await sandbox.fetch(
      new Request("http://sandbox.invalid/ATServicesRest/V1.0/Companies/0", { headers: headersFor(DEFAULT_SANDBOX_TENANT) }),
    );
    expect(((await response.json()) as Json).item.id).toBe(0);
  });
});

describe("tenants", () => {
  test("each tenant is its own database with its own picklists", async () => {
    const beta = await api("Companies/0", { tenant: BETA });
    expect(beta.body.item.companyName).toBe("Beta MSP");
    const created = await api("Companies", {
      body: { companyName: "Only In Alpha", companyType: 1, phone: "555-0100", ownerResourceID: sandbox.store().apiUserResourceId },
    });
    expect(created.status).toBe(200);
    const inBeta = await api("Companies/query/count", { tenant: BETA, body: { filter: [{ op: "eq", field: "companyName", value: "Only In Alpha" }] } });
    expect(inBeta.body.queryCount).toBe(0);
    expect(sandbox.store("Beta MSP").get("Companies", created.body.itemId)?.companyName ?? null).not.toBe("Only In Alpha");
    // A new company gets its site configuration, which the API cannot create.
    const sites = await api(`Companies/${created.body.itemId}/SiteConfigurations`);
    expect(sites.body.items).toHaveLength(1);
    const values = (store: string) => sandbox.store(store).picklist("Tickets", "status").map((v) => v.value);
    expect(values("Beta MSP").length).toBeGreaterThan(values("Sandbox MSP").length);
  });

  test("reset re-seeds the data and clears the log and faults", async () => {
    await api("Companies", { body: { companyName: "Temporary", companyType: 1, phone: "555-0101", ownerResourceID: sandbox.store().apiUserResourceId } });
    sandbox.faults.inject({ path: "/Companies/0", status: 500 });
    sandbox.reset();
    expect(sandbox.requests).toHaveLength(0);
    expect(sandbox.store().all("Companies").some((c) => c.companyName === "Temporary")).toBe(false);
    expect((await api("Companies/0")).status).toBe(200);
  });
});
