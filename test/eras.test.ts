/**
 * Both protocol eras, one server: the official 2025-era client (v1 SDK, initialize handshake) and
 * the official 2026-07-28 client (v2 SDK, pinned: no handshake, `_meta` envelope, routing headers)
 * over stdio (the CLI as a subprocess) and over HTTP in gateway mode (a real server on port 0), all
 * against the Autotask simulator. They must see the same tools, resources and prompts and get the
 * same answer to the same call. The raw-HTTP tests pin the 2026-07-28 transport rules: routing
 * headers that disagree with the body are refused before any work, answers are JSON, no GET.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseConfig } from "../src/config.ts";
import { Runtime } from "../src/context.ts";
import { createLogger } from "../src/log.ts";
import { startHttpServer, type HttpServer } from "../src/mcp/http.ts";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { connectEra, ERAS, type EraClient, type Target } from "./helpers/eras.ts";
import { sandboxEnv, sandboxHost, writes } from "./helpers/mcp.ts";

const TENANT = DEFAULT_SANDBOX_TENANT;
const CREDENTIALS = { "X-API-Key": TENANT.username, "X-API-Secret": TENANT.secret, "X-Integration-Code": TENANT.integrationCode };
const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "curl", version: "8.0.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

let sandbox: Sandbox;
let http: HttpServer;
let mcpUrl: string;
const logs: string[] = [];
/** Every client, by transport and era. */
const clients = new Map<string, EraClient>();
const CONNECTIONS = (["stdio", "http"] as const).flatMap((transport) => ERAS.map((era) => ({ transport, era, key: `${transport} ${era}` })));

function target(transport: "stdio" | "http"): Target {
  return transport === "stdio" ? { stdio: { env: sandboxEnv(sandbox) } } : { http: { url: mcpUrl, headers: CREDENTIALS } };
}

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(mcpUrl, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/**
 * A result as both eras can compare it: what 2026-07-28 adds around every result (`_meta` with the
 * server's identity, `resultType`, the cache hints `ttlMs`/`cacheScope`) set aside.
 */
function comparable(result: Record<string, any>): Record<string, any> {
  const { _meta: _identity, resultType: _resultType, ttlMs: _ttl, cacheScope: _scope, ...rest } = result;
  return rest;
}

/** Answers that measure the moment (elapsed time, calls so far) are compared without those fields. */
const VOLATILE: Record<string, string[]> = { autotask_test_connection: ["ms"], autotask_get_api_usage: ["used", "percentUsed", "advice"] };

function steady(tool: string, result: Record<string, any>): Record<string, any> {
  const fields = VOLATILE[tool];
  if (!fields || result.isError) return result;
  const structuredContent = { ...result.structuredContent };
  for (const field of fields) delete structuredContent[field];
  // The text content is the same JSON as structuredContent, volatile fields included.
  return { ...result, content: undefined, structuredContent };
}

beforeAll(async () => {
  sandbox = await startSandbox({ requestThreshold: 1_000_000 });
  const config = parseConfig({ AUTH_MODE: "gateway", AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl, AUTOTASK_ALLOWED_API_HOSTS: sandboxHost(sandbox) });
  const log = createLogger({ level: "debug", write: (line) => void logs.push(line) });
  http = await startHttpServer({ config, log, runtime: new Runtime(config, log), stop: async () => {} }, { port: 0, host: "127.0.0.1" });
  mcpUrl = `${http.url}/mcp`;
  await Promise.all(CONNECTIONS.map(async ({ transport, era, key }) => clients.set(key, await connectEra(era, target(transport)))));
});

afterAll(async () => {
  await Promise.all([...clients.values()].map((client) => client.close()));
  await http.stop({ timeoutMs: 2000 });
  await sandbox.stop();
});

describe("a 2025-11-25 client and a 2026-07-28 client, over stdio and HTTP", () => {
  test("each connection runs at its era's protocol version", () => {
    for (const { era, key } of CONNECTIONS) expect(clients.get(key)!.protocolVersion(), key).toBe(era);
  });

  test("all four see the same tools: names, schemas, output schemas and annotations", async () => {
    const lists = await Promise.all(CONNECTIONS.map(({ key }) => clients.get(key)!.listTools()));
    expect(lists[0]!.tools.length).toBeGreaterThan(100);
    expect(lists[0]!.tools.every((tool) => tool.outputSchema && tool.annotations)).toBe(true);
    for (const [index, { key }] of CONNECTIONS.entries()) expect(lists[index]!.tools, key).toEqual(lists[0]!.tools);
  });

  test("every tool, called the same way, answers the same in both eras (and nothing is written)", async () => {
    const before = sandbox.requests.length;
    const { tools } = await clients.get(CONNECTIONS[0]!.key)!.listTools();
    let succeeded = 0;
    for (const tool of tools) {
      // With no arguments every read tool runs (searches reach Autotask) and every write tool
      // refuses with the same validation message, so the eras can be compared without writing.
      const results = await Promise.all(CONNECTIONS.map(({ key }) => clients.get(key)!.callTool({ name: tool.name, arguments: {} })));
      for (const [index, { key }] of CONNECTIONS.entries()) {
        expect(steady(tool.name, comparable(results[index]!)), `${tool.name} over ${key}`).toEqual(steady(tool.name, comparable(results[0]!)));
      }
      if (!results[0]!.isError) succeeded++;
    }
    expect(succeeded).toBeGreaterThan(20);
    expect(writes(sandbox.requests.slice(before))).toEqual([]);
  });

  test("the same resources, resource templates and prompts, and the same reads", async () => {
    const views = await Promise.all(
      CONNECTIONS.map(async ({ key }) => {
        const client = clients.get(key)!;
        return [
          await client.listResources(),
          await client.listResourceTemplates(),
          await client.listPrompts(),
          await client.getPrompt({ name: "escalation_summary", arguments: { ticketId: "T20240101.0001" } }),
          await client.readResource({ uri: "autotask://companies/0" }),
        ].map(comparable);
      }),
    );
    expect(views[0]![0]!.resources.length).toBeGreaterThan(0);
    expect(views[0]![4]!.contents[0].text).toContain(TENANT.label);
    for (const [index, { key }] of CONNECTIONS.entries()) expect(views[index], key).toEqual(views[0]!);
  });
});

describe("negotiation", () => {
  test("an auto-negotiating 2026 client probes with server/discover once and never falls back to initialize", async () => {
    const from = logs.length;
    const client = await connectEra("2026-07-28", target("http"), { negotiate: "auto" });
    try {
      expect(client.protocolVersion()).toBe("2026-07-28");
      expect((await client.callTool({ name: "autotask_count", arguments: { entity: "Tickets" } })).isError).toBeFalsy();
    } finally {
      await client.close();
    }
    const rpcs = logs.slice(from).flatMap((line) => /rpc=(\S+)/.exec(line)?.[1] ?? []);
    expect(rpcs).toEqual(["server/discover", "tools/call"]);
    expect(logs.slice(from).every((line) => !line.includes("status=400"))).toBe(true);
  });

  test("server/discover names the supported revision, the capabilities and the instructions", async () => {
    const response = await post(
      { jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: META } },
      { ...CREDENTIALS, "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "server/discover" },
    );
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: Record<string, any> };
    expect(result.supportedVersions).toContain("2026-07-28");
    expect(Object.keys(result.capabilities).sort()).toEqual(["prompts", "resources", "tools"]);
    expect(result.instructions).toContain("Autotask");
  });
});

describe("2026-07-28 over HTTP, as curl sends it", () => {
  const headers = (method: string, name?: string) => ({
    ...CREDENTIALS,
    Accept: "application/json, text/event-stream",
    "MCP-Protocol-Version": "2026-07-28",
    "Mcp-Method": method,
    ...(name && { "Mcp-Name": name }),
  });
  const countCall = (name = "autotask_count") => ({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name, arguments: { entity: "Tickets" }, _meta: META } });

  test("the issue's curl example answers 200 JSON with the count", async () => {
    const before = sandbox.requests.length;
    const response = await post(countCall(), headers("tools/call", "autotask_count"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("application/json");
    const body = (await response.json()) as { id: number; result: { structuredContent: { count: number } } };
    expect(body.id).toBe(2);
    expect(body.result.structuredContent.count).toBe(sandbox.store().all("Tickets").length);
    expect(sandbox.requests.slice(before).some((entry) => entry.path.includes("Tickets/query/count"))).toBe(true);
  });

  test("Mcp-Name or Mcp-Method that disagree with the body: 400 with JSON-RPC error -32020, nothing reaches Autotask", async () => {
    const before = sandbox.requests.length;
    const cases: Array<[Record<string, string>, unknown]> = [
      [headers("tools/call", "autotask_test_connection"), countCall()],
      [headers("tools/list", "autotask_count"), countCall()],
      [headers("tools/call"), countCall()], // Mcp-Name is required for tools/call
      // A 2025-era body gets the same check when it carries the headers: a gateway may route on them.
      [{ ...CREDENTIALS, "Mcp-Method": "tools/list" }, { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "autotask_count", arguments: { entity: "Tickets" } } }],
      [{ ...CREDENTIALS, "Mcp-Method": "tools/call", "Mcp-Name": "autotask_test_connection" }, { method: "tools/call", params: { name: "autotask_count", arguments: { entity: "Tickets" } } }],
    ];
    for (const [requestHeaders, body] of cases) {
      const response = await post(body, requestHeaders);
      expect(response.status, JSON.stringify(requestHeaders)).toBe(400);
      const answer = (await response.json()) as { jsonrpc: string; error: { code: number; message: string } };
      expect(answer.jsonrpc).toBe("2.0");
      expect(answer.error.code).toBe(-32020);
      expect(answer.error.message).toContain("Mcp-");
    }
    expect(sandbox.requests.length).toBe(before);
  });

  test("a 2026-07-28 header without the envelope, or a batch holding a 2026-07-28 message: 400, nothing reaches Autotask", async () => {
    const before = sandbox.requests.length;
    const noEnvelope = await post({ jsonrpc: "2.0", id: 3, method: "tools/list" }, headers("tools/list"));
    expect(noEnvelope.status).toBe(400);
    expect(((await noEnvelope.json()) as { error: { code: number; message: string } }).error).toMatchObject({ code: -32602, message: expect.stringContaining("_meta") });
    const batch = await post([countCall(), { jsonrpc: "2.0", id: 4, method: "tools/list" }], CREDENTIALS);
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { error: { message: string } }).error.message).toContain("batch");
    expect(sandbox.requests.length).toBe(before);
  });

  test("subscriptions/listen is acknowledged and completed at once: no stream outlives its request", async () => {
    // This server announces no list changes; a stream left open would hold every drain until its deadline.
    const listen = await post(
      { jsonrpc: "2.0", id: 9, method: "subscriptions/listen", params: { notifications: { toolsListChanged: true }, _meta: META } },
      headers("subscriptions/listen"),
    );
    expect(listen.status).toBe(200);
    const events = (await listen.text()).split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)));
    expect(events.map((event) => event.method ?? event.result?.resultType)).toEqual(["notifications/subscriptions/acknowledged", "complete"]);
  });

  test("GET and DELETE stay 405; a request without credentials is a plain 401 with no OAuth challenge", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(mcpUrl, { method, headers: headers("tools/list") });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
    const before = sandbox.requests.length;
    const { "X-API-Key": _key, "X-API-Secret": _secret, "X-Integration-Code": _code, ...anonymous } = headers("tools/call", "autotask_count");
    const refused = await post(countCall(), anonymous);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBeNull();
    expect(((await refused.json()) as { error: { message: string } }).error.message).toStartWith("Unauthorized: Missing credentials");
    expect(sandbox.requests.length).toBe(before);
  });
});
