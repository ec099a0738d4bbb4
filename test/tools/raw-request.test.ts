/**
 * autotask_raw_request over stdio against the sandbox: only routes of the entity table reach
 * Autotask, with the same gate and answer checks as every call; DELETE needs confirm; in read-only
 * mode only reads are sent unless the write allowlist names the tool.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { RequestLogEntry } from "../../src/sandbox/index.ts";
import { apiPath, sandboxSession, textOf, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession({ sandbox: { latencyMs: 20 } });

const raw = (args: Record<string, unknown>) => ctx.ok("autotask_raw_request", args);
/** "METHOD path" of what reached the sandbox's REST API (the zone lookup left out). */
const sent = (requests: RequestLogEntry[]) => requests.map((r) => `${r.method} ${apiPath(r)}`).filter((line) => line !== "GET zoneInformation");

describe("reads", () => {
  test("GET an item: the answer as Autotask gave it, the path in the table's spelling, marked as outsiders' text", async () => {
    const ticket = ctx.store().all("Tickets")[0]!;
    const result = await ctx.session.call("autotask_raw_request", { method: "GET", path: `/v1.0/tickets/${ticket.id}` });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as Row;
    expect(structured).toMatchObject({ method: "GET", path: `Tickets/${ticket.id}` });
    expect(structured.result.item).toMatchObject({ id: ticket.id, title: ticket.title });
    expect(textOf(result)).toContain("<autotask-data>");
    expect(sent(ctx.requests())).toEqual([`GET Tickets/${ticket.id}`]);
  });

  test("POST …/query and GET …/query?search=, count, entityInformation and children through their parent", async () => {
    const company = ctx.store().all("Companies")[0]!;
    const filter = { filter: [{ op: "eq", field: "companyID", value: company.id }] };
    const posted = await raw({ method: "POST", path: "ATServicesRest/V1.0/Tickets/query", body: filter });
    const expected = ctx.store().all("Tickets").filter((t) => t.companyID === company.id).map((t) => t.id);
    expect(posted.result.items.map((t: Row) => t.id)).toEqual(expected.slice(0, 500));
    const got = await raw({ method: "GET", path: "Tickets/query", queryParams: { search: JSON.stringify(filter) } });
    expect(got.result.items.map((t: Row) => t.id)).toEqual(posted.result.items.map((t: Row) => t.id));
    const counted = await raw({ method: "POST", path: "Tickets/query/count", body: filter });
    expect(counted.result.queryCount).toBe(expected.length);
    const fields = await raw({ method: "GET", path: "Tickets/entityInformation/fields" });
    expect(fields.result.fields.some((f: Row) => f.name === "status")).toBe(true);
    const ticketId = ctx.store().all("TicketNotes")[0]!.ticketID as number;
    const notes = await raw({ method: "GET", path: `Tickets/${ticketId}/Notes` });
    expect(notes.result.items.map((n: Row) => n.id)).toEqual(ctx.store().all("TicketNotes").filter((n) => n.ticketID === ticketId).map((n) => n.id));
    expect(sent(ctx.requests())).toEqual(["POST Tickets/query", "GET Tickets/query", "POST Tickets/query/count", "GET Tickets/entityInformation/fields", `GET Tickets/${ticketId}/Notes`]);
  });

  test("the same thread limit as every call: 8 at once never put more than 3 in flight on one endpoint", async () => {
    const ids = ctx.store().all("Companies").slice(0, 8).map((c) => c.id as number);
    const results = await Promise.all(ids.map((id) => ctx.session.call("autotask_raw_request", { method: "GET", path: `Companies/${id}` })));
    expect(results.every((r) => !r.isError)).toBe(true);
    expect(ctx.sandbox.maxInFlightPerEndpoint()).toBeLessThanOrEqual(3);
    expect(ctx.requests().filter((r) => r.status === 429)).toEqual([]);
  });

  test("an answer that is not Autotask's shape is an error, never data", async () => {
    const ticket = ctx.store().all("Tickets")[1]!;
    ctx.sandbox.faults.inject({ method: "GET", path: `/Tickets/${ticket.id}`, status: 200, body: { items: "not an item" }, times: 1 });
    const text = await ctx.fail("autotask_raw_request", { method: "GET", path: `Tickets/${ticket.id}` });
    expect(text).toContain("unexpected body");
  });
});

describe("only routes of the entity table", () => {
  const refused: Array<[string, string, RegExp]> = [
    ["GET", "../zoneInformation", /letters, digits and "\/" only/],
    ["GET", "Tickets/../../x", /letters, digits and "\/" only/],
    ["GET", "https://evil.example/ATServicesRest/V1.0/Tickets/1", /no host/],
    ["GET", "//evil.example/Tickets/1", /no host/],
    ["GET", "Tickets/1?search=x", /queryParams/],
    ["GET", "Tickets%2F1", /"%"/],
    ["GET", "zoneInformation", /not a route of the entity table.*Entities: Companies/],
    ["GET", "ThresholdInformation", /not a route of the entity table/],
    ["GET", "Tickets/1/Secrets", /not a route of the entity table/],
    ["POST", "TicketNotes", /TicketNotes are written through Tickets\/\{parentId\}\/Notes/],
    ["PATCH", "Tickets/1", /update with PATCH Tickets \(the id in the body\)/],
    ["DELETE", "Tickets/1", /Autotask does not allow delete on Tickets/],
    ["PUT", "Tickets/query", /queries use POST/],
    ["GET", "Tickets", /read with Tickets\/query or Tickets\/\{id\}/],
  ];
  for (const [method, path, message] of refused) {
    test(`${method} ${path}: refused, nothing sent`, async () => {
      const text = await ctx.fail("autotask_raw_request", { method, path, confirm: true, body: method === "GET" ? undefined : {} });
      expect(text).toMatch(message);
      expect(ctx.requests()).toEqual([]);
    });
  }

  test("a body on GET or DELETE, and an unknown method, are refused", async () => {
    expect(await ctx.fail("autotask_raw_request", { method: "GET", path: "Tickets/1", body: { x: 1 } })).toContain("GET takes no body");
    expect(await ctx.fail("autotask_raw_request", { method: "TRACE", path: "Tickets/1" })).toContain('method: must be one of "GET", "POST", "PATCH", "PUT", "DELETE"');
    expect(ctx.requests()).toEqual([]);
  });
});

describe("writes", () => {
  test("create through the parent's URL and update: sent once, as given", async () => {
    const ticket = ctx.store().all("Tickets")[2]!;
    const internal = ctx.store().picklist("TicketNotes", "publish").find((v) => v.label === "Internal Only")!;
    const noteType = ctx.defaultOf("TicketNotes", "noteType");
    const body = { ticketID: ticket.id, title: "Raw", description: "Created raw", noteType, publish: Number(internal.value) };
    const created = await raw({ method: "POST", path: `Tickets/${ticket.id}/Notes`, body });
    const id = created.result.itemId as number;
    expect(ctx.store().get("TicketNotes", id)).toMatchObject({ ticketID: ticket.id, description: "Created raw" });
    await raw({ method: "PATCH", path: "Tickets", body: { id: ticket.id, title: "Renamed raw" } });
    expect(ctx.store().get("Tickets", ticket.id as number)!.title).toBe("Renamed raw");
    expect(writes(ctx.requests()).map((r) => [r.method, apiPath(r), r.body])).toEqual([
      ["POST", `Tickets/${ticket.id}/Notes`, body],
      ["PATCH", "Tickets", { id: ticket.id, title: "Renamed raw" }],
    ]);
  });

  test("DELETE needs confirm: true; without it nothing is sent", async () => {
    const entry = ctx.store().all("TimeEntries")[0]!;
    const text = await ctx.fail("autotask_raw_request", { method: "DELETE", path: `TimeEntries/${entry.id}` });
    expect(text).toContain("confirm: true");
    expect(ctx.requests()).toEqual([]);
    expect(ctx.store().get("TimeEntries", entry.id as number)).toBeDefined();
    await raw({ method: "DELETE", path: `TimeEntries/${entry.id}`, confirm: true });
    expect(ctx.store().get("TimeEntries", entry.id as number)).toBeUndefined();
  });
});

describe("read-only mode", () => {
  let readOnly: Awaited<ReturnType<typeof sandboxSession>>;
  let allowlisted: Awaited<ReturnType<typeof sandboxSession>>;
  beforeAll(async () => {
    [readOnly, allowlisted] = await Promise.all([
      sandboxSession({ env: { AUTOTASK_READ_ONLY: "true" } }),
      sandboxSession({ env: { AUTOTASK_READ_ONLY: "true", AUTOTASK_WRITE_ALLOWLIST: "autotask_raw_request" } }),
    ]);
  });
  afterAll(() => Promise.all([readOnly.close(), allowlisted.close()]));

  test("listed as a read tool; reads are sent, writes refused before anything leaves", async () => {
    const listed = (await readOnly.session.client.listTools()).tools.find((tool) => tool.name === "autotask_raw_request")!;
    expect(listed.annotations?.readOnlyHint).toBe(true);
    const ticket = readOnly.sandbox.store().all("Tickets")[0]!;
    readOnly.requests();
    await readOnly.session.ok("autotask_raw_request", { method: "GET", path: `Tickets/${ticket.id}` });
    await readOnly.session.ok("autotask_raw_request", { method: "POST", path: "Tickets/query/count", body: { filter: [{ op: "exist", field: "id" }] } });
    for (const [method, path, body] of [["PATCH", "Tickets", { id: ticket.id, title: "x" }], ["POST", `Tickets/${ticket.id}/Notes`, { description: "x" }], ["DELETE", `TimeEntries/1`, undefined]] as const) {
      const text = await readOnly.session.fail("autotask_raw_request", { method, path, body, confirm: true });
      expect(text).toContain("Nothing was sent");
      expect(text).toContain("AUTOTASK_WRITE_ALLOWLIST");
    }
    expect(sent(readOnly.requests())).toEqual([`GET Tickets/${ticket.id}`, "POST Tickets/query/count"]);
  });

  test("AUTOTASK_WRITE_ALLOWLIST naming it restores its writes", async () => {
    const listed = (await allowlisted.session.client.listTools()).tools;
    expect(listed.find((tool) => tool.name === "autotask_raw_request")!.annotations?.readOnlyHint).toBe(false);
    expect(listed.some((tool) => tool.name === "autotask_update_ticket")).toBe(false);
    const ticket = allowlisted.sandbox.store().all("Tickets")[0]!;
    await allowlisted.session.ok("autotask_raw_request", { method: "PATCH", path: "Tickets", body: { id: ticket.id, title: "Allowed" } });
    expect(allowlisted.sandbox.store().get("Tickets", ticket.id as number)!.title).toBe("Allowed");
  });
});
