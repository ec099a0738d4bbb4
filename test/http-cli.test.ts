/**
 * The HTTP server as users run it: `autotask-mcp serve --port 0` in a subprocess, the Autotask
 * simulator in this process. The many-tenant concurrency test lives here on purpose: in one process,
 * hundreds of test fetches and the server's own calls to Autotask would share Bun's fetch pool.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CLI = `${ROOT}src/cli.ts`;

const ALPHA: SandboxTenant = { username: "ops@alpha-msp.example", secret: "alpha-s3cret", integrationCode: "ALPHA-INTEGRATION", label: "Alpha MSP" };
const BETA: SandboxTenant = { username: "ops@beta-it.example", secret: "beta-s3cret", integrationCode: "BETA-INTEGRATION", label: "Beta IT Services" };

let sandbox: Sandbox;

interface Served {
  proc: ReturnType<typeof Bun.spawn>;
  url: string;
  mcp: string;
  stderr(): string;
  exited: Promise<number>;
}

/** Spawns the CLI with a clean environment and waits for the line that reports the bound port. */
async function spawnServer(env: Record<string, string>, args = ["serve", "--port", "0", "--host", "127.0.0.1"]): Promise<Served> {
  const proc = Bun.spawn([process.execPath, CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "info", AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl, AUTOTASK_ALLOWED_API_HOSTS: new URL(sandbox.url).host, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let stderr = "";
  const listening = new Promise<string>((resolve, reject) => {
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
        stderr += decoder.decode(chunk);
        const match = /listening url=(http:\/\/\S+)\/mcp/.exec(stderr);
        if (match) resolve(match[1]!);
      }
      reject(new Error(`server exited before listening:\n${stderr}`));
    })();
  });
  const url = await listening;
  return { proc, url, mcp: `${url}/mcp`, stderr: () => stderr, exited: proc.exited };
}

/** Runs a CLI command to completion. */
async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([process.execPath, CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, stdout, stderr };
}

function credentialHeaders(tenant: SandboxTenant): Record<string, string> {
  return { "X-API-Key": tenant.username, "X-API-Secret": tenant.secret, "X-Integration-Code": tenant.integrationCode };
}

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
}

beforeAll(async () => {
  sandbox = await startSandbox({ tenants: [ALPHA, BETA] });
});

afterAll(async () => {
  await sandbox.stop();
});

describe("autotask-mcp serve (gateway mode, subprocess)", () => {
  let server: Served;
  beforeAll(async () => {
    server = await spawnServer({ AUTH_MODE: "gateway" });
  });
  afterAll(async () => {
    server.proc.kill("SIGTERM");
    await server.exited;
  });

  test("the guide's curl bodies, byte for byte", async () => {
    const list = await post(server.mcp, '{"method": "tools/list"}', credentialHeaders(ALPHA));
    expect(list.status).toBe(200);
    expect(((await list.json()) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name)).toContain("autotask_test_connection");
    const call = await post(
      server.mcp,
      '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"autotask_test_connection","arguments":{}}}',
      credentialHeaders(ALPHA),
    );
    expect(call.status).toBe(200);
    expect(((await call.json()) as { result: CallToolResult }).result.structuredContent).toMatchObject({ success: true, username: ALPHA.username });
  });

  test("healthcheck exits 0 against the running server, 1 against a closed port", async () => {
    const ok = await run(["healthcheck", "--url", server.url]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("ok");
    const dead = await run(["healthcheck", "--url", "http://127.0.0.1:1/health", "--timeout", "2"]);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain("unhealthy");
  });

  test("400 concurrent calls from two tenants: each reached Autotask with its own credentials and got only its own data", async () => {
    const before = sandbox.requests.length;
    const tenants = [ALPHA, BETA];
    const results = await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        const tenant = tenants[i % 2]!;
        const body =
          i % 4 === 0
            ? { jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "autotask_test_connection", arguments: {} } }
            : { jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "autotask_get_entity", arguments: { entity: "Companies", id: 0 } } };
        const response = await post(server.mcp, JSON.stringify(body), credentialHeaders(tenant));
        return { i, tenant, status: response.status, body: (await response.json()) as { id: number; result: CallToolResult } };
      }),
    );
    for (const { i, tenant, status, body } of results) {
      expect(status).toBe(200);
      expect(body.id).toBe(i);
      expect(body.result.isError).toBeFalsy();
      const content = body.result.structuredContent as Record<string, any>;
      if (i % 4 === 0) expect(content.username).toBe(tenant.username);
      else expect(content.item.companyName).toBe(tenant.label);
      const other = tenant === ALPHA ? BETA : ALPHA;
      const text = JSON.stringify(body);
      expect(text).not.toContain(other.label);
      expect(text).not.toContain(other.username);
    }
    const api = sandbox.requests.slice(before).filter((entry) => !entry.path.includes("zoneInformation"));
    expect(api.length).toBeGreaterThanOrEqual(400);
    for (const entry of api) {
      const owner = tenants.find((tenant) => tenant.username === entry.username);
      expect(owner).toBeDefined();
      expect(entry.integrationCode).toBe(owner!.integrationCode);
      expect(entry.tenant).toBe(owner!.label);
      expect(entry.hasSecret).toBe(true);
      expect(entry.status).toBe(200);
    }
    expect(api.filter((entry) => entry.username === ALPHA.username).length).toBeGreaterThanOrEqual(200);
    expect(api.filter((entry) => entry.username === BETA.username).length).toBeGreaterThanOrEqual(200);
    // Autotask's thread limit (per integration code and endpoint) was never exceeded.
    expect(sandbox.maxInFlightPerEndpoint()).toBeLessThanOrEqual(3);
    // The access log names tenants by hash only.
    expect(server.stderr()).not.toContain(ALPHA.secret);
    expect(server.stderr()).not.toContain(BETA.secret);
  }, 60_000);
});

describe("serve --sandbox in gateway mode", () => {
  test("the ready line names the sandbox's credential headers, and requests with them are served", async () => {
    const server = await spawnServer({}, ["serve", "--sandbox", "--auth-mode", "gateway", "--port", "0", "--host", "127.0.0.1"]);
    try {
      const deadline = Date.now() + 5000;
      while (!server.stderr().includes("sandbox demo ready") && Date.now() < deadline) await Bun.sleep(20);
      const ready = server.stderr().split("\n").find((line) => line.includes("sandbox demo ready"))!;
      const { username, secret, integrationCode } = DEFAULT_SANDBOX_TENANT;
      expect(ready).toContain(`X-API-Key ${username}, X-API-Secret ${secret}, X-Integration-Code ${integrationCode}`);
      const call = await post(server.mcp, '{"method":"tools/call","params":{"name":"autotask_test_connection","arguments":{}}}', credentialHeaders(DEFAULT_SANDBOX_TENANT));
      expect(((await call.json()) as { result: CallToolResult }).result.structuredContent).toMatchObject({ success: true, username });
    } finally {
      server.proc.kill("SIGTERM");
      await server.exited;
    }
  });
});

describe("process lifecycle", () => {
  test("SIGTERM with a call in flight: the call completes, new connections are refused, exit 0", async () => {
    // No subcommand + MCP_TRANSPORT=http is how the container starts it.
    const server = await spawnServer({ AUTH_MODE: "gateway", MCP_TRANSPORT: "http", MCP_HTTP_PORT: "0", MCP_HTTP_HOST: "127.0.0.1" }, []);
    sandbox.faults.inject({ path: "/Resources/query", delayMs: 2500, times: 1 });
    try {
      const before = sandbox.requests.length;
      const inFlight = post(server.mcp, '{"method":"tools/call","params":{"name":"autotask_test_connection","arguments":{}}}', credentialHeaders(BETA));
      // Wait until the call has reached Autotask, then ask the server to stop.
      const deadline = Date.now() + 5000;
      while (!sandbox.requests.slice(before).some((entry) => entry.path.includes("Resources/query")) && Date.now() < deadline) await Bun.sleep(20);
      server.proc.kill("SIGTERM");
      await Bun.sleep(200);
      await expect(fetch(`${server.url}/health`)).rejects.toThrow();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(((await response.json()) as { result: CallToolResult }).result.structuredContent).toMatchObject({ success: true, username: BETA.username });
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toContain("shutting down");
    } finally {
      sandbox.faults.clear();
    }
  }, 20_000);

  test("env mode on a non-loopback address without MCP_HTTP_TOKEN starts with a prominent warning", async () => {
    const server = await spawnServer(
      { AUTOTASK_USERNAME: ALPHA.username, AUTOTASK_SECRET: ALPHA.secret, AUTOTASK_INTEGRATION_CODE: ALPHA.integrationCode },
      ["serve", "--port", "0", "--host", "0.0.0.0"],
    );
    try {
      expect(server.stderr()).toMatch(/WARN.*WARNING: env mode on 0\.0\.0\.0:\d+ without MCP_HTTP_TOKEN.*anyone who can reach this port can use this server's Autotask credentials/);
      expect(server.stderr()).not.toContain(ALPHA.secret);
      const health = (await (await fetch(`${server.url}/health`)).json()) as { authMode: string };
      expect(health.authMode).toBe("env");
    } finally {
      server.proc.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  });

  test("serve in env mode without credentials fails fast, naming the variables", async () => {
    const result = await run(["serve", "--port", "0", "--host", "127.0.0.1"], { AUTOTASK_USERNAME: "someone@example.com" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("AUTOTASK_SECRET");
    expect(result.stderr).toContain("AUTOTASK_INTEGRATION_CODE");
    expect(result.stderr).not.toContain("    at ");
  });

  test("a busy port is an error, not a second server sharing it", async () => {
    const first = await spawnServer({ AUTH_MODE: "gateway" });
    try {
      const port = new URL(first.url).port;
      const second = await run(["serve", "--auth-mode", "gateway", "--port", port, "--host", "127.0.0.1"]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("already in use");
    } finally {
      first.proc.kill("SIGTERM");
      await first.exited;
    }
  });
});
