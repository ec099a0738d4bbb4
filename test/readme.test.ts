/**
 * README.md says what the code does: the CLI table lists each command's options as the commands
 * define them, the counts and sizes are the registry's and the seed's, and the 2026-07-28 curl
 * example answers as pasted (against a server like the demo: env mode, the sandbox's API user).
 * The tool table has its own test (registry.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import type { ArgsDef, CommandDef } from "citty";
import { parseConfig } from "../src/config.ts";
import { Runtime } from "../src/context.ts";
import { createLogger } from "../src/log.ts";
import { startHttpServer, type HttpServer } from "../src/mcp/http.ts";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { CONVENTIONS } from "../src/tools/conventions.ts";
import { allTools, TOOLS } from "../src/tools/index.ts";
import { ROOT, sandboxEnv } from "./helpers/mcp.ts";

const readme = await Bun.file(`${ROOT}README.md`).text();

/** The README CLI table: the first cell of each `autotask-mcp …` row, by command ("keys rotate"). */
function cliRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readme.split("\n")) {
    if (!line.startsWith("| `autotask-mcp")) continue;
    const cell = line.split(/(?<!\\)\|/)[1]!; // cells are split at pipes not escaped as \|
    for (const code of cell.matchAll(/`autotask-mcp ([a-z][a-z-]*(?: [a-z]+)?)[^`]*`/g)) rows.set(code[1]!, cell);
  }
  return rows;
}

const flagsOf = (cell: string) => [...new Set([...cell.matchAll(/--([a-z][a-z-]*)/g)].map((match) => match[1]!))].sort();

describe("the CLI table", () => {
  test("has a row for every command, naming exactly the options the command takes", async () => {
    const rows = cliRows();
    const commands = readdirSync(`${ROOT}src/commands`).filter((file) => !file.startsWith("_")).map((file) => file.replace(/\.ts$/, ""));
    expect(commands.length).toBeGreaterThan(5);
    for (const name of commands) {
      const command = ((await import(`../src/commands/${name}.ts`)) as { default: CommandDef<ArgsDef> }).default;
      const subs = (command.subCommands ?? {}) as Record<string, CommandDef<ArgsDef>>;
      const entries: Array<[string, CommandDef<ArgsDef>]> = Object.keys(subs).length ? Object.entries(subs).map(([sub, def]) => [`${name} ${sub}`, def]) : [[name, command]];
      for (const [row, def] of entries) {
        expect(rows.has(row), `README CLI row for ${row}`).toBe(true);
        expect(flagsOf(rows.get(row)!), row).toEqual(Object.keys(def.args ?? {}).sort());
      }
    }
  });
});

describe("figures", () => {
  test("the tool count, and what `autotask-mcp tools` counts", () => {
    expect(readme).toContain(`${TOOLS.length} tools, plus the 4 lazy-loading meta-tools (\`autotask-mcp tools\` counts ${allTools().length})`);
  });

  test("the size of the server's instructions", () => {
    const stated = /server's instructions \((\d+\.\d) KB\)/.exec(readme)?.[1];
    expect(stated).toBe((Buffer.byteLength(CONVENTIONS) / 1024).toFixed(1));
  });

  test("the sandbox's companies, and its credentials for gateway mode", async () => {
    const sandbox = await startSandbox();
    try {
      const stated = /~\d+ tickets, (\d+)\s+companies/.exec(readme)?.[1];
      expect(Number(stated)).toBe(sandbox.store().count("Companies"));
    } finally {
      await sandbox.stop();
    }
    const { username, secret, integrationCode } = DEFAULT_SANDBOX_TENANT;
    expect(readme).toContain(`\`X-API-Key: ${username}\`, \`X-API-Secret: ${secret}\`,\n\`X-Integration-Code: ${integrationCode}\``);
  });
});

describe("the 2026-07-28 curl example", () => {
  let sandbox: Sandbox;
  let http: HttpServer;
  beforeAll(async () => {
    sandbox = await startSandbox();
    const config = parseConfig({ AUTH_MODE: "env", ...sandboxEnv(sandbox) });
    const log = createLogger({ level: "error", format: "json", write: () => {} });
    http = await startHttpServer({ config, log, runtime: new Runtime(config, log), stop: async () => {} }, { port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await http?.stop({ timeoutMs: 1000 });
    await sandbox?.stop();
  });

  test("answers as pasted, and says it needs clientCapabilities in the envelope", async () => {
    const curl = readme.split("\n").find((line) => line.startsWith("curl ") && line.includes("MCP-Protocol-Version: 2026-07-28"));
    expect(curl, "README has a 2026-07-28 curl example").toBeDefined();
    const url = /^curl -X POST (\S+)/.exec(curl!)![1]!;
    expect(url).toBe("http://127.0.0.1:8080/mcp");
    const headers = Object.fromEntries([...curl!.matchAll(/-H "([^:]+): ([^"]*)"/g)].map((match) => [match[1]!, match[2]!]));
    const body = /-d '([^']*)'/.exec(curl!)![1]!;
    const response = await fetch(`${http.url}/mcp`, { method: "POST", headers, body });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { id: number; result: { structuredContent: { count: number } } };
    expect(answer.result.structuredContent.count).toBe(sandbox.store().count("Tickets"));

    const envelope = JSON.parse(body);
    delete envelope.params._meta["io.modelcontextprotocol/clientCapabilities"];
    const without = await fetch(`${http.url}/mcp`, { method: "POST", headers, body: JSON.stringify(envelope) });
    expect(without.status).toBe(400);
    const error = ((await without.json()) as { error: { code: number; message: string } }).error;
    expect(error.code).toBe(-32602);
    expect(error.message).toContain("clientCapabilities");
    expect(readme).toContain("The `_meta` envelope needs `io.modelcontextprotocol/clientCapabilities`");
  });
});
