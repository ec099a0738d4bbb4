/**
 * The npm package path: `npx -y autotask-mcp` runs dist/cli.js on Node 20 without Bun. Build it as
 * `npm run build` does and run it with node — stdio, the sandbox and HTTP included.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

  test("stdio --sandbox answers tools/call over JSON-RPC, and serves the views bundled at build time", async () => {
    const messages = [
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "node-test", version: "1" } } },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "autotask_search_companies", arguments: { pageSize: 2 } } },
      { jsonrpc: "2.0", id: 3, method: "resources/read", params: { uri: "ui://autotask/ticket-card" } },
    ];
    const proc = Bun.spawn(["node", cli, "stdio", "--sandbox"], { cwd: dir, env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    for (const message of messages) proc.stdin.write(`${JSON.stringify(message)}\n`);
    await proc.stdin.flush();
    const reader = proc.stdout.getReader();
    let out = "";
    while ((out.match(/\n/g) ?? []).length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    proc.stdin.end();
    await proc.exited;
    const replies = out.trim().split("\n").map((line) => JSON.parse(line));
    expect(replies.find((message) => message.id === 2).result.structuredContent.items).toHaveLength(2);
    const view = replies.find((message) => message.id === 3).result.contents[0];
    expect(view.mimeType).toBe("text/html;profile=mcp-app");
    expect(view.text).toContain("ui/initialize");
  });

  test("hosted mode on Node stops with one line saying it needs Bun (bun:sqlite, argon2id)", async () => {
    const key = Buffer.alloc(32, 1).toString("base64");
    const { stderr, code } = await node(["serve", "--auth-mode", "oauth", "--port", "0", "--host", "127.0.0.1"]);
    expect(code).toBe(1);
    expect(stderr).toContain("AUTOTASK_MCP_ENCRYPTION_KEY");
    const withKey = Bun.spawn(["node", cli, "serve", "--auth-mode", "oauth", "--port", "0", "--host", "127.0.0.1"], {
      cwd: dir,
      env: { ...env, AUTOTASK_MCP_ENCRYPTION_KEY: key },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [text, exit] = await Promise.all([new Response(withKey.stderr).text(), withKey.exited]);
    expect(exit).toBe(1);
    expect(text.trim()).toStartWith("autotask-mcp: AUTH_MODE=oauth needs the Bun runtime");
    expect(text.trim().split("\n")).toHaveLength(1);
  });
});
