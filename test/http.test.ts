/**
 * The HTTP transport, in process: a real Bun server on port 0 (startHttpServer) in front of the real
 * Autotask simulator with two tenants. Requests go over the loopback network with fetch or the SDK's
 * Streamable HTTP client — nothing is mocked. The CLI subprocess tests (and the many-tenant
 * concurrency test, which needs the server in its own process) live in http-cli.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parseConfig } from "../src/config.ts";
import { Runtime } from "../src/context.ts";
import { createLogger } from "../src/log.ts";
import { startHttpServer, type HttpServer } from "../src/mcp/http.ts";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";

const ALPHA: SandboxTenant = { username: "api-alpha@alpha.example", secret: "alpha-secret-111", integrationCode: "ALPHA-CODE-AAA", label: "Alpha MSP" };
const BETA: SandboxTenant = { username: "api-beta@beta.example", secret: "beta-secret-222", integrationCode: "BETA-CODE-BBB", label: "Beta IT Services" };

let sandbox: Sandbox;
const servers: HttpServer[] = [];

interface Running {
  url: string;
  mcp: string;
  http: HttpServer;
  logs: string[];
}

/** A server on a free loopback port configured by `env` (on top of pointing zone lookup at the sandbox). */
async function serve(env: Record<string, string> = {}, options: { idleTimeoutSeconds?: number; host?: string } = {}): Promise<Running> {
  const config = parseConfig({ AUTH_MODE: "gateway", AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl, AUTOTASK_ALLOWED_API_HOSTS: new URL(sandbox.url).host, ...env });
  const logs: string[] = [];
  const log = createLogger({ level: "debug", write: (line) => void logs.push(line) });
  const http = await startHttpServer({ config, log, runtime: new Runtime(config, log), stop: async () => {} }, { port: 0, host: options.host ?? "127.0.0.1", ...options });
  servers.push(http);
  return { url: http.url, mcp: `${http.url}/mcp`, http, logs };
}

function credentialHeaders(tenant: SandboxTenant): Record<string, string> {
  return { "X-API-Key": tenant.username, "X-API-Secret": tenant.secret, "X-Integration-Code": tenant.integrationCode };
}

/** POST /mcp as curl does it: Content-Type and the credential headers, no Accept of our own. */
function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
}

function callBody(name: string, args: Record<string, unknown> = {}, id: number | string = 1): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
}

let gateway: Running;

beforeAll(async () => {
  sandbox = await startSandbox({ tenants: [ALPHA, BETA, DEFAULT_SANDBOX_TENANT] });
  gateway = await serve();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop({ timeoutMs: 2000 })));
  await sandbox.stop();
});

describe("the guide's curl examples, as pasted", () => {
  test('{"method": "tools/list"} without Accept, jsonrpc or id answers 200 JSON with the tools', async () => {
    const response = await post(gateway.mcp, '{"method": "tools/list"}', credentialHeaders(ALPHA));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { result: { tools: Array<{ name: string }> } };
    expect(body.result.tools.map((tool) => tool.name)).toContain("autotask_test_connection");
    expect(body.result.tools.length).toBeGreaterThan(5);
  });

  test("tools/call autotask_test_connection without Accept answers 200 JSON with the connection result", async () => {
    const response = await post(
      gateway.mcp,
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"autotask_test_connection","arguments":{}}}',
      credentialHeaders(ALPHA),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { id: number; result: CallToolResult };
    expect(body.id).toBe(1);
    expect(body.result.isError).toBeFalsy();
    expect(body.result.structuredContent).toMatchObject({ success: true, username: ALPHA.username });
  });

  test("a lenient batch gets ids that do not collide with the ones it sent", async () => {
    const response = await post(gateway.mcp, '[{"method":"tools/list"},{"jsonrpc":"2.0","id":1,"method":"prompts/list"}]', credentialHeaders(ALPHA));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Array<{ id: number; result: Record<string, unknown> }>;
    expect(body).toHaveLength(2);
    expect(body.find((item) => item.id === 1)?.result).toHaveProperty("prompts");
    expect(body.find((item) => item.id !== 1)?.result).toHaveProperty("tools");
  });
});

describe("health and routing", () => {
  test("GET /health reports the auth mode in force", async () => {
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({ status: "ok", transport: "http", authMode: "gateway" });
    expect(new Date(body.timestamp!).toISOString()).toBe(body.timestamp!);
    const env = await serve({ AUTH_MODE: "env", AUTOTASK_USERNAME: ALPHA.username, AUTOTASK_SECRET: ALPHA.secret, AUTOTASK_INTEGRATION_CODE: ALPHA.integrationCode });
    expect(((await (await fetch(`${env.url}/health`)).json()) as Record<string, string>).authMode).toBe("env");
  });

  test("GET and DELETE /mcp answer 405 with an Allow header, unknown paths 404, all JSON", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(gateway.mcp, { method, headers: { Accept: "text/event-stream", ...credentialHeaders(ALPHA) } });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain("Method not allowed");
    }
    const missing = await fetch(`${gateway.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toHaveProperty("error");
  });
});

describe("gateway credentials", () => {
  test("missing credentials: 401 naming the missing header, and nothing reaches Autotask", async () => {
    const before = sandbox.requests.length;
    const none = await post(gateway.mcp, '{"method": "tools/list"}');
    expect(none.status).toBe(401);
    expect(await none.text()).toContain("Unauthorized: Missing credentials");
    const noSecret = await post(gateway.mcp, callBody("autotask_test_connection"), { "X-API-Key": ALPHA.username, "X-Integration-Code": ALPHA.integrationCode });
    expect(noSecret.status).toBe(401);
    const text = await noSecret.text();
    expect(text).toContain("Unauthorized: Missing credentials");
    expect(text).toContain("X-API-Secret");
    expect(text).not.toContain("X-Integration-Code");
    expect(sandbox.requests.length).toBe(before);
  });

  test("X_API_* variables fill in for absent headers", async () => {
    const fallback = await serve({ X_API_KEY: BETA.username, X_API_SECRET: BETA.secret, X_INTEGRATION_CODE: BETA.integrationCode });
    const response = await post(fallback.mcp, callBody("autotask_test_connection"));
    const body = (await response.json()) as { result: CallToolResult };
    expect(body.result.structuredContent).toMatchObject({ success: true, username: BETA.username });
  });

  test("X-API-URL is an allowlist: other hosts and plain http are refused with 400 before any request leaves", async () => {
    const before = sandbox.requests.length;
    for (const apiUrl of [
      "https://evil.example.com/ATServicesRest/",
      "https://webservices5.autotask.net.evil.example/ATServicesRest/",
      "http://webservices5.autotask.net/ATServicesRest/",
      "http://127.0.0.1:9/ATServicesRest/", // loopback, but not listed
      "not a url",
    ]) {
      const response = await post(gateway.mcp, callBody("autotask_test_connection"), { ...credentialHeaders(ALPHA), "X-API-URL": apiUrl });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).toContain("X-API-URL");
      expect(text).not.toContain(ALPHA.secret);
    }
    expect(sandbox.requests.length).toBe(before);
  });

  test("X-API-URL naming an allowed host is used as the zone (no zone lookup)", async () => {
    const sandboxHost = new URL(sandbox.url).host;
    const allowed = await serve({ AUTOTASK_ALLOWED_API_HOSTS: `*.autotask.net,${sandboxHost}` });
    const before = sandbox.requests.length;
    const response = await post(allowed.mcp, callBody("autotask_test_connection"), { ...credentialHeaders(BETA), "X-API-URL": sandbox.apiUrl });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: CallToolResult };
    expect(body.result.structuredContent).toMatchObject({ success: true, username: BETA.username });
    const upstream = sandbox.requests.slice(before);
    expect(upstream.length).toBeGreaterThan(0);
    expect(upstream.some((entry) => entry.path.includes("zoneInformation"))).toBe(false);
  });
});

describe("hardening", () => {
  test("oversized body: 413; wrong content type: 415; invalid JSON: 400 parse error — JSON bodies, no stacks", async () => {
    const small = await serve({ MCP_HTTP_MAX_BODY_BYTES: "2048" });
    const headers = credentialHeaders(ALPHA);
    const before = sandbox.requests.length;

    const big = JSON.stringify({ method: "tools/list", params: { pad: "x".repeat(4000) } });
    const tooLarge = await post(small.mcp, big, headers);
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: { message: string } }).error.message).toContain("2048");

    // A chunked body with no Content-Length is cut off as well.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1000)));
        controller.close();
      },
    });
    const chunked = await fetch(small.mcp, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: stream });
    expect(chunked.status).toBe(413);

    const form = await fetch(small.mcp, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: '{"method":"tools/list"}' });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { error: { message: string } }).error.message).toContain("application/json");

    const broken = await post(small.mcp, '{"method": "tools/list"', headers);
    expect(broken.status).toBe(400);
    const parseError = (await broken.json()) as { error: { code: number; message: string } };
    expect(parseError.error.code).toBe(-32700);
    expect(JSON.stringify(parseError)).not.toMatch(/at \S+:\d+|\.ts:\d+/);

    const noMethod = await post(small.mcp, '{"params": {}}', headers);
    expect(noMethod.status).toBe(400);
    expect(((await noMethod.json()) as { error: { code: number } }).error.code).toBe(-32600);
    expect(sandbox.requests.length).toBe(before);
  });

  test("DNS rebinding: a loopback-bound server refuses a foreign Host or Origin", async () => {
    const headers = credentialHeaders(ALPHA);
    const foreignHost = await post(gateway.mcp, '{"method":"tools/list"}', { ...headers, Host: "attacker.example:80" });
    expect(foreignHost.status).toBe(403);
    expect(await foreignHost.text()).toContain("Host");
    const foreignOrigin = await post(gateway.mcp, '{"method":"tools/list"}', { ...headers, Origin: "http://attacker.example" });
    expect(foreignOrigin.status).toBe(403);
    expect(await foreignOrigin.text()).toContain("Origin");
    const nullOrigin = await post(gateway.mcp, '{"method":"tools/list"}', { ...headers, Origin: "null" });
    expect(nullOrigin.status).toBe(403);
    const health = await fetch(`${gateway.url}/health`, { headers: { Host: "attacker.example" } });
    expect(health.status).toBe(403);
    // Local names are fine.
    for (const [host, origin] of [
      [`localhost:${gateway.http.port}`, "http://localhost:6274"],
      [`127.0.0.1:${gateway.http.port}`, `http://127.0.0.1:${gateway.http.port}`],
    ]) {
      const ok = await post(gateway.mcp, '{"method":"tools/list"}', { ...headers, Host: host!, Origin: origin! });
      expect(ok.status).toBe(200);
    }
  });

  test("on every bind (0.0.0.0 too) a request from a foreign Origin is refused; clients that send no Origin are unaffected", async () => {
    const env = {
      AUTH_MODE: "env",
      AUTOTASK_USERNAME: ALPHA.username,
      AUTOTASK_SECRET: ALPHA.secret,
      AUTOTASK_INTEGRATION_CODE: ALPHA.integrationCode,
    };
    const open = await serve(env, { host: "0.0.0.0" });
    const before = sandbox.requests.length;
    const rebound = await post(open.mcp, callBody("autotask_test_connection"), { Host: `rebind.attacker.example:${open.http.port}`, Origin: `http://rebind.attacker.example:${open.http.port}` });
    expect(rebound.status).toBe(403);
    expect(await rebound.text()).toContain("Origin");
    expect((await fetch(`${open.url}/health`, { headers: { Origin: "http://rebind.attacker.example" } })).status).toBe(403);
    expect(sandbox.requests.length).toBe(before);
    // No Origin (curl, SDK clients, proxies), a local one, or the public name: answered.
    expect((await post(open.mcp, callBody("autotask_test_connection"), { Host: `mcp.example.com:${open.http.port}` })).status).toBe(200);
    expect((await post(open.mcp, callBody("autotask_test_connection"), { Origin: "http://localhost:6274" })).status).toBe(200);
    const published = await serve({ ...env, MCP_PUBLIC_URL: "https://mcp.example.com" }, { host: "0.0.0.0" });
    expect((await post(published.mcp, callBody("autotask_test_connection"), { Host: "mcp.example.com", Origin: "https://mcp.example.com" })).status).toBe(200);
    expect((await post(published.mcp, callBody("autotask_test_connection"), { Host: "mcp.example.com", Origin: "https://other.example" })).status).toBe(403);
  });

  test("MCP_HTTP_ALLOWED_HOSTS lets a proxy's public name through, and nothing else", async () => {
    const proxied = await serve({ MCP_HTTP_ALLOWED_HOSTS: "mcp.example.com" });
    const headers = credentialHeaders(ALPHA);
    const viaProxy = await post(proxied.mcp, '{"method":"tools/list"}', { ...headers, Host: "mcp.example.com", Origin: "https://mcp.example.com" });
    expect(viaProxy.status).toBe(200);
    const other = await post(proxied.mcp, '{"method":"tools/list"}', { ...headers, Host: "attacker.example" });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain("MCP_HTTP_ALLOWED_HOSTS");
  });

  test("MCP_HTTP_TOKEN: env mode requires the bearer token", async () => {
    const env = await serve({
      AUTH_MODE: "env",
      MCP_HTTP_TOKEN: "s3cret-operator-token",
      AUTOTASK_USERNAME: ALPHA.username,
      AUTOTASK_SECRET: ALPHA.secret,
      AUTOTASK_INTEGRATION_CODE: ALPHA.integrationCode,
    });
    const before = sandbox.requests.length;
    const none = await post(env.mcp, callBody("autotask_test_connection"));
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    const wrong = await post(env.mcp, callBody("autotask_test_connection"), { Authorization: "Bearer s3cret-operator-tokem" });
    expect(wrong.status).toBe(401);
    const prefix = await post(env.mcp, callBody("autotask_test_connection"), { Authorization: "Bearer s3cret" });
    expect(prefix.status).toBe(401);
    expect(sandbox.requests.length).toBe(before);
    const right = await post(env.mcp, callBody("autotask_test_connection"), { Authorization: "Bearer s3cret-operator-token" });
    expect(right.status).toBe(200);
    expect(((await right.json()) as { result: CallToolResult }).result.structuredContent).toMatchObject({ success: true, username: ALPHA.username });
    expect(env.logs.join("")).not.toContain("s3cret-operator-token");
    // A token that is set is never silently ignored: gateway mode asks for it too.
    const gatewayWithToken = await serve({ MCP_HTTP_TOKEN: "s3cret-operator-token" });
    expect((await post(gatewayWithToken.mcp, '{"method":"tools/list"}', credentialHeaders(ALPHA))).status).toBe(401);
    const allowed = await post(gatewayWithToken.mcp, '{"method":"tools/list"}', { ...credentialHeaders(ALPHA), Authorization: "Bearer s3cret-operator-token" });
    expect(allowed.status).toBe(200);
  });

  test("a tool call slower than the idle timeout is not cut off (JSON and SSE answers)", async () => {
    const slow = await serve({}, { idleTimeoutSeconds: 1 });
    sandbox.faults.inject({ path: "/Resources/query", delayMs: 5000, times: 2 });
    try {
      const [json, sse] = await Promise.all([
        post(slow.mcp, callBody("autotask_test_connection"), credentialHeaders(BETA)),
        // An SSE answer starts streaming at once and then sits silent: the case Bun's idle timer cuts.
        post(slow.mcp, callBody("autotask_test_connection", {}, 2), { ...credentialHeaders(BETA), Accept: "application/json, text/event-stream" }),
      ]);
      expect(json.status).toBe(200);
      expect(((await json.json()) as { result: CallToolResult }).result.structuredContent).toMatchObject({ success: true });
      expect(sse.status).toBe(200);
      expect(await sse.text()).toContain('\\"success\\":true');
    } finally {
      sandbox.faults.clear();
    }
  }, 20_000);

  test("access log: one line per request with method, path, status, tenant and tool — never a secret", async () => {
    const logged = await serve();
    await post(logged.mcp, callBody("autotask_test_connection"), credentialHeaders(ALPHA));
    await post(logged.mcp, '{"method":"tools/list"}', { "X-API-Key": ALPHA.username, "X-API-Secret": ALPHA.secret });
    const lines = logged.logs.filter((line) => line.includes(" http "));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/method=POST path=\/mcp status=200 ms=\d+ tenant=[0-9a-f]{12} rpc=tools\/call tool=autotask_test_connection/);
    expect(lines[1]).toMatch(/status=401/);
    const all = logged.logs.join("");
    for (const secret of [ALPHA.secret, ALPHA.integrationCode]) expect(all).not.toContain(secret);
  });
});

describe("per-tenant limits, over HTTP", () => {
  test("a 401 from Autotask pauses that tenant: the next call fails without another request, the other tenant is unaffected", async () => {
    const server = await serve();
    sandbox.faults.inject({ path: "/Resources/query", status: 401, body: { errors: ["Unauthorized"] }, times: 1 });
    try {
      // A fresh user name so no other test's state is involved.
      const first = (await (await post(server.mcp, callBody("autotask_test_connection"), credentialHeaders(DEFAULT_SANDBOX_TENANT))).json()) as { result: CallToolResult };
      expect(first.result.isError).toBe(true);
      const before = sandbox.requests.length;
      const second = (await (await post(server.mcp, callBody("autotask_test_connection"), credentialHeaders(DEFAULT_SANDBOX_TENANT))).json()) as { result: CallToolResult };
      expect(second.result.isError).toBe(true);
      expect(sandbox.requests.slice(before).filter((entry) => entry.username === DEFAULT_SANDBOX_TENANT.username && !entry.path.includes("zoneInformation"))).toHaveLength(0);
      const other = (await (await post(server.mcp, callBody("autotask_test_connection"), credentialHeaders(BETA))).json()) as { result: CallToolResult };
      expect(other.result.isError).toBeFalsy();
    } finally {
      sandbox.faults.clear();
    }
  });

  test("a 429 with Retry-After cools the tenant down; calls wait it out and then succeed", async () => {
    const server = await serve();
    sandbox.faults.inject({ path: "/Resources/query", status: 429, headers: { "Retry-After": "1" }, body: { errors: ["Rate limit"] }, times: 1 });
    try {
      const began = performance.now();
      const response = (await (await post(server.mcp, callBody("autotask_test_connection"), credentialHeaders(ALPHA))).json()) as { result: CallToolResult };
      expect(response.result.isError).toBeFalsy();
      expect(performance.now() - began).toBeGreaterThanOrEqual(900);
    } finally {
      sandbox.faults.clear();
    }
  });
});

describe("strict MCP clients", () => {
  test("the SDK's Streamable HTTP client lists and calls tools", async () => {
    const client = new Client({ name: "http-test", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(gateway.mcp), { requestInit: { headers: credentialHeaders(BETA) } });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("autotask_get_entity");
      const result = (await client.callTool({ name: "autotask_get_entity", arguments: { entity: "Companies", id: 0 } })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { item: { companyName: string } }).item.companyName).toBe(BETA.label);
    } finally {
      await client.close();
    }
  });

  test("a client accepting SSE gets an event stream; protocol-version checks stay on", async () => {
    const headers = { ...credentialHeaders(ALPHA), Accept: "application/json, text/event-stream" };
    const sse = await post(gateway.mcp, '{"jsonrpc":"2.0","id":7,"method":"tools/list"}', headers);
    expect(sse.status).toBe(200);
    expect(sse.headers.get("content-type")).toBe("text/event-stream");
    const text = await sse.text();
    expect(text).toMatch(/^event: message\ndata: \{.*"id":7/m);
    const badVersion = await post(gateway.mcp, '{"jsonrpc":"2.0","id":8,"method":"tools/list"}', { ...headers, "MCP-Protocol-Version": "1999-01-01" });
    expect(badVersion.status).toBe(400);
  });
});

describe("per-request tool selection headers", () => {
  async function listed(url: string, headers: Record<string, string>): Promise<Array<{ name: string; annotations?: { readOnlyHint?: boolean } }>> {
    const response = await post(url, '{"method":"tools/list"}', { ...credentialHeaders(ALPHA), ...headers });
    expect(response.status).toBe(200);
    return ((await response.json()) as { result: { tools: Array<{ name: string; annotations?: { readOnlyHint?: boolean } }> } }).result.tools;
  }

  test("X-MCP-Readonly hides write tools and refuses to call them", async () => {
    const all = await listed(gateway.mcp, {});
    const readOnly = await listed(gateway.mcp, { "X-MCP-Readonly": "true" });
    expect(all.some((tool) => tool.annotations?.readOnlyHint === false)).toBe(true);
    expect(readOnly.length).toBeLessThan(all.length);
    expect(readOnly.map((tool) => tool.name)).toEqual(expect.arrayContaining(all.filter((tool) => tool.annotations?.readOnlyHint === true).map((tool) => tool.name)));
    expect(readOnly.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
    const writeTool = all.find((tool) => tool.annotations?.readOnlyHint === false)!.name;
    const refused = await post(gateway.mcp, callBody(writeTool, {}), { ...credentialHeaders(ALPHA), "X-MCP-Readonly": "true" });
    expect(((await refused.json()) as { result: CallToolResult }).result.isError).toBe(true);
    // "false" cannot widen a read-only server.
    const readOnlyServer = await serve({ AUTOTASK_READ_ONLY: "true" });
    expect((await listed(readOnlyServer.mcp, { "X-MCP-Readonly": "false" })).map((t) => t.name)).toEqual(readOnly.map((t) => t.name));
  });

  test("X-MCP-Toolsets narrows to those toolsets (plus core), intersected with the configured ones", async () => {
    const all = await listed(gateway.mcp, {});
    const tickets = await listed(gateway.mcp, { "X-MCP-Toolsets": "tickets" });
    expect(tickets.length).toBeLessThan(all.length);
    expect(tickets.map((t) => t.name)).toContain("autotask_search_tickets");
    expect(tickets.map((t) => t.name)).toContain("autotask_test_connection");
    const configured = await serve({ AUTOTASK_TOOLSETS: "time" });
    const widened = await listed(configured.mcp, { "X-MCP-Toolsets": "tickets" });
    expect(widened.map((t) => t.name)).not.toContain("autotask_search_tickets");
    const invalid = await post(gateway.mcp, '{"method":"tools/list"}', { ...credentialHeaders(ALPHA), "X-MCP-Toolsets": "tickets,bogus" });
    expect(invalid.status).toBe(400);
    const message = ((await invalid.json()) as { error: { message: string } }).error.message;
    expect(message).toContain('"bogus"');
    expect(message).toContain("tickets, time");
  });
});
