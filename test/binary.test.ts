/**
 * The standalone binary as a user gets it: run from an empty directory with an empty environment
 * (`env -i`: no PATH, no HOME, no node_modules, no Bun), spoken to over stdio by the MCP SDK's client.
 * Plus one cross-compiled target, to show that `compile` fetches and packs another platform's runtime.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import pkg from "../package.json" with { type: "json" };
import { BUN, ROOT } from "./helpers/mcp.ts";
import { RESOURCES } from "../src/mcp/resources.ts";
import { resolveSelection, type ToolSelection } from "../src/tools/index.ts";
import { toolListing } from "../src/tools/schema.ts";
import { hostBinary } from "./helpers/binary.ts";
import { spawnJsonRpc } from "./helpers/jsonrpc.ts";

let binary: string;
const empty = mkdtempSync(join(tmpdir(), "autotask-mcp-empty-"));

beforeAll(async () => {
  binary = (await hostBinary()).path;
  // A stray .env where a client happens to start the binary must not change its configuration.
  writeFileSync(join(empty, ".env"), "AUTH_MODE=bogus\nAUTOTASK_SANDBOX=false\n");
});
afterAll(() => rmSync(empty, { recursive: true, force: true }));

/** Unused credentials: nothing here reaches Autotask. */
const CREDENTIALS = { AUTOTASK_USERNAME: "binary@example.com", AUTOTASK_SECRET: "x", AUTOTASK_INTEGRATION_CODE: "y" };

async function run(args: string[]) {
  const proc = Bun.spawn(["env", "-i", binary, ...args], { cwd: empty, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("the compiled binary, env -i, empty directory", () => {
  test("--version prints version, commit and build date", async () => {
    const { stdout, code } = await run(["--version"]);
    expect(code).toBe(0);
    const commit = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: ROOT }).stdout.toString().trim();
    expect(stdout.trim()).toMatch(new RegExp(`^${pkg.version.replaceAll(".", "\\.")} \\(commit ${commit}, built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)$`));
  });

  test("test-connection --sandbox connects (and ignores the .env in its working directory)", async () => {
    const { stdout, stderr, code } = await run(["test-connection", "--sandbox"]);
    expect(stderr).not.toContain("AUTH_MODE");
    expect(code).toBe(0);
    expect(stdout).toContain("Connected to Autotask");
    expect(stdout).toContain("zone:      Sandbox");
  });

  test("tools --json lists every tool with its schemas", async () => {
    const { stdout, code } = await run(["tools", "--json"]);
    expect(code).toBe(0);
    const tools = JSON.parse(stdout) as Array<{ name: string; inputSchema: { type: string } }>;
    expect(tools.length).toBeGreaterThanOrEqual(90);
    expect(tools.map((tool) => tool.name)).toContain("autotask_search_tickets");
  });

  test("speaks MCP over stdio: initialize, tools/list, a tool call answered by the built-in sandbox", async () => {
    const transport = new StdioClientTransport({ command: "env", args: ["-i", binary, "stdio", "--sandbox"], cwd: empty, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const client = new Client({ name: "binary-test", version: "1" });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({ name: "autotask-mcp", version: pkg.version });
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThanOrEqual(90);
      const result = await client.callTool({ name: "autotask_search_companies", arguments: { pageSize: 2 } });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { items: unknown[] }).items).toHaveLength(2);
    } finally {
      await client.close();
    }
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  });
});

describe("the listings built into the binary", () => {
  const selections: Array<[Record<string, string>, ToolSelection]> = [
    [{}, { readOnly: false, toolsets: "all", lazy: false }],
    [{ AUTOTASK_READ_ONLY: "true", AUTOTASK_TOOLSETS: "tickets,time" }, { readOnly: true, toolsets: ["tickets", "time"], lazy: false }],
    [{ LAZY_LOADING: "true" }, { readOnly: false, toolsets: "all", lazy: true }],
  ];

  test("tools/list is what the registry lists, for each selection, and loads no tool until a tools/call", async () => {
    for (const [settings, selection] of selections) {
      const server = spawnJsonRpc(["env", "-i", ...Object.entries({ ...CREDENTIALS, ...settings, LOG_LEVEL: "debug" }).map(([name, value]) => `${name}=${value}`), binary, "stdio"], { cwd: empty, env: {} });
      try {
        await server.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "binary-test", version: "1" } } });
        await server.send({ jsonrpc: "2.0", method: "notifications/initialized" });
        const listed = await server.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
        expect(listed?.result.tools, JSON.stringify(settings)).toEqual(JSON.parse(JSON.stringify(resolveSelection(selection).listed.map(toolListing))));
        const resources = await server.send({ jsonrpc: "2.0", id: 3, method: "resources/list" });
        expect(resources?.result.resources).toEqual(JSON.parse(JSON.stringify(RESOURCES)));
        // Listed from what the build inlined: nothing computed, no tool module loaded.
        expect(server.stderr()).not.toContain("listings computed from the tool registry");
        expect(server.stderr()).not.toContain("tool registry loaded");
        const refused = await server.send({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "autotask_test_connection", arguments: { binaryTest: true } } });
        expect(refused?.result.content[0].text).toContain('Unknown argument "binaryTest"');
        expect(server.stderr()).toContain("tool registry loaded");
      } finally {
        await server.stop();
      }
    }
  });
});

describe("compile for another platform", () => {
  const out = mkdtempSync(join(tmpdir(), "autotask-mcp-cross-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test("linux-arm64: an aarch64 ELF executable, listed in SHA256SUMS", async () => {
    const proc = Bun.spawn([BUN, "scripts/build.ts", "compile", "--target", "linux-arm64", "--outdir", out], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(`${stdout}${stderr}`).not.toContain("error:");
    expect(code).toBe(0);
    const file = join(out, "autotask-mcp-linux-arm64");
    const head = readFileSync(file).subarray(0, 20);
    expect(head.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(head.readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64
    const sums = readFileSync(join(out, "SHA256SUMS"), "utf8");
    const digest = new Bun.CryptoHasher("sha256").update(readFileSync(file)).digest("hex");
    expect(sums).toBe(`${digest}  autotask-mcp-linux-arm64\n`);
  });
});
