/**
 * A hostile caller against the gateway over real HTTP (startHttpServer on a loopback port, the
 * sandbox as Autotask): amplifying batches, malformed requests, forged log lines. (Issue 9 §3, §6, §9.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { capAnswer } from "../src/mcp/http-guard.ts";
import { MAX_BATCH_AUTOTASK_CALLS, MAX_BATCH_MESSAGES } from "../src/mcp/http-mcp.ts";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { callBody, credentialHeaders, post, resultText, startGateway, type Gateway } from "./helpers/gateway.ts";
import { rawRequest, statusOf } from "./helpers/raw-http.ts";

const ALPHA: SandboxTenant = { username: "api@alpha-caller.example", secret: "alpha-caller-secret", integrationCode: "ALPHA-CALLER-CODE", label: "Alpha MSP" };
const MADE_UP: SandboxTenant = { username: "nobody@made-up.example", secret: "made-up-secret", integrationCode: "MADE-UP-CODE", label: "Made up" };

let sandbox: Sandbox;
let gateway: Gateway;

beforeAll(async () => {
  sandbox = await startSandbox({ tenants: [ALPHA] });
  gateway = await startGateway(sandbox);
});
afterAll(async () => {
  await gateway.http.stop({ timeoutMs: 1000 });
  await sandbox.stop();
});

const jsonBodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)) as Record<string, any>;

describe("one small request cannot make the server do unbounded work (§3)", () => {
  test("a 4.8 KB batch of 100 tools/list with made-up credentials is refused with a short answer, nothing sent upstream", async () => {
    const before = sandbox.requests.length;
    const batch = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "tools/list" })));
    const response = await post(gateway.mcp, batch, credentialHeaders(MADE_UP));
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text.length).toBeLessThan(1000);
    expect(text).toContain(`at most ${MAX_BATCH_MESSAGES} messages`);
    expect(sandbox.requests.length).toBe(before);
  });

  test("a batch of many tool calls is refused before any Autotask request; a small one still runs", async () => {
    const before = sandbox.requests.length;
    const calls = (n: number) =>
      JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: i + 1, method: "tools/call", params: { name: "autotask_test_connection", arguments: {} } })));
    const heavy = await post(gateway.mcp, calls(MAX_BATCH_AUTOTASK_CALLS + 1), credentialHeaders(ALPHA));
    expect(heavy.status).toBe(400);
    expect(await heavy.text()).toContain(`at most ${MAX_BATCH_AUTOTASK_CALLS} tools/call`);
    expect(sandbox.requests.length).toBe(before);
    const small = await post(gateway.mcp, calls(MAX_BATCH_AUTOTASK_CALLS), credentialHeaders(ALPHA));
    expect(small.status).toBe(200);
    const answers = (await small.json()) as Array<{ result: { isError?: boolean } }>;
    expect(answers).toHaveLength(MAX_BATCH_AUTOTASK_CALLS);
    expect(answers.every((answer) => !answer.result.isError)).toBe(true);
  });

  test("batches are refused for protocol versions from 2025-06-18 on (header, initialize or _meta)", async () => {
    const pair = (first: Record<string, unknown>) => JSON.stringify([first, { jsonrpc: "2.0", id: 2, method: "tools/list" }]);
    const list = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const cases: Array<[string, Record<string, string>]> = [
      [pair(list), { "MCP-Protocol-Version": "2025-06-18" }],
      [pair(list), { "MCP-Protocol-Version": "2025-11-25" }],
      [pair({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }), {}],
      [pair({ ...list, params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} } } }), {}],
    ];
    for (const [body, headers] of cases) {
      const response = await post(gateway.mcp, body, { ...credentialHeaders(ALPHA), ...headers });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain("batches are not part of MCP protocol version");
    }
    // 2025-03-26 had batches: allowed (within bounds).
    const older = await post(gateway.mcp, pair(list), { ...credentialHeaders(ALPHA), "MCP-Protocol-Version": "2025-03-26" });
    expect(older.status).toBe(200);
    expect((await older.json()) as unknown[]).toHaveLength(2);
  });

  test("a refused 1 MB batch, or a huge method name, never becomes a huge log line", async () => {
    const logged = await startGateway(sandbox);
    try {
      const batch = JSON.stringify(Array.from({ length: 40_000 }, () => ({ method: "tools/list" })));
      expect(batch.length).toBeGreaterThan(900_000);
      expect((await post(logged.mcp, batch, credentialHeaders(ALPHA))).status).toBe(400);
      const single = await post(logged.mcp, JSON.stringify({ method: "x".repeat(500_000) }), credentialHeaders(ALPHA));
      expect(single.status).toBe(200); // an unknown method is a JSON-RPC error, answered
      for (const line of logged.logs) expect(line.length).toBeLessThan(5000);
      expect(logged.logs.some((line) => line.includes("…(+"))).toBe(true);
    } finally {
      await logged.http.stop({ timeoutMs: 1000 });
    }
  });

  test("made-up API user names cannot make the server send unbounded zone lookups", async () => {
    const own = await startGateway(sandbox);
    const lookups = (since: number) => sandbox.requests.slice(since).filter((entry) => entry.path.includes("zoneInformation")).length;
    try {
      let before = sandbox.requests.length;
      // One name asked twice: its failure is remembered (a minute), one lookup.
      for (let i = 0; i < 2; i++) expect(resultText((await own.call(MADE_UP, "autotask_test_connection")).result)).toContain("could not find a zone");
      expect(lookups(before)).toBe(1);
      before = sandbox.requests.length;
      const texts: string[] = [];
      for (let i = 0; i < 20; i++) texts.push(resultText((await own.call({ ...MADE_UP, username: `nobody${i}@made-up.example` }, "autotask_test_connection")).result));
      expect(lookups(before)).toBeLessThan(10);
      expect(texts.at(-1)).toContain("Too many zone lookups for unknown API users");
    } finally {
      await own.http.stop({ timeoutMs: 1000 });
    }
  });

  test("an answer larger than the cap is replaced by a JSON-RPC error", async () => {
    const big = Response.json({ jsonrpc: "2.0", id: 1, result: { pad: "x".repeat(5000) } });
    const capped = await capAnswer(big, 1000);
    expect(capped.status).toBe(500);
    expect(((await capped.json()) as { error: { message: string } }).error.message).toContain("larger than this server sends (1000 bytes)");
    const small = await capAnswer(Response.json({ ok: true }), 1000);
    expect(await small.json()).toEqual({ ok: true });
  });
});

describe("every malformed request gets a 4xx JSON answer (§6)", () => {
  test("CONNECT 127.0.0.1:22 -> 405 JSON", async () => {
    const answer = await rawRequest(gateway.http.port, "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\nConnection: close\r\n\r\n");
    expect(statusOf(answer)).toBe(405);
    expect(jsonBodyOf(answer).error).toContain("CONNECT");
  });

  test("Host: localhost@evil.test -> 400 JSON, nothing reaches Autotask", async () => {
    const before = sandbox.requests.length;
    const body = callBody("autotask_test_connection");
    const headers = Object.entries(credentialHeaders(ALPHA)).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    const answer = await rawRequest(
      gateway.http.port,
      `POST /mcp HTTP/1.1\r\nHost: localhost@evil.test\r\nContent-Type: application/json\r\n${headers}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(statusOf(answer)).toBe(400);
    expect(jsonBodyOf(answer).error).toContain("Host");
    expect(sandbox.requests.length).toBe(before);
  });

  test("methods Bun passes through but nobody serves (PROPFIND) -> 501 JSON; known ones -> 405 JSON", async () => {
    const propfind = await rawRequest(gateway.http.port, "PROPFIND /mcp HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    expect(statusOf(propfind)).toBe(501);
    expect(jsonBodyOf(propfind).error).toContain("Not Implemented");
    const trace = await rawRequest(gateway.http.port, "TRACE /mcp HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    expect(statusOf(trace)).toBe(405);
    const put = await fetch(gateway.mcp, { method: "PUT", body: "{}" });
    expect(put.status).toBe(405);
    expect(await put.json()).toHaveProperty("error");
  });

  test("no malformed request is logged as a failure of the server", () => {
    expect(gateway.logs.join("")).not.toContain("request failed");
  });
});

describe("logs cannot be forged (§9)", () => {
  test("a tool or argument name carrying a newline and a fake log line stays inside one line", async () => {
    const forged = "x\n2026-01-01T00:00:00.000Z ERROR FORGED admin login";
    const logged = await startGateway(sandbox, { LOG_FORMAT: "simple" });
    try {
      await post(logged.mcp, callBody(forged), credentialHeaders(ALPHA));
      await post(logged.mcp, callBody("autotask_test_connection", { [forged]: 1 }), credentialHeaders(ALPHA));
      await post(logged.mcp, callBody("autotask_test_connection", { bad: "a\r\u001b[31mred\u2028next" }), credentialHeaders(ALPHA));
      const output = logged.logs.join("");
      expect(output).toContain("FORGED");
      expect(output.split("\n").filter((line) => line.startsWith("2026-01-01T00:00:00.000Z"))).toHaveLength(0);
      for (const line of logged.logs) {
        expect(line.endsWith("\n")).toBe(true);
        expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/);
      }
      expect(output).toContain("x\\n2026-01-01T00:00:00.000Z ERROR FORGED");
    } finally {
      await logged.http.stop({ timeoutMs: 1000 });
    }
  });
});
