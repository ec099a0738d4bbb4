/**
 * The npm package path: `npx -y autotask-mcp` runs dist/cli.js on Node 20 without Bun. Build it as
 * `npm run build` does and run it with node — stdio, the sandbox and HTTP included.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectEra, ERAS, type Target } from "./helpers/eras.ts";
import { BUN, ROOT } from "./helpers/mcp.ts";

const dir = mkdtempSync(join(tmpdir(), "autotask-mcp-node-"));
const cli = join(dir, "cli.js");
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };

beforeAll(async () => {
  const build = Bun.spawn([BUN, "build", "src/cli.ts", "--target=node", "--banner=#!/usr/bin/env node", `--outfile=${cli}`], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(await build.exited).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function node(args: string[], input?: string) {
  const proc = Bun.spawn(["node", cli, ...args], { cwd: dir, env, stdin: input === undefined ? "ignore" : "pipe", stdout: "pipe", stderr: "pipe" });
  if (input !== undefined && proc.stdin) {
    proc.stdin.write(input);
    proc.stdin.end();
  }
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("dist/cli.js on Node", () => {
  test("starts with a node shebang and answers --version", async () => {
    expect((await Bun.file(cli).text()).startsWith("#!/usr/bin/env node\n")).toBe(true);
    const { stdout, code } = await node(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("test-connection --sandbox works without Bun", async () => {
    const { stdout, code, stderr } = await node(["test-connection", "--sandbox"]);
    expect(stderr).not.toContain("ReferenceError");
    expect(code).toBe(0);
    expect(stdout).toContain("Connected to Autotask");
  });

  test("stdio --sandbox answers tools/call over JSON-RPC", async () => {
    const messages = [
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "node-test", version: "1" } } },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "autotask_search_companies", arguments: { pageSize: 2 } } },
    ];
    const proc = Bun.spawn(["node", cli, "stdio", "--sandbox"], { cwd: dir, env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    for (const message of messages) proc.stdin.write(`${JSON.stringify(message)}\n`);
    await proc.stdin.flush();
    const reader = proc.stdout.getReader();
    let out = "";
    while ((out.match(/\n/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    proc.stdin.end();
    await proc.exited;
    const reply = out.trim().split("\n").map((line) => JSON.parse(line)).find((message) => message.id === 2);
    expect(reply.result.structuredContent.items).toHaveLength(2);
  });

  test("a 2025-11-25 and a 2026-07-28 client list and call tools over stdio and HTTP", async () => {
    const server = Bun.spawn(["node", cli, "serve", "--sandbox", "--port", "0", "--host", "127.0.0.1"], { cwd: dir, env, stdout: "ignore", stderr: "pipe" });
    try {
      const url = await listeningUrl(server.stderr);
      const targets: Target[] = [{ stdio: { command: ["node", cli], args: ["stdio", "--sandbox"] } }, { http: { url } }];
      for (const target of targets) {
        for (const era of ERAS) {
          const client = await connectEra(era, target);
          try {
            expect(client.protocolVersion()).toBe(era);
            expect((await client.listTools()).tools.length).toBeGreaterThan(100);
            const result = await client.callTool({ name: "autotask_count", arguments: { entity: "Tickets" } });
            expect(result.structuredContent.count).toBeGreaterThan(0);
          } finally {
            await client.close();
          }
        }
      }
    } finally {
      server.kill("SIGTERM");
      await server.exited;
    }
  }, 30_000);
});

/** The /mcp URL `serve` logs once it listens; keeps draining the stream afterwards. */
async function listeningUrl(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let seen = "";
  const reader = stderr.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve exited before listening:\n${seen}`);
    seen += decoder.decode(value);
    const match = /listening url=(http:\/\/\S+\/mcp)/.exec(seen);
    if (match) {
      void (async () => {
        while (!(await reader.read()).done);
      })();
      return match[1]!;
    }
  }
}
