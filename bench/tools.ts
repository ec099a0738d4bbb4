/**
 * What a tool result costs a model: the size of a page of 25 tickets against the raw Autotask JSON
 * of the same page, plus the Autotask requests that page costs with names resolved. Runs the real
 * CLI over stdio against the sandbox. (What the tool list costs: bench/tools-list.ts.)
 *
 *   node_modules/.bin/bun bench/tools.ts
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { DEFAULT_SANDBOX_TENANT, startSandbox } from "../src/sandbox/index.ts";
import { sandboxEnv } from "../test/helpers/mcp.ts";

const root = new URL("../", import.meta.url).pathname;
const sandbox = await startSandbox();
const env = { ...sandboxEnv(sandbox), LOG_LEVEL: "error" };

async function connect() {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [`${root}src/cli.ts`, "stdio"], env, cwd: root }));
  return client;
}

const tokens = (n: number) => Math.round(n / 4); // rough: ~4 bytes per token for JSON

// A page of 25 tickets: raw Autotask JSON vs what the tool returns
const raw = await fetch(`${sandbox.apiUrl}V1.0/Tickets/query`, {
  method: "POST",
  headers: { "Content-Type": "application/json", UserName: DEFAULT_SANDBOX_TENANT.username, Secret: DEFAULT_SANDBOX_TENANT.secret, ApiIntegrationCode: DEFAULT_SANDBOX_TENANT.integrationCode },
  body: JSON.stringify({ MaxRecords: 25, filter: [{ op: "noteq", field: "status", value: 5 }] }),
}).then((r) => r.text());

const client = await connect();
await client.callTool({ name: "autotask_test_connection", arguments: {} }); // zone lookup out of the way
const before = sandbox.requests.length;
const cold = await client.callTool({ name: "autotask_search_tickets", arguments: { pageSize: 25 } });
const coldRequests = sandbox.requests.slice(before).filter((r) => !/zoneInformation/i.test(r.path));
const mid = sandbox.requests.length;
await client.callTool({ name: "autotask_search_tickets", arguments: { pageSize: 25, page: 2 } });
const warmRequests = sandbox.requests.slice(mid);
const text = (cold.content as Array<{ text: string }>)[0]!.text;
await client.close();
await sandbox.stop();

const rawBytes = Buffer.byteLength(raw);
const toolBytes = Buffer.byteLength(text);
console.log("\nA page of 25 open tickets (~tokens at 4 bytes/token)");
console.log("| | bytes | ~tokens |");
console.log("|---|---:|---:|");
console.log(`| raw Autotask JSON (no names) | ${rawBytes} | ${tokens(rawBytes)} |`);
console.log(`| autotask_search_tickets (names + labels) | ${toolBytes} | ${tokens(toolBytes)} |`);
console.log(`| ratio tool / raw | ${(toolBytes / rawBytes).toFixed(3)} | |`);
console.log(`\nAutotask requests for that page, names resolved: cold cache ${coldRequests.length} (${coldRequests.map((r) => r.path.replace(/.*V1\.0\//i, "")).join(", ")}); next page, warm ${warmRequests.length} (${warmRequests.map((r) => r.path.replace(/.*V1\.0\//i, "")).join(", ")})`);
