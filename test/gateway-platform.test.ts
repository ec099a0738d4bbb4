/**
 * Gateway-mode parity with the original's platform features, over a real HTTP server on port 0 in
 * front of the sandbox: per-request impersonation (header, X_ and AUTOTASK_ variables), the
 * X-Gateway-S2S signature (CONDUIT_S2S_SECRET), and the server name and version it reports.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { callBody, credentialHeaders, post, startGateway, type Gateway } from "./helpers/gateway.ts";
import { writes } from "./helpers/mcp.ts";

const tenant = DEFAULT_SANDBOX_TENANT;
let sandbox: Sandbox;
const gateways: Gateway[] = [];

async function gateway(env: Record<string, string> = {}): Promise<Gateway> {
  const started = await startGateway(sandbox, env);
  gateways.push(started);
  return started;
}

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.http.stop({ timeoutMs: 2000 })));
  await sandbox.stop();
});

/** Active resources other than the API user: who a request may act as. */
const technicians = () => sandbox.store().all("Resources").filter((r) => r.isActive && r.id !== sandbox.store().apiUserResourceId);

/** Adds a note through the gateway; returns what reached Autotask for the write and the stored note. */
async function addNote(g: Gateway, headers: Record<string, string> = {}) {
  const ticket = sandbox.store().all("Tickets")[0]!;
  const before = sandbox.requests.length;
  const { result } = await g.call(tenant, "autotask_create_ticket_note", { ticketId: ticket.id, description: "Who wrote this?" }, headers);
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  const [write] = writes(sandbox.requests.slice(before));
  return { write: write!, note: sandbox.store().get("TicketNotes", (result.structuredContent as { id: number }).id)! };
}

describe("impersonation per request", () => {
  test("X-Impersonation-Resource-Id: the write carries ImpersonationResourceId and is attributed to that resource", async () => {
    const g = await gateway();
    const tech = technicians()[0]!;
    const { write, note } = await addNote(g, { "X-Impersonation-Resource-Id": ` ${tech.id} ` });
    expect(write.impersonationResourceId).toBe(String(tech.id));
    expect(note.creatorResourceID).toBe(tech.id);
    expect(note.impersonatorCreatorResourceID).toBe(sandbox.store().apiUserResourceId);
    // Without the header the API user acts, and no impersonation header is sent.
    const plain = await addNote(g);
    expect(plain.write.impersonationResourceId).toBeUndefined();
  });

  test("X_IMPERSONATION_RESOURCE_ID, else AUTOTASK_IMPERSONATION_RESOURCE_ID, for requests without the header; the header wins", async () => {
    const [first, second] = technicians();
    const both = await gateway({ X_IMPERSONATION_RESOURCE_ID: String(first!.id), AUTOTASK_IMPERSONATION_RESOURCE_ID: String(second!.id) });
    expect((await addNote(both)).write.impersonationResourceId).toBe(String(first!.id));
    const autotaskOnly = await gateway({ AUTOTASK_IMPERSONATION_RESOURCE_ID: String(second!.id) });
    expect((await addNote(autotaskOnly)).write.impersonationResourceId).toBe(String(second!.id));
    expect((await addNote(autotaskOnly, { "X-Impersonation-Resource-Id": String(first!.id) })).write.impersonationResourceId).toBe(String(first!.id));
  });

  test("a malformed header is refused with 400 naming it, and nothing reaches Autotask", async () => {
    const g = await gateway({ AUTOTASK_IMPERSONATION_RESOURCE_ID: String(technicians()[0]!.id) });
    for (const value of ["abc", "0", "-4", "12.5", "29682885x", "99999999999"]) {
      const before = sandbox.requests.length;
      const response = await post(g.mcp, callBody("autotask_list_queues"), { ...credentialHeaders(tenant), "X-Impersonation-Resource-Id": value });
      expect(response.status, value).toBe(400);
      const { error } = (await response.json()) as { error: { message: string } };
      expect(error.message).toStartWith("X-Impersonation-Resource-Id must be a resource id (a whole number from 1 to 2147483647)");
      expect(error.message).toContain(JSON.stringify(value));
      expect(sandbox.requests.length).toBe(before);
    }
  });
});

describe("impersonation header outside gateway mode", () => {
  test("env mode refuses the header, malformed or not, with 400 and nothing sent: the operator's credentials act as configured", async () => {
    const tech = technicians()[0]!;
    const env = await gateway({ AUTH_MODE: "env", AUTOTASK_USERNAME: tenant.username, AUTOTASK_SECRET: tenant.secret, AUTOTASK_INTEGRATION_CODE: tenant.integrationCode });
    for (const [value, message] of [
      ["abc", 'X-Impersonation-Resource-Id must be a resource id (a whole number from 1 to 2147483647), got "abc"'],
      [String(tech.id), "X-Impersonation-Resource-Id is honoured in gateway mode only"],
    ] as const) {
      const before = sandbox.requests.length;
      const response = await post(env.mcp, callBody("autotask_list_queues"), { "X-Impersonation-Resource-Id": value });
      expect(response.status, value).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toStartWith(message);
      expect(sandbox.requests.length).toBe(before);
    }
    expect((await post(env.mcp, callBody("autotask_list_queues"))).status).toBe(200);
  });
});

describe("X-Gateway-S2S (CONDUIT_S2S_SECRET)", () => {
  const SECRET = "s2s-shared-secret-for-tests";
  const sign = (t: number, secret = SECRET) => `t=${t},v1=${createHmac("sha256", secret).update(`t=${t}`).digest("hex")}`;
  const now = () => Math.floor(Date.now() / 1000);
  let g: Gateway;
  beforeAll(async () => {
    g = await gateway({ CONDUIT_S2S_SECRET: SECRET });
  });

  const list = (headers: Record<string, string>) => post(g.mcp, '{"method":"tools/list"}', headers);

  test("a valid signature within 300 seconds passes, with the credentials checked after it", async () => {
    expect((await list({ ...credentialHeaders(tenant), "X-Gateway-S2S": sign(now()) })).status).toBe(200);
    expect((await list({ ...credentialHeaders(tenant), "X-Gateway-S2S": sign(now() - 290) })).status).toBe(200);
    // A gateway rotating its secret may send both signatures.
    expect((await list({ ...credentialHeaders(tenant), "X-Gateway-S2S": `${sign(now(), "old-secret")},${sign(now()).split(",")[1]}` })).status).toBe(200);
    const noCredentials = await list({ "X-Gateway-S2S": sign(now()) });
    expect(noCredentials.status).toBe(401);
    expect(await noCredentials.text()).toContain("Missing credentials");
  });

  test("missing, malformed, stale or wrongly keyed: 401 before any credential is looked at, nothing sent, the secret never echoed", async () => {
    const before = sandbox.requests.length;
    const cases: Array<[Record<string, string>, string]> = [
      [{}, "requires an X-Gateway-S2S signature"],
      [{ "X-Gateway-S2S": "v1=abc" }, "must be t=<unix seconds>,v1=<hex HMAC-SHA256"],
      [{ "X-Gateway-S2S": `t=${now()}` }, "must be t=<unix seconds>"],
      [{ "X-Gateway-S2S": sign(now() - 301) }, "more than 300 seconds"],
      [{ "X-Gateway-S2S": sign(now() + 400) }, "more than 300 seconds"],
      [{ "X-Gateway-S2S": sign(now(), "wrong-secret") }, "signature does not match"],
    ];
    for (const [headers, message] of cases) {
      // No credential headers: the answer is the signature's, so it was checked first.
      const response = await list(headers);
      expect(response.status).toBe(401);
      const body = await response.text();
      expect(body).toContain(message);
      expect(body).not.toContain(SECRET);
      const withCredentials = await list({ ...credentialHeaders(tenant), ...headers });
      expect(withCredentials.status).toBe(401);
    }
    expect(sandbox.requests.length).toBe(before);
    expect(g.logs.join("\n")).not.toContain(SECRET);
  });
});

test("MCP_SERVER_NAME and MCP_SERVER_VERSION are what initialize reports", async () => {
  const g = await gateway({ MCP_SERVER_NAME: "acme-autotask", MCP_SERVER_VERSION: "2.32.0-acme" });
  const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } };
  const response = await post(g.mcp, JSON.stringify(initialize), credentialHeaders(tenant));
  const { result } = (await response.json()) as { result: { serverInfo: { name: string; version: string } } };
  expect(result.serverInfo).toMatchObject({ name: "acme-autotask", version: "2.32.0-acme" });
});
