/**
 * The npm package path: `npx -y autotask-mcp` runs dist/cli.js on Node 20 without Bun. Like a release
 * from a fresh clone: copy the repository's files (what git tracks or would track — no dist/), run
 * `npm pack` there (its prepack builds the bundle), install the tarball into an empty directory and
 * run the installed bin under node: stdio, the sandbox, no runtime dependencies.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { resolveSelection } from "../src/tools/index.ts";
import { toolListing } from "../src/tools/schema.ts";
import { connectEra, ERAS, type Target } from "./helpers/eras.ts";
import { spawnJsonRpc } from "./helpers/jsonrpc.ts";
import { ROOT } from "./helpers/mcp.ts";

const work = mkdtempSync(join(tmpdir(), "autotask-mcp-npm-"));
const clone = join(work, "clone");
const app = join(work, "app");
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
let tarball: string;
let cli: string;

async function sh(command: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  const proc = Bun.spawn(command, { cwd, env: { ...env, ...extraEnv }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${command.join(" ")} exited ${code}:\n${stdout}${stderr}`);
  return stdout;
}

beforeAll(async () => {
  const files = (await sh(["git", "ls-files", "--cached", "--others", "--exclude-standard"], ROOT)).split("\n").filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(ROOT, file), join(clone, file));
  }
  expect(existsSync(join(clone, "dist"))).toBe(false);
  // What `npm ci` would install; only the build (bun) needs it.
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"));
  // The copy has no .git: give the build the commit a clone would have.
  const commit = (await sh(["git", "rev-parse", "--short=12", "HEAD"], ROOT)).trim();
  await sh(["npm", "pack", "--pack-destination", work], clone, { AUTOTASK_MCP_COMMIT: commit });
  tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
  mkdirSync(app);
  await sh(["npm", "install", "--offline", "--no-audit", "--no-fund", tarball], app);
  cli = join(app, "node_modules/.bin/autotask-mcp");
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function node(args: string[]) {
  const proc = Bun.spawn([cli, ...args], { cwd: app, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("npm pack of a fresh clone", () => {
  test("holds the built bundle (entry and chunks), README, LICENSE and CHANGELOG, and declares no runtime dependencies", async () => {
    const listed = (await sh(["tar", "-tzf", tarball], work)).split("\n").filter(Boolean).sort();
    // The bundle's entry and the chunks it loads lazily (named by content hash).
    const chunks = listed.filter((path) => path.startsWith("package/dist/chunks/"));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((path) => /^package\/dist\/chunks\/[\w-]+\.js$/.test(path))).toBe(true);
    expect(listed.filter((path) => !chunks.includes(path))).toEqual(["package/CHANGELOG.md", "package/LICENSE", "package/README.md", "package/dist/cli.js", "package/package.json"]);
    const installed = JSON.parse(readFileSync(join(app, "node_modules/autotask-mcp/package.json"), "utf8"));
    expect(installed.dependencies ?? {}).toEqual({});
    expect(installed.bin).toEqual({ "autotask-mcp": "dist/cli.js" });
    // npx installs one package: nothing else landed in node_modules.
    expect(Object.keys(JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8")).packages)).toEqual(["", "node_modules/autotask-mcp"]);
  });

  test("the installed bin starts with a node shebang and prints version, commit and build date", async () => {
    expect(readFileSync(join(app, "node_modules/autotask-mcp/dist/cli.js"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const { stdout, code } = await node(["--version"]);
    expect(code).toBe(0);
    const commit = (await sh(["git", "rev-parse", "--short=12", "HEAD"], ROOT)).trim();
    expect(stdout.trim()).toMatch(new RegExp(`^${pkg.version.replaceAll(".", "\\.")} \\(commit ${commit}, built \\d{4}-`));
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
    const proc = Bun.spawn([cli, "stdio", "--sandbox"], { cwd: app, env, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
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

  test("stdio lists from the listings built into the bundle: what the registry lists, no tool loaded until a tools/call", async () => {
    const settings = { AUTOTASK_READ_ONLY: "true", LAZY_LOADING: "true" };
    const server = spawnJsonRpc([cli, "stdio"], {
      cwd: app,
      env: { ...env, ...settings, AUTOTASK_USERNAME: "node@example.com", AUTOTASK_SECRET: "x", AUTOTASK_INTEGRATION_CODE: "y", LOG_LEVEL: "debug" },
    });
    try {
      await server.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "node-test", version: "1" } } });
      await server.send({ jsonrpc: "2.0", method: "notifications/initialized" });
      const listed = await server.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
      const expected = resolveSelection({ readOnly: true, toolsets: "all", lazy: true }).listed.map(toolListing);
      expect(listed?.result.tools).toEqual(JSON.parse(JSON.stringify(expected)));
      expect(server.stderr()).not.toContain("listings computed from the tool registry");
      expect(server.stderr()).not.toContain("tool registry loaded");
      const refused = await server.send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "autotask_list_categories", arguments: { nodeTest: true } } });
      expect(refused?.result.content[0].text).toContain('Unknown argument "nodeTest"');
      expect(server.stderr()).toContain("tool registry loaded");
    } finally {
      await server.stop();
    }
  });

  test("hosted mode on Node stops with one line saying it needs Bun (bun:sqlite, argon2id)", async () => {
    const key = Buffer.alloc(32, 1).toString("base64");
    const { stderr, code } = await node(["serve", "--auth-mode", "oauth", "--port", "0", "--host", "127.0.0.1"]);
    expect(code).toBe(1);
    expect(stderr).toContain("AUTOTASK_MCP_ENCRYPTION_KEY");
    const withKey = Bun.spawn([cli, "serve", "--auth-mode", "oauth", "--port", "0", "--host", "127.0.0.1"], {
      cwd: app,
      env: { ...env, AUTOTASK_MCP_ENCRYPTION_KEY: key },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [text, exit] = await Promise.all([new Response(withKey.stderr).text(), withKey.exited]);
    expect(exit).toBe(1);
    expect(text.trim()).toStartWith("autotask-mcp: AUTH_MODE=oauth needs the Bun runtime");
    expect(text.trim().split("\n")).toHaveLength(1);
  });

  test("REDIS_URL on Node: serve stops with one line saying it needs Bun (its Redis client is built in)", async () => {
    const proc = Bun.spawn([cli, "serve", "--sandbox", "--port", "0", "--host", "127.0.0.1"], {
      cwd: app,
      env: { ...env, REDIS_URL: "redis://:hunter2@127.0.0.1:1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [text, exit] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(exit).toBe(1);
    expect(text.trim()).toStartWith("autotask-mcp: REDIS_URL needs the Bun runtime");
    expect(text).not.toContain("hunter2");
    expect(text.trim().split("\n")).toHaveLength(1);
  });
});

describe("both protocol eras on Node", () => {
  test("a 2025-11-25 and a 2026-07-28 client list and call tools over stdio and HTTP", async () => {
    const server = Bun.spawn([cli, "serve", "--sandbox", "--port", "0", "--host", "127.0.0.1"], { cwd: app, env, stdout: "ignore", stderr: "pipe" });
    try {
      const url = await listeningUrl(server.stderr);
      const targets: Target[] = [{ stdio: { command: [cli], args: ["stdio", "--sandbox"] } }, { http: { url } }];
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
