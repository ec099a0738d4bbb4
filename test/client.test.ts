/**
 * The Autotask client against the sandbox over real HTTP: zone discovery, URLs from the entity
 * table, paging, retries, the 3-in-flight cap, and every error mapping.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { AutotaskClient, type Row } from "../src/autotask/client.ts";
import { AutotaskError } from "../src/autotask/errors.ts";
import { f } from "../src/autotask/filter.ts";
import { normalizeApiUrl, ZoneResolver } from "../src/autotask/zone.ts";
import type { Coordinator } from "../src/coord/coordinator.ts";
import { MemoryCoordinator } from "../src/coord/memory.ts";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";

let sandbox: Sandbox;
let zones: ZoneResolver;

const client = (overrides: Partial<typeof DEFAULT_SANDBOX_TENANT> & { apiUrl?: string } = {}, options: { maxRetries?: number; timeoutMs?: number; coordinator?: Coordinator } = {}) =>
  new AutotaskClient({
    credentials: { ...DEFAULT_SANDBOX_TENANT, ...overrides },
    credentialKey: `${overrides.secret ?? DEFAULT_SANDBOX_TENANT.secret}`,
    zones,
    allowedHosts: [new URL(sandbox.url).host],
    coordinator: options.coordinator ?? new MemoryCoordinator(),
    retryBaseMs: 5,
    maxRetries: options.maxRetries ?? 3,
    timeoutMs: options.timeoutMs ?? 10_000,
  });

const failure = async (promise: Promise<unknown>): Promise<AutotaskError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AutotaskError);
    return error as AutotaskError;
  }
  throw new Error("expected an AutotaskError");
};

beforeAll(async () => {
  sandbox = await startSandbox();
  zones = new ZoneResolver(sandbox.zoneLookupUrl);
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.requests.length = 0;
});

describe("zone and URLs", () => {
  test("normalizes every URL form users paste", () => {
    for (const input of [
      "https://webservices14.autotask.net/ATServicesRest/",
      "https://webservices14.autotask.net/ATServicesRest",
      "https://webservices14.autotask.net/ATServicesRest/V1.0",
      "https://webservices14.autotask.net/atservicesrest/v1.0/",
      "https://webservices14.autotask.net",
    ]) {
      expect(normalizeApiUrl(input)).toMatch(/^https:\/\/webservices14\.autotask\.net\/(ATServicesRest|atservicesrest)\/V1\.0\/$/);
    }
  });

  test("discovers the zone once per user and reuses it", async () => {
    const resolver = new ZoneResolver(sandbox.zoneLookupUrl);
    const [a, b] = await Promise.all([resolver.resolve(DEFAULT_SANDBOX_TENANT.username), resolver.resolve(DEFAULT_SANDBOX_TENANT.username.toUpperCase())]);
    expect(a.apiUrl).toBe(`${sandbox.apiUrl}V1.0/`);
    expect(b).toEqual(a);
    expect(sandbox.requests.filter((r) => /zoneInformation/i.test(r.path))).toHaveLength(1);
  });

  test("an unknown user fails zone discovery with a clear error", async () => {
    const error = await failure(client({ username: "nobody@example.com" }).count("Tickets", []));
    expect(error.kind).toBe("unknown-user");
    expect(error.message).toContain("nobody@example.com");
  });

  test("AUTOTASK_API_URL skips discovery", async () => {
    const direct = client({ apiUrl: sandbox.apiUrl.replace(/\/$/, "") });
    expect(await direct.count("Companies", [])).toBeGreaterThan(0);
    expect(sandbox.requests.some((r) => /zoneInformation/i.test(r.path))).toBe(false);
  });

  test("children are written through the parent URL, queried at their root", async () => {
    const c = client();
    const [ticket] = (await c.query<Row>("Tickets", { filter: [f.all()], maxRecords: 1 })).items;
    const noteId = await c.create("TicketNotes", { title: "From test", description: "Body", noteType: 1, publish: 2 }, ticket!.id);
    expect(noteId).toBeGreaterThan(0);
    const create = sandbox.requests.find((r) => r.method === "POST" && /\/Notes$/i.test(r.path))!;
    expect(create.path).toMatch(new RegExp(`/V1\\.0/Tickets/${ticket!.id}/Notes$`, "i"));
    expect(create.body).toMatchObject({ ticketID: ticket!.id, title: "From test" });
    await c.update("TicketNotes", { id: noteId, title: "Renamed" });
    const patch = sandbox.requests.find((r) => r.method === "PATCH")!;
    expect(patch.path).toMatch(new RegExp(`/Tickets/${ticket!.id}/Notes$`, "i"));
    expect(patch.body).toEqual({ id: noteId, title: "Renamed" });
  });
});

describe("paging", () => {
  test("queryAll follows nextPageUrl past 500 rows and returns every ticket once, in order", async () => {
    const c = client();
    const total = await c.count("Tickets", []);
    expect(total).toBeGreaterThan(500);
    const { items, truncated } = await c.queryAll<Row>("Tickets", { filter: [f.all()], includeFields: ["id"] });
    expect(truncated).toBe(false);
    expect(items).toHaveLength(total);
    const ids = items.map((row) => row.id);
    expect(new Set(ids).size).toBe(total);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const posts = sandbox.requests.filter((r) => r.method === "POST" && /Tickets\/query/i.test(r.path));
    expect(posts.some((r) => /query\/next/i.test(r.path))).toBe(true);
  });

  test("queryAll stops at its cap and says so, asking Autotask for no more rows than that (and one to know)", async () => {
    const before = sandbox.requests.length;
    const { items, truncated } = await client().queryAll<Row>("Tickets", { filter: [f.all()], includeFields: ["id"] }, 120);
    expect(items).toHaveLength(120);
    expect(truncated).toBe(true);
    const sent = sandbox.requests.slice(before).filter((r) => /Tickets\/query/i.test(r.path));
    expect(sent.map((r) => (r.body as Row).MaxRecords)).toEqual([121]);
    const total = await client().count("Tickets", []);
    const all = await client().queryAll<Row>("Tickets", { filter: [f.all()], includeFields: ["id"] }, total);
    expect([all.items.length, all.truncated]).toEqual([total, false]);
  });

  test("queryRange reads one row ahead to know whether more exist", async () => {
    const c = client();
    const page1 = await c.queryRange<Row>("Tickets", { filter: [f.all()], includeFields: ["id"] }, 0, 25);
    expect(page1.items).toHaveLength(25);
    expect(page1.hasMore).toBe(true);
    expect(sandbox.requests.at(-1)!.body).toMatchObject({ MaxRecords: 26 });
    const total = await c.count("Tickets", []);
    const last = await c.queryRange<Row>("Tickets", { filter: [f.all()], includeFields: ["id"] }, total - 10, 25);
    expect(last.items).toHaveLength(10);
    expect(last.hasMore).toBe(false);
  });
});

describe("resilience", () => {
  test("reads are retried on 502/503/504 and 429 until they succeed", async () => {
    sandbox.faults.inject({ path: "/Companies/query", status: 503, body: { errors: ["Service Unavailable"] }, times: 1 });
    sandbox.faults.inject({ path: "/Companies/query", status: 429, body: { errors: ["slow down"] }, headers: { "Retry-After": "0" }, times: 1 });
    sandbox.faults.inject({ path: "/Companies/query", status: 502, times: 1 });
    const page = await client().query<Row>("Companies", { filter: [f.all()], maxRecords: 5 });
    expect(page.items).toHaveLength(5);
    expect(sandbox.requests.filter((r) => /Companies\/query/i.test(r.path)).map((r) => r.status)).toEqual([503, 429, 502, 200]);
  });

  test("a read gives up after maxRetries with the upstream's words", async () => {
    sandbox.faults.inject({ path: "/Companies/query", status: 503, body: { errors: ["Maintenance window"] } });
    const error = await failure(client({}, { maxRetries: 2 }).query("Companies", { filter: [f.all()] }));
    expect(error.kind).toBe("unavailable");
    expect(error.message).toContain("Maintenance window");
    expect(sandbox.requests.filter((r) => /Companies\/query/i.test(r.path))).toHaveLength(3);
  });

  test("network errors on reads are retried", async () => {
    sandbox.faults.inject({ path: "/Companies/query", networkError: true, times: 2 });
    const page = await client().query<Row>("Companies", { filter: [f.all()], maxRecords: 1 });
    expect(page.items).toHaveLength(1);
  });

  test("a create is never sent twice, even when the upstream fails", async () => {
    sandbox.faults.inject({ method: "POST", path: "/Companies/0/Notes", status: 503, times: 1 });
    const error = await failure(client().create("CompanyNotes", { name: "x", note: "y", actionType: 1 }, 0));
    expect(error.kind).toBe("unavailable");
    expect(sandbox.requests.filter((r) => r.method === "POST" && /Companies\/0\/Notes/i.test(r.path))).toHaveLength(1);
  });

  test("at most 3 requests are in flight per endpoint; the rest queue instead of failing", async () => {
    sandbox.faults.inject({ path: "/Companies/", delayMs: 80 });
    const c = client();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => c.get("Companies", i)));
    expect(results).toHaveLength(12);
    expect(sandbox.maxInFlightPerEndpoint()).toBe(3);
    expect(sandbox.requests.filter((r) => r.status === 429)).toHaveLength(0);
  });

  test("a create that times out is reported as possibly done, not repeated", async () => {
    sandbox.faults.inject({ method: "POST", path: "/Tickets", delayMs: 600, times: 1 });
    const error = await failure(client({}, { timeoutMs: 200 }).create("Tickets", { companyID: 0, title: "slow", status: 1, priority: 2 }));
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("may have reached Autotask");
    await Bun.sleep(700); // let the slow request finish on the sandbox's side, then count
    expect(sandbox.requests.filter((r) => r.method === "POST" && /\/Tickets$/i.test(r.path))).toHaveLength(1);
  });
});

describe("errors carry Autotask's own words", () => {
  test("wrong secret -> unauthorized (401), and those credentials pause instead of hammering", async () => {
    const coordinator = new MemoryCoordinator();
    const c = client({ secret: "wrong-secret" }, { coordinator });
    const error = await failure(c.count("Tickets", []));
    expect(error.kind).toBe("unauthorized");
    expect(error.status).toBe(401);
    const before = sandbox.requests.length;
    const again = await failure(c.count("Tickets", []));
    expect(again.kind).toBe("unauthorized");
    expect(sandbox.requests.length).toBe(before);
    // Someone sending a wrong secret cannot pause the tenant for callers with the right one.
    expect(await client({}, { coordinator }).count("Tickets", [])).toBeGreaterThan(0);
  });

  test("wrong integration code -> invalid-integration-code", async () => {
    const error = await failure(client({ integrationCode: "NOT-THE-CODE" }).count("Tickets", []));
    expect(error.kind).toBe("invalid-integration-code");
    expect(error.status).toBe(500);
  });

  test("unknown field, bad picklist value and missing required field keep Autotask's message", async () => {
    const c = client();
    const unknownField = await failure(c.query("Tickets", { filter: [f.eq("colour", "red")] }));
    expect(unknownField.kind).toBe("validation");
    expect(unknownField.errors.join(" ")).toContain("colour");
    const missing = await failure(c.create("Tickets", { companyID: 0, status: 1, priority: 2 }));
    expect(missing.message).toContain("title");
    const badValue = await failure(c.create("Tickets", { companyID: 0, title: "x", status: 99, priority: 2 }));
    expect(badValue.message).toContain("99");
  });

  test("unknown id: get returns null, update is not-found", async () => {
    const c = client();
    expect(await c.get("Tickets", 987654321)).toBeNull();
    const error = await failure(c.update("Tickets", { id: 987654321, title: "x" }));
    expect(error.kind).toBe("not-found");
  });

  test("429 on a write is returned with retryAfterSeconds, not waited out", async () => {
    sandbox.faults.inject({ method: "PATCH", path: "/Tickets", status: 429, headers: { "Retry-After": "42" }, body: { errors: ["threshold exceeded"] } });
    const c = client();
    const error = await failure(c.update("Tickets", { id: 1, title: "x" }));
    expect(error.kind).toBe("rate-limited");
    expect(error.retryAfterSeconds).toBe(42);
    // The tenant now cools down: the next read fails fast with the remaining wait.
    const next = await failure(c.count("Tickets", []));
    expect(next.kind).toBe("rate-limited");
    expect(next.retryAfterSeconds).toBeGreaterThan(30);
  });

  test("operations the entity table does not allow never leave the process", async () => {
    const error = await failure(client().create("Invoices", { companyID: 0 }));
    expect(error.kind).toBe("unsupported");
    expect(sandbox.requests).toHaveLength(0);
  });
});
