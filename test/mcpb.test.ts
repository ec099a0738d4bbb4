/**
 * The Claude Desktop extension: `bun scripts/mcpb.ts` builds autotask-mcp.mcpb, `mcpb validate`
 * accepts its manifest, and the unpacked bundle runs the way Claude Desktop runs it — mcp_config with
 * ${__dirname} and ${user_config.*} filled in, under node — against the sandbox as Autotask.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import pkg from "../package.json" with { type: "json" };
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { BUN, ROOT, sandboxHost } from "./helpers/mcp.ts";

interface Manifest {
  version: string;
  server: { type: string; entry_point: string; mcp_config: { command: string; args: string[]; env: Record<string, string> } };
  user_config: Record<string, { type: string; required?: boolean; sensitive?: boolean }>;
  tools: Array<{ name: string; description: string }>;
}

const out = mkdtempSync(join(tmpdir(), "autotask-mcp-mcpb-"));
const unpacked = join(out, "unpacked");
let manifest: Manifest;
let sandbox: Sandbox;

async function run(command: string[]) {
  const proc = Bun.spawn(command, { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

beforeAll(async () => {
  const built = await run([BUN, "scripts/mcpb.ts", "--outdir", out]);
  if (built.code !== 0) throw new Error(built.stderr);
  const unpack = await run([join(ROOT, "node_modules/.bin/mcpb"), "unpack", join(out, "autotask-mcp.mcpb"), unpacked]);
  if (unpack.code !== 0) throw new Error(unpack.stdout + unpack.stderr);
  manifest = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
  sandbox = await startSandbox();
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
  rmSync(out, { recursive: true, force: true });
});

/** Starts the unpacked bundle as Claude Desktop would, with these user_config answers. */
async function connect(answers: Record<string, string>) {
  const fill = (value: string) => value.replaceAll("${__dirname}", unpacked).replace(/\$\{user_config\.(\w+)\}/g, (_, key: string) => answers[key] ?? "");
  const { command, args, env } = manifest.server.mcp_config;
  const transport = new StdioClientTransport({
    command,
    args: args.map(fill),
    env: { ...Object.fromEntries(Object.entries(env).map(([name, value]) => [name, fill(value)])), AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl, AUTOTASK_ALLOWED_API_HOSTS: sandboxHost(sandbox), LOG_LEVEL: "warn" },
    stderr: "pipe",
  });
  const client = new Client({ name: "claude-desktop-stand-in", version: "1" });
  await client.connect(transport);
  return client;
}

const tenant = { username: DEFAULT_SANDBOX_TENANT.username, secret: DEFAULT_SANDBOX_TENANT.secret, integration_code: DEFAULT_SANDBOX_TENANT.integrationCode };

describe("autotask-mcp.mcpb", () => {
  test("holds the manifest, the Node bundle and the licence; mcpb validate accepts the manifest", async () => {
    expect(readdirSync(unpacked).sort()).toEqual(["LICENSE", "manifest.json", "server"]);
    expect(readdirSync(join(unpacked, "server")).sort()).toEqual(["chunks", "cli.js"]);
    const chunks = readdirSync(join(unpacked, "server/chunks"));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((name) => name.endsWith(".js"))).toBe(true);
    expect(manifest.server.entry_point).toBe("server/cli.js");
    const validate = await run([join(ROOT, "node_modules/.bin/mcpb"), "validate", join(unpacked, "manifest.json")]);
    expect(validate.stdout).toContain("Manifest schema validation passes");
    expect(validate.code).toBe(0);
  });

  test("asks for user name, secret and integration code (the last two sensitive) and an optional read-only switch", () => {
    expect(manifest.version).toBe(pkg.version);
    const config = manifest.user_config;
    expect(config.username).toMatchObject({ type: "string", required: true });
    expect(config.secret).toMatchObject({ type: "string", required: true, sensitive: true });
    expect(config.integration_code).toMatchObject({ type: "string", required: true, sensitive: true });
    expect(config.read_only).toMatchObject({ type: "boolean", required: false });
    expect(config.username!.sensitive).toBeFalsy();
    // Every ${user_config.x} the server is started with is a question the manifest asks.
    const referenced = [...JSON.stringify(manifest.server.mcp_config).matchAll(/\$\{user_config\.(\w+)\}/g)].map((match) => match[1]);
    expect(new Set(referenced)).toEqual(new Set(Object.keys(config)));
  });

  test("runs under node as Claude Desktop starts it, lists exactly the manifest's tools, and reaches Autotask", async () => {
    const client = await connect({ ...tenant, read_only: "false" });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(manifest.tools.map((tool) => tool.name));
      const before = sandbox.requests.length;
      const result = await client.callTool({ name: "autotask_test_connection", arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(sandbox.requests.length).toBeGreaterThan(before);
    } finally {
      await client.close();
    }
  });

  test("the read-only switch hides every write tool", async () => {
    const client = await connect({ ...tenant, read_only: "true" });
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(20);
      expect(tools.length).toBeLessThan(manifest.tools.length);
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
