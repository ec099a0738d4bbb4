/**
 * A mixed-endpoint workload (issue 9 §8): one tenant, 12 callers spreading their calls over four
 * endpoints (Companies, Tickets, Contacts, Resources). Autotask allows 3 concurrent requests per
 * integration code per endpoint, so a gate keyed by endpoint runs up to 12 at once where a gate for
 * the whole tenant runs 3. Prints throughput and latency, and checks the limit held (the
 * simulator's highest concurrency per endpoint, and its thread-limit 429s).
 *
 *   node_modules/.bin/bun bench/endpoints.ts
 *   BASELINE=/work/main node_modules/.bin/bun bench/endpoints.ts   # before/after
 *
 * The simulator answers after 50 ms. About 12 s per server.
 */
import { DEFAULT_SANDBOX_TENANT, startSandbox } from "../src/sandbox/index.ts";
import { headersFor, printTable, quantile, startServers, toolCall } from "./lib.ts";

const CALLERS = 12;
const RUN_MS = 10_000;
const CALLS = [
  toolCall("autotask_get_entity", { entity: "Companies", id: 0 }),
  toolCall("autotask_count", { entity: "Tickets" }),
  toolCall("autotask_count", { entity: "Contacts" }),
  toolCall("autotask_test_connection"),
];

const sandbox = await startSandbox({ requestThreshold: 10_000_000, latencyMs: 50 });
const headers = headersFor(DEFAULT_SANDBOX_TENANT);

const rows: string[][] = [];
for (const server of await startServers(sandbox)) {
  for (const body of CALLS) await (await fetch(server.mcp, { method: "POST", headers, body })).text(); // warm up
  sandbox.reset();
  const latencies: number[] = [];
  let errors = 0;
  const began = performance.now();
  const until = Date.now() + RUN_MS;
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, worker) => {
      for (let i = worker; Date.now() < until; i++) {
        const start = performance.now();
        const text = await (await fetch(server.mcp, { method: "POST", headers, body: CALLS[i % CALLS.length]! })).text();
        latencies.push(performance.now() - start);
        if (text.includes('"isError":true')) errors++;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  await server.stop();
  const throttled = sandbox.requests.filter((entry) => entry.status === 429).length;
  rows.push([
    server.label,
    String(latencies.length),
    (latencies.length / seconds).toFixed(1),
    quantile(latencies, 0.5).toFixed(0),
    quantile(latencies, 0.99).toFixed(0),
    String(sandbox.maxInFlightPerEndpoint()),
    String(throttled),
    String(errors),
  ]);
}
await sandbox.stop();

console.log(`Mixed endpoints: ${CALLERS} callers, one tenant, 4 endpoints, simulator latency 50 ms, ${RUN_MS / 1000} s (${navigator.hardwareConcurrency} CPUs)\n`);
printTable(["server", "calls", "calls/s", "p50 ms", "p99 ms", "max per endpoint", "429s", "errors"], rows);
if (rows.length === 2) console.log(`\nthroughput: ${(Number(rows[1]![2]) / Number(rows[0]![2])).toFixed(2)}x the baseline`);
