/**
 * What speaking both protocol eras costs: tools/call over HTTP in each era against the same run's
 * figures for a baseline checkout (another commit's server, e.g. the one before a protocol change;
 * default /work/main) and a bare Bun.serve, a client's first call from scratch in each era (2025:
 * initialize + initialized + call; 2026-07-28: the call alone), and cold start of `stdio` to the
 * first answer in each era. Loopback only, two to four minutes.
 *
 *   node_modules/.bin/bun bench/eras.ts
 *   git archive <commit> | tar -x -C /tmp/base && (cd /tmp/base && npm ci)
 *   BASELINE=/tmp/base ROUNDS=5 node_modules/.bin/bun bench/eras.ts
 *
 * Every server runs in env mode against the simulator in this process, LOG_LEVEL=info (the access
 * log is paid for); the tool is autotask_test_connection (zone cached, one Resources query). The
 * requests are what the official clients send: the v1 client accepts SSE (and gets it in 2025),
 * the v2 client pinned to 2026-07-28 sends the `_meta` envelope and routing headers (and gets JSON).
 */
import { existsSync } from "node:fs";
import { DEFAULT_SANDBOX_TENANT, startSandbox } from "../src/sandbox/index.ts";
import { sandboxEnv } from "../test/helpers/mcp.ts";
import { CONCURRENCY, f0, f1, f2, load, paired, postWork, printTable, runCells, spawnServer, type Child, type Run, type Side, type Work } from "./load.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BASELINE = process.env.BASELINE ?? "";
const WARMUP = 500;
const MEASURED = 2_000;
const SESSIONS = 700;
/** Rounds per measurement; the least disturbed one counts. */
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const COLD_STARTS = 10;
const DEADLINE = Date.now() + 240_000;

if (!existsSync(`${BASELINE}/src/cli.ts`) || !existsSync(`${BASELINE}/node_modules`)) {
  throw new Error(`BASELINE=${BASELINE} must be a checkout with node_modules (npm ci)`);
}
/** The baseline's commit, or its folder name when it is not a git checkout (an archive). */
const baselineCommit = Bun.spawnSync(["git", "-C", BASELINE, "rev-parse", "--short", "HEAD"]).stdout.toString().trim() || BASELINE.split("/").pop()!;

const sandbox = await startSandbox({ requestThreshold: 10_000_000 });
const tenant = DEFAULT_SANDBOX_TENANT;
const ENV = { AUTH_MODE: "env", ...sandboxEnv(sandbox, tenant) };

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

/** Best-of-rounds throughput of one server on its own (for the comparison with a bare Bun.serve). */
async function alone(work: Work): Promise<Run> {
  await load(work, WARMUP, DEADLINE);
  let best: Run | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const run = await load(work, MEASURED, DEADLINE);
    if (!best || run.perSecond > best.perSecond) best = run;
  }
  return best!;
}

// ---------------------------------------------------------------------------------------------
// HTTP

const serveArgs = ["src/cli.ts", "serve", "--port", "0", "--host", "127.0.0.1"];
const serveEnv = { ...ENV, LOG_LEVEL: "info" };
// Two identical branch servers, so that a comparison of the two eras on this branch still has one
// process (one CPU account) per side.
const [baseline, branch, branch2] = await Promise.all([
  spawnServer(serveArgs, serveEnv, BASELINE),
  spawnServer(serveArgs, serveEnv, ROOT),
  spawnServer(serveArgs, serveEnv, ROOT),
]);
const mcp = (child: Child) => `${child.url}/mcp`;

const answer = await (await fetch(mcp(branch), { method: "POST", headers: JSON_ONLY, body: JSON.stringify(CALL_2025) })).text();
if (!answer.includes('"success":true')) throw new Error(`the tool call did not work: ${answer.slice(0, 300)}`);
const modernCheck = await fetch(mcp(branch2), { method: "POST", headers: CLIENT_2026, body: JSON.stringify(CALL_2026) });
if (modernCheck.status !== 200 || !modernCheck.headers.get("content-type")?.startsWith("application/json")) throw new Error(`2026-07-28 call failed: ${modernCheck.status}`);
await modernCheck.text();
const bare = await spawnServer(
  ["-e", `const body = process.env.BODY; const s = Bun.serve({ port: 0, hostname: "127.0.0.1", reusePort: false, async fetch(r) { await r.text(); return new Response(body, { headers: { "Content-Type": "application/json" } }); } }); console.error("listening url=http://127.0.0.1:" + s.port);`],
  { BODY: answer },
  ROOT,
);

const side = (server: Child, work: Work): Side => ({ pid: server.proc.pid, work });
const call2025 = (server: Child, headers: Record<string, string>) => side(server, postWork(mcp(server), JSON.stringify(CALL_2025), headers));
const call2026 = (server: Child) => side(server, postWork(mcp(server), JSON.stringify(CALL_2026), CLIENT_2026));
const first2025 = (server: Child) => side(server, session2025(mcp(server)));
const base = `baseline ${baselineCommit}`;

const PAIRS: Array<[string, [string, Side], [string, Side], number]> = [
  ["2025 tools/call, JSON (curl, Accept: application/json)", [base, call2025(baseline, JSON_ONLY)], ["this branch", call2025(branch, JSON_ONLY)], MEASURED],
  ["2025 tools/call as the v1 client sends it (SSE answer)", [base, call2025(baseline, CLIENT_2025)], ["this branch", call2025(branch, CLIENT_2025)], MEASURED],
  ["each era's official client, tools/call", [`${base}, 2025 (v1 client)`, call2025(baseline, CLIENT_2025)], ["this branch, 2026-07-28 (v2 client)", call2026(branch2)], MEASURED],
  ["this branch, tools/call per era", ["2025 (v1 client)", call2025(branch, CLIENT_2025)], ["2026-07-28 (v2 client)", call2026(branch2)], MEASURED],
  ["a client's first call from scratch", [`${base}, 2025: initialize + initialized + call`, first2025(baseline)], ["this branch, 2026-07-28: the call alone", call2026(branch2)], SESSIONS],
  ["this branch, first call per era", ["2025: initialize + initialized + call", first2025(branch)], ["2026-07-28: the call alone", call2026(branch2)], SESSIONS],
];
const pairRows: string[][] = [];
const pairSummary: string[] = [];
for (const [title, [labelA, a], [labelB, b], total] of PAIRS) {
  await paired(a, b, WARMUP, 1, DEADLINE);
  const [ra, rb] = await paired(a, b, total, ROUNDS, DEADLINE);
  pairRows.push([title, "", "", "", "", ""]);
  for (const [label, run] of [[labelA, ra], [labelB, rb]] as const) {
    pairRows.push([`  ${label}`, String(run.calls), f2(run.p50), f2(run.p99), String(run.errors), f0(run.cpuMicros)]);
  }
  pairSummary.push(`${title}: ${f2(ra.cpuMicros / rb.cpuMicros)}x the calls per CPU-second, p50 ${f2(ra.p50 / rb.p50)}x as fast`);
}

const bareRun = await alone(postWork(mcp(bare), JSON.stringify(CALL_2025), JSON_ONLY));
const baselineRun = await alone(call2025(baseline, JSON_ONLY).work);
const modernRun = await alone(call2026(branch2).work);

for (const child of [branch, branch2, baseline, bare]) child.proc.kill("SIGTERM");
await Promise.all([branch, branch2, baseline, bare].map((child) => child.proc.exited));

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
console.log(`tools/call over HTTP, loopback, ${CONCURRENCY} concurrent workers, tool ${TOOL}, baseline ${BASELINE} @ ${baselineCommit} (${cpus} CPUs)\n`);
console.log(`A/B pairs, interleaved request by request; per side the least disturbed of ${ROUNDS} rounds`);
printTable(["", "calls", "p50 ms", "p99 ms", "errors", "server CPU µs/call"], pairRows);
console.log("\nB against A (higher is better for B):");
for (const line of pairSummary) console.log(`  ${line}`);
console.log(`\nalone, best of ${ROUNDS} rounds`);
printTable(
  ["", "calls", "calls/s", "p50 ms", "p99 ms", "errors"],
  [
    ["bare Bun.serve, same JSON", ...runCells(bareRun)],
    [`${base}: 2025 tools/call, JSON`, ...runCells(baselineRun)],
    ["this branch: 2026-07-28 tools/call, v2 client", ...runCells(modernRun)],
  ],
);
console.log(`this branch, 2026-07-28 vs bare Bun.serve: ${f2(modernRun.perSecond / bareRun.perSecond)}x the throughput; vs ${base} 2025 JSON: ${f2(modernRun.perSecond / baselineRun.perSecond)}x`);
console.log(`\nstdio cold start: spawn to the first tool answer, ms over ${COLD_STARTS} runs\n`);
printTable(["", "min", "median", "max"], coldRows);
if (Date.now() > DEADLINE) console.log("(stopped early at the time limit)");
