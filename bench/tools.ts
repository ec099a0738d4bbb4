/**
 * What the tools cost a model: tools/list size (all tools, read-only, lazy) and the size of a page
 * of 25 tickets against the raw Autotask JSON of the same page, plus the Autotask requests that
 * page costs with names resolved. Runs the real CLI over stdio against the sandbox.
 *
 *   node_modules/.bin/bun bench/tools.ts
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { DEFAULT_SANDBOX_TENANT, startSandbox } from "../src/sandbox/index.ts";

const root = new URL("../", import.meta.url).pathname;
const sandbox = await startSandbox();
const env = {
  AUTOTASK_USERNAME: DEFAULT_SANDBOX_TENANT.username,
  AUTOTASK_SECRET: DEFAULT_SANDBOX_TENANT.secret,
  AUTOTASK_INTEGRATION_CODE: DEFAULT_SANDBOX_TENANT.integrationCode,
  AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl,
  AUTOTASK_ALLOWED_API_HOSTS: new URL(sandbox.url).host,
  LOG_LEVEL: "error",
};

async function connect(extra: Record<string, string> = {}) {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [`${root}src/cli.ts`, "stdio"], env: { ...env, ...extra }, cwd: root }));
  return client;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const tokens = (n: number) => Math.round(n / 4); // rough: ~4 bytes per token for JSON

// 1. tools/list sizes
const listSizes: Array<[string, number, number]> = [];
for (const [name, extra] of [["all tools", {}], ["read-only", { AUTOTASK_READ_ONLY: "true" }], ["lazy loading", { LAZY_LOADING: "true" }]] as const) {
  const client = await connect(extra);
  const result = await client.listTools();
  listSizes.push([name, result.tools.length, bytes(result)]);
  await client.close();
}

// 2. a page of 25 tickets: raw Autotask JSON vs what the tool returns
const raw = await fetch(`${sandbox.apiUrl}V1.0/Tickets/query`, {
  method: "POST",
  headers: { "Content-Type": "application/json", UserName: env.AUTOTASK_USERNAME, Secret: env.AUTOTASK_SECRET, ApiIntegrationCode: env.AUTOTASK_INTEGRATION_CODE },
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
console.log("\ntools/list (JSON bytes of the result; ~tokens at 4 bytes/token)");
console.log("| listing | tools | bytes | ~tokens | vs all |");
console.log("|---|---:|---:|---:|---:|");
for (const [name, count, size] of listSizes) console.log(`| ${name} | ${count} | ${size} | ${tokens(size)} | ${(size / listSizes[0]![2]).toFixed(3)} |`);
console.log("\nA page of 25 open tickets");
console.log("| | bytes | ~tokens |");
console.log("|---|---:|---:|");
console.log(`| raw Autotask JSON (no names) | ${rawBytes} | ${tokens(rawBytes)} |`);
console.log(`| autotask_search_tickets (names + labels) | ${toolBytes} | ${tokens(toolBytes)} |`);
console.log(`| ratio tool / raw | ${(toolBytes / rawBytes).toFixed(3)} | |`);
console.log(`\nAutotask requests for that page, names resolved: cold cache ${coldRequests.length} (${coldRequests.map((r) => r.path.replace(/.*V1\.0\//i, "")).join(", ")}); next page, warm ${warmRequests.length} (${warmRequests.map((r) => r.path.replace(/.*V1\.0\//i, "")).join(", ")})`);
