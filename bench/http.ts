/**
 * What the HTTP transport costs: tool calls per second over HTTP against a bare Bun.serve answering
 * the same JSON (measured in the same run), the latency the server adds, and whether memory grows
 * over 10,000 calls. Loopback only, about 30 s.
 *
 *   node_modules/.bin/bun bench/http.ts
 *
 * Layout: the MCP server (`autotask-mcp serve`, env mode, LOG_LEVEL=info so the access log is paid
 * for) and the bare baseline each run in their own process; the Autotask simulator and the load
 * loop (8 concurrent workers) run in this one. The tool is autotask_test_connection: zone (cached)
 * plus one Resources query upstream.
 */
import { DEFAULT_SANDBOX_TENANT, startSandbox } from "../src/sandbox/index.ts";
import { sandboxEnv } from "../test/helpers/mcp.ts";
import { CONCURRENCY, f1, f2, load as loadWork, postWork, printTable, runCells, spawnServer, type Run } from "./load.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const WARMUP = 1_000;
const MEASURED = 4_000;
const LEAK_CALLS = 10_000;
const DEADLINE = Date.now() + 40_000;

// The simulator enforces Autotask's 10,000 requests per hour; a benchmark needs more.
const sandbox = await startSandbox({ requestThreshold: 10_000_000 });
const tenant = DEFAULT_SANDBOX_TENANT;
const PING = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
const CALL = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "autotask_test_connection", arguments: {} } });
const HEADERS = { "Content-Type": "application/json", Accept: "application/json" };

const spawn = (args: string[], env: Record<string, string>) => spawnServer(args, env, ROOT);

function rssMiB(pid: number): number {
  const status = require("node:fs").readFileSync(`/proc/${pid}/status`, "utf8") as string;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** `total` POSTs of `body` from CONCURRENCY workers, each waiting for its answer before the next. */
function load(url: string, body: string, total: number, headers: Record<string, string> = HEADERS): Promise<Run> {
  return loadWork(postWork(url, body, headers), total, DEADLINE);
}

// The MCP server, and one call to learn the exact answer and the upstream request it makes.
const mcp = await spawn(["src/cli.ts", "serve", "--port", "0", "--host", "127.0.0.1"], {
  AUTH_MODE: "env",
  ...sandboxEnv(sandbox, tenant),
  LOG_LEVEL: "info",
});
const mcpUrl = `${mcp.url}/mcp`;
const before = sandbox.requests.length;
const answer = await (await fetch(mcpUrl, { method: "POST", headers: HEADERS, body: CALL })).text();
const upstreamEntry = sandbox.requests.slice(before).find((entry) => entry.path.includes("Resources/query"));
if (!upstreamEntry || !answer.includes('"success":true')) throw new Error(`the tool call did not work: ${answer.slice(0, 300)}`);

// The baseline: a bare Bun.serve that reads the body and answers the same bytes.
const bareSource = `
const body = process.env.BODY;
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", reusePort: false, async fetch(req) {
  await req.text();
  return new Response(body, { headers: { "Content-Type": "application/json" } });
} });
console.error("listening url=http://127.0.0.1:" + server.port);
`;
const bare = await spawn(["-e", bareSource], { BODY: answer });

// What the tool's Autotask call costs on its own (straight to the simulator).
const upstreamUrl = new URL(upstreamEntry.path, sandbox.url).toString();
const upstreamHeaders = { "Content-Type": "application/json", UserName: tenant.username, Secret: tenant.secret, ApiIntegrationCode: tenant.integrationCode };
const upstreamBody = JSON.stringify(upstreamEntry.body);

await load(bare.url, CALL, WARMUP);
const bareRun = await load(bare.url, CALL, MEASURED);
await load(upstreamUrl, upstreamBody, WARMUP, upstreamHeaders);
const upstreamRun = await load(upstreamUrl, upstreamBody, MEASURED, upstreamHeaders);
await load(mcpUrl, PING, WARMUP);
const pingRun = await load(mcpUrl, PING, MEASURED);
await load(mcpUrl, CALL, WARMUP);
const rssWarm = rssMiB(mcp.proc.pid);
const mcpRun = await load(mcpUrl, CALL, MEASURED);
const leakRun = await load(mcpUrl, CALL, LEAK_CALLS - MEASURED);
const rss10k = rssMiB(mcp.proc.pid);
const extraRun = await load(mcpUrl, CALL, 5_000);
const rss15k = rssMiB(mcp.proc.pid);

mcp.proc.kill("SIGTERM");
bare.proc.kill("SIGTERM");
await Promise.all([mcp.proc.exited, bare.proc.exited]);
await sandbox.stop();

const rows = [
  ["bare Bun.serve, same JSON", ...runCells(bareRun)],
  ["Autotask call alone (simulator)", ...runCells(upstreamRun)],
  ["MCP ping over HTTP (no Autotask call)", ...runCells(pingRun)],
  ["MCP tools/call over HTTP", ...runCells(mcpRun)],
];
console.log(`HTTP transport, loopback, ${CONCURRENCY} concurrent workers, tool autotask_test_connection (${require("node:os").cpus().length} CPUs)\n`);
printTable(["", "calls", "calls/s", "p50 ms", "p99 ms", "errors"], rows);
console.log("");
console.log(`MCP vs bare Bun.serve:        ${f2(mcpRun.perSecond / bareRun.perSecond)}x the throughput (${f1(bareRun.perSecond / mcpRun.perSecond)}x slower)`);
console.log(`latency added by the server:  p50 ${f2(mcpRun.p50 - bareRun.p50)} ms, p99 ${f2(mcpRun.p99 - bareRun.p99)} ms over bare (incl. the Autotask call: p50 ${f2(upstreamRun.p50)} ms alone)`);
console.log(`transport alone (ping):       p50 ${f2(pingRun.p50 - bareRun.p50)} ms over bare, ${f2(pingRun.perSecond / bareRun.perSecond)}x the throughput`);
console.log(`server RSS:                   ${f1(rssWarm)} MiB after warm-up, ${f1(rss10k)} MiB after ${WARMUP + 1 + mcpRun.calls + leakRun.calls} calls, ${f1(rss15k)} MiB after ${extraRun.calls} more (${rss15k - rss10k >= 0 ? "+" : ""}${f1(rss15k - rss10k)} MiB)`);
const errors = mcpRun.errors + leakRun.errors + extraRun.errors;
if (errors) console.log(`errors: ${errors}`);
if (Date.now() > DEADLINE) console.log("(stopped early at the time limit)");
