/**
 * What speaking both protocol eras costs: tools/call over HTTP in each era against the same run's
 * figures for a baseline checkout (the pre-2026 server, default /work/main) and a bare Bun.serve,
 * a client's first call from scratch in each era (2025: initialize + initialized + call; 2026-07-28:
 * the call alone), and cold start of `stdio` to the first answer in each era. Loopback only, about
 * a minute.
 *
 *   node_modules/.bin/bun bench/eras.ts
 *   BASELINE=/path/to/other/checkout node_modules/.bin/bun bench/eras.ts
 *
 * Every server runs in env mode against the simulator in this process, LOG_LEVEL=info (the access
 * log is paid for); the tool is autotask_test_connection (zone cached, one Resources query). The
 * requests are what the official clients send: the v1 client accepts SSE (and gets it in 2025),
 * the v2 client pinned to 2026-07-28 sends the `_meta` envelope and routing headers (and gets JSON).
 */
import { existsSync } from "node:fs";
import { DEFAULT_SANDBOX_TENANT, startSandbox } from "../src/sandbox/index.ts";
import { CONCURRENCY, cpuSeconds, f0, f1, f2, load, postWork, printTable, runCells, spawnServer, type Child, type Run, type Work } from "./load.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BASELINE = process.env.BASELINE ?? "/work/main";
const WARMUP = 500;
const MEASURED = 2_000;
const SESSIONS = 700;
/** Every HTTP row runs once per round, rounds interleaved; the best round counts (least disturbed). */
const ROUNDS = 3;
const COLD_STARTS = 10;
const DEADLINE = Date.now() + 240_000;

if (!existsSync(`${BASELINE}/src/cli.ts`) || !existsSync(`${BASELINE}/node_modules`)) {
  throw new Error(`BASELINE=${BASELINE} must be a checkout with node_modules (npm ci)`);
}
const baselineCommit = Bun.spawnSync(["git", "-C", BASELINE, "rev-parse", "--short", "HEAD"]).stdout.toString().trim();

const sandbox = await startSandbox({ requestThreshold: 10_000_000 });
const tenant = DEFAULT_SANDBOX_TENANT;
const ENV = {
  AUTH_MODE: "env",
  AUTOTASK_USERNAME: tenant.username,
  AUTOTASK_SECRET: tenant.secret,
  AUTOTASK_INTEGRATION_CODE: tenant.integrationCode,
  AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl,
};

const TOOL = "autotask_test_connection";
const META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};
const INITIALIZE = { jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } } };
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };
const CALL_2025 = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: TOOL, arguments: {} } };
const CALL_2026 = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: TOOL, arguments: {}, _meta: META } };
const DISCOVER = { jsonrpc: "2.0", id: 0, method: "server/discover", params: { _meta: META } };

const JSON_ONLY = { "Content-Type": "application/json", Accept: "application/json" };
const CLIENT_2025 = { "Content-Type": "application/json", Accept: "application/json, text/event-stream", "MCP-Protocol-Version": "2025-11-25" };
const CLIENT_2026 = { ...CLIENT_2025, "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": TOOL };

/** A 2025 client's first call: initialize, then initialized, then the call — three round trips. */
function session2025(url: string): Work {
  const { "MCP-Protocol-Version": _version, ...opening } = CLIENT_2025;
  return async () => {
    const init = await fetch(url, { method: "POST", headers: opening, body: JSON.stringify(INITIALIZE) });
    if (init.status !== 200 || !(await init.text()).includes("protocolVersion")) return false;
    const initialized = await fetch(url, { method: "POST", headers: CLIENT_2025, body: JSON.stringify(INITIALIZED) });
    await initialized.text();
    return initialized.status === 202 && (await postWork(url, JSON.stringify(CALL_2025), CLIENT_2025)());
  };
}

/** A run plus the server's CPU time per unit of work (µs). */
async function measure(server: Child, work: Work, total = MEASURED): Promise<Run & { cpuMicros: number }> {
  await load(work, WARMUP, DEADLINE);
  const cpuBefore = cpuSeconds(server.proc.pid);
  const run = await load(work, total, DEADLINE);
  return { ...run, cpuMicros: ((cpuSeconds(server.proc.pid) - cpuBefore) / run.calls) * 1e6 };
}

// ---------------------------------------------------------------------------------------------
// HTTP

const branch = await spawnServer(["src/cli.ts", "serve", "--port", "0", "--host", "127.0.0.1"], { ...ENV, LOG_LEVEL: "info" }, ROOT);
const baseline = await spawnServer(["src/cli.ts", "serve", "--port", "0", "--host", "127.0.0.1"], { ...ENV, LOG_LEVEL: "info" }, BASELINE);
const mcp = (child: Child) => `${child.url}/mcp`;

const answer = await (await fetch(mcp(branch), { method: "POST", headers: JSON_ONLY, body: JSON.stringify(CALL_2025) })).text();
if (!answer.includes('"success":true')) throw new Error(`the tool call did not work: ${answer.slice(0, 300)}`);
const modernCheck = await fetch(mcp(branch), { method: "POST", headers: CLIENT_2026, body: JSON.stringify(CALL_2026) });
if (modernCheck.status !== 200 || !modernCheck.headers.get("content-type")?.startsWith("application/json")) throw new Error(`2026-07-28 call failed: ${modernCheck.status}`);
await modernCheck.text();
const bare = await spawnServer(
  ["-e", `const body = process.env.BODY; const s = Bun.serve({ port: 0, hostname: "127.0.0.1", reusePort: false, async fetch(r) { await r.text(); return new Response(body, { headers: { "Content-Type": "application/json" } }); } }); console.error("listening url=http://127.0.0.1:" + s.port);`],
  { BODY: answer },
  ROOT,
);

type Measured = Run & { cpuMicros: number };
const ROWS: Array<[string, Child, Work, number?]> = [
  ["bare Bun.serve, same JSON", bare, postWork(mcp(bare), JSON.stringify(CALL_2025), JSON_ONLY)],
  // Baseline and branch alternate so that drift on a shared machine hits both alike.
  [`baseline ${baselineCommit}: 2025 tools/call, JSON`, baseline, postWork(mcp(baseline), JSON.stringify(CALL_2025), JSON_ONLY)],
  ["this branch: 2025 tools/call, JSON", branch, postWork(mcp(branch), JSON.stringify(CALL_2025), JSON_ONLY)],
  [`baseline ${baselineCommit}: 2025 tools/call, v1 client (SSE)`, baseline, postWork(mcp(baseline), JSON.stringify(CALL_2025), CLIENT_2025)],
  ["this branch: 2025 tools/call, v1 client (SSE)", branch, postWork(mcp(branch), JSON.stringify(CALL_2025), CLIENT_2025)],
  ["this branch: 2026-07-28 tools/call, v2 client", branch, postWork(mcp(branch), JSON.stringify(CALL_2026), CLIENT_2026)],
  [`baseline ${baselineCommit}: 2025 first call (init+initialized+call)`, baseline, session2025(mcp(baseline)), SESSIONS],
  ["this branch: 2025 first call (init+initialized+call)", branch, session2025(mcp(branch)), SESSIONS],
  ["this branch: 2026-07-28 first call (the call alone)", branch, postWork(mcp(branch), JSON.stringify(CALL_2026), CLIENT_2026), SESSIONS],
];
const rounds: Measured[][] = ROWS.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, [, server, work, total]] of ROWS.entries()) rounds[index]!.push(await measure(server, work, total));
}
/** The round with the highest throughput, with the lowest CPU per call seen in any round. */
const httpRows: Array<[string, Measured]> = ROWS.map(([label], index) => {
  const runs = rounds[index]!;
  const fastest = runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return [label, { ...fastest, cpuMicros: Math.min(...runs.map((run) => run.cpuMicros)) }];
});

for (const child of [branch, baseline, bare]) child.proc.kill("SIGTERM");
await Promise.all([branch, baseline, bare].map((child) => child.proc.exited));

// ---------------------------------------------------------------------------------------------
// stdio cold start: spawn to the first tool answer, as each era's client opens

type Step = { send: object[]; until: number };

/** Milliseconds from spawn to the answer with id `steps.at(-1).until`; each step waits for its id. */
async function coldStart(cwd: string, steps: Step[]): Promise<number> {
  const began = performance.now();
  const proc = Bun.spawn([process.execPath, "src/cli.ts", "stdio"], { cwd, env: { PATH: process.env.PATH ?? "", ...ENV, LOG_LEVEL: "warn" }, stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (const step of steps) {
      for (const message of step.send) proc.stdin.write(`${JSON.stringify(message)}\n`);
      await proc.stdin.flush();
      for (;;) {
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        const reply = lines.map((line) => JSON.parse(line)).find((message) => message.id === step.until);
        if (reply) {
          if (!reply.result || reply.result.isError) throw new Error(`stdio answer failed: ${JSON.stringify(reply).slice(0, 300)}`);
          break;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stdio server exited before answering");
        buffered += decoder.decode(value);
      }
    }
    return performance.now() - began;
  } finally {
    proc.stdin.end();
    await proc.exited;
  }
}

const OPENINGS: Array<[string, string, Step[]]> = [
  [`baseline ${baselineCommit}: 2025 (initialize, then initialized + call)`, BASELINE, [{ send: [INITIALIZE], until: 0 }, { send: [INITIALIZED, CALL_2025], until: 1 }]],
  ["this branch: 2025 (initialize, then initialized + call)", ROOT, [{ send: [INITIALIZE], until: 0 }, { send: [INITIALIZED, CALL_2025], until: 1 }]],
  ["this branch: 2026-07-28 pinned (the call alone)", ROOT, [{ send: [CALL_2026], until: 1 }]],
  ["this branch: 2026-07-28 negotiating (server/discover, then the call)", ROOT, [{ send: [DISCOVER], until: 0 }, { send: [CALL_2026], until: 1 }]],
];
// Interleaved, so that drift on a shared machine hits every opening alike.
const coldTimes = OPENINGS.map(() => [] as number[]);
for (const [, cwd, steps] of OPENINGS) await coldStart(cwd, steps); // warm the file cache
for (let i = 0; i < COLD_STARTS; i++) {
  for (const [index, [, cwd, steps]] of OPENINGS.entries()) coldTimes[index]!.push(await coldStart(cwd, steps));
}
const coldRows = OPENINGS.map(([label], index) => {
  const times = coldTimes[index]!.sort((a, b) => a - b);
  return [label, f1(times[0]!), f1(times[Math.floor(times.length / 2)]!), f1(times.at(-1)!)];
});
await sandbox.stop();

// ---------------------------------------------------------------------------------------------

const cpus = require("node:os").cpus().length;
console.log(`tools/call over HTTP, loopback, ${CONCURRENCY} concurrent workers, tool ${TOOL}, baseline ${BASELINE} @ ${baselineCommit} (${cpus} CPUs), best of ${ROUNDS} rounds\n`);
printTable(["", "calls", "calls/s", "p50 ms", "p99 ms", "errors", "server CPU µs/call"], httpRows.map(([label, run]) => [label, ...runCells(run), f0(run.cpuMicros)]));
const find = (label: string) => httpRows.find(([l]) => l.startsWith(label))![1];
/** Throughput ratio, and the inverse ratio of server CPU per call (higher is better for both). */
const ratio = (a: string, b: string) => `${f2(find(a).perSecond / find(b).perSecond)}x (CPU/call: ${f2(find(b).cpuMicros / find(a).cpuMicros)}x as efficient)`;
console.log("");
const base = `baseline ${baselineCommit}: 2025 tools/call`;
console.log("throughput ratios (and server CPU per call, inverted):");
console.log(`  2025 JSON, branch vs baseline:         ${ratio("this branch: 2025 tools/call, JSON", `${base}, JSON`)}`);
console.log(`  2025 SSE, branch vs baseline:          ${ratio("this branch: 2025 tools/call, v1", `${base}, v1`)}`);
console.log(`  2026-07-28 vs 2025 SSE, this branch:   ${ratio("this branch: 2026-07-28 tools/call", "this branch: 2025 tools/call, v1")}`);
console.log(`  2026-07-28 branch vs 2025 SSE baseline: ${ratio("this branch: 2026-07-28 tools/call", `${base}, v1`)}`);
console.log(`  first call, 2026-07-28 vs 2025:        ${ratio("this branch: 2026-07-28 first call", "this branch: 2025 first call")}`);
console.log(`  2025 JSON, branch vs bare Bun.serve:   ${ratio("this branch: 2025 tools/call, JSON", "bare")}`);
console.log(`\nstdio cold start: spawn to the first tool answer, ms over ${COLD_STARTS} runs\n`);
printTable(["", "min", "median", "max"], coldRows);
if (Date.now() > DEADLINE) console.log("(stopped early at the time limit)");
