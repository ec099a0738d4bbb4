/**
 * What a start loads (what it costs is bench/startup.ts's): initialize, server/discover and the list
 * methods need no tool module — the registry and every tool's zod schemas load on the first
 * tools/call (src/mcp/server.ts). Traced from source with a preload that reports each module as it
 * loads; a build differs only in answering the list methods from its inlined listings
 * (listings.test.ts; binary.test.ts checks a built binary).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnJsonRpc, type JsonRpcProcess } from "./helpers/jsonrpc.ts";
import { BUN, CLI, ROOT } from "./helpers/mcp.ts";

const TRACE = join(ROOT, "test/fixtures/trace-loads.ts");

/** The registry and the tool modules it imports (type-only imports load nothing; selection.ts is the light rule lists.ts shares). */
const REGISTRY = [
  "src/tools/index.ts",
  ...[...readFileSync(join(ROOT, "src/tools/index.ts"), "utf8").matchAll(/^import (?!type )[^;]*from "\.\/([\w-]+\.ts)";$/gm)]
    .map((match) => `src/tools/${match[1]}`)
    .filter((path) => path !== "src/tools/selection.ts"),
];

const META_2026 = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "startup-test", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};
const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "startup-test", version: "1" } } };
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };
const DISCOVER = { jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: META_2026 } };
// Refused for its unknown argument: the call loads and runs the registry, and nothing reaches Autotask.
const CALL = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "autotask_test_connection", arguments: { startupTest: true } } };

let running: JsonRpcProcess | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A command (default `stdio`) from source under the load trace; `loaded()`: the source files loaded so far, relative to the repository. */
function startTraced(command = "stdio", env: Record<string, string> = {}): JsonRpcProcess & { loaded(): string[] } {
  const server = spawnJsonRpc([BUN, "--preload", TRACE, CLI, command], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", AUTOTASK_USERNAME: "startup@example.com", AUTOTASK_SECRET: "x", AUTOTASK_INTEGRATION_CODE: "y", LOG_LEVEL: "debug", ...env },
  });
  running = server;
  return { ...server, loaded: () => [...server.stderr().matchAll(/^\[module\] (.+)$/gm)].map((match) => match[1]!.replace(ROOT, "").replace(/^\//, "")) };
}

describe("a stdio start loads no tool module", () => {
  test("the registry lists tool modules to look for", () => {
    expect(REGISTRY.length).toBeGreaterThan(15);
    expect(REGISTRY).toContain("src/tools/tickets.ts");
  });

  test("initialize (2025): no tool module; the first tools/call loads the registry", async () => {
    const server = startTraced();
    expect((await server.send(INITIALIZE))?.result.serverInfo.name).toBe("autotask-mcp");
    await server.send(INITIALIZED);
    expect(server.loaded()).toContain("src/mcp/server.ts");
    expect(server.loaded().filter((path) => REGISTRY.includes(path))).toEqual([]);

    const refused = await server.send(CALL);
    expect(refused?.result.isError).toBe(true);
    expect(refused?.result.content[0].text).toContain('Unknown argument "startupTest"');
    expect(server.loaded()).toEqual(expect.arrayContaining(REGISTRY));
    expect(server.stderr()).toContain("tool registry loaded");
  });

  test("server/discover (2026-07-28): no tool module either", async () => {
    const server = startTraced();
    const discovered = await server.send(DISCOVER);
    expect(discovered?.result.supportedVersions).toContain("2026-07-28");
    expect(discovered?.result.instructions).toContain("Conventions every tool follows");
    expect(server.loaded().filter((path) => REGISTRY.includes(path))).toEqual([]);
  });

  test("from source, the first list request computes the listings from the registry, once (a build inlines them)", async () => {
    const server = startTraced();
    await server.send(INITIALIZE);
    await server.send(INITIALIZED);
    const first = await server.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const again = await server.send({ jsonrpc: "2.0", id: 4, method: "tools/list" });
    expect(first?.result.tools.length).toBeGreaterThan(100);
    expect(again?.result).toEqual(first?.result);
    expect(server.stderr().match(/listings computed from the tool registry/g)).toHaveLength(1);
    expect(server.stderr()).not.toContain("tool registry loaded"); // listed, never called
  });
});

describe("a serve start loads no tool module either", () => {
  test("listening and answering initialize over HTTP: no tool module", async () => {
    const server = startTraced("serve", { MCP_HTTP_PORT: "0", MCP_HTTP_HOST: "127.0.0.1", MCP_HTTP_TOKEN: "startup-test-token" });
    let url: string | undefined;
    for (let waited = 0; !url && waited < 15_000; waited += 50) {
      url = /autotask-mcp listening url=(\S+)/.exec(server.stderr())?.[1];
      if (!url) await Bun.sleep(50);
    }
    expect(url).toBeDefined();
    const response = await fetch(url!, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer startup-test-token" },
      body: JSON.stringify(INITIALIZE),
    });
    expect(((await response.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name).toBe("autotask-mcp");
    expect(server.loaded()).toContain("src/mcp/http.ts");
    expect(server.loaded().filter((path) => REGISTRY.includes(path))).toEqual([]);
  });
});
