/**
 * Scale-out bench: one replica against three behind nginx sharing Autotask's limits through Redis,
 * at a fake Autotask latency of 0 and 15 ms, in the same run; and what the Redis semaphore adds
 * to each call.
 *
 *   bun bench/scale.ts            (needs redis-server and nginx; CALLS=2000 CONCURRENCY=48 by default)
 *
 * Load: CALLS tool calls (autotask_get_entity on Companies) alternating between two tenants,
 * CONCURRENCY callers each waiting for its answer before sending the next. At 15 ms the limit is
 * Autotask's rule — 3 requests in flight per tenant and endpoint — so the table also shows the
 * share of what the rule allows (3 per tenant / the sandbox's mean time per request).
 * The semaphore's cost: acquire + release of a free slot, MemoryCoordinator against the Redis one
 * (what every Autotask request pays); how close slot handoffs come to the ideal without HTTP in the
 * way; and end to end, sequential calls to one replica without and with REDIS_URL at latency 0.
 */
import type { Coordinator } from "../src/coord/coordinator.ts";
import { MemoryCoordinator } from "../src/coord/memory.ts";
import { openRedisCoordinator } from "../src/coord/redis.ts";
import { silentLogger } from "../src/log.ts";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { startNginx, startRedis } from "../test/helpers/engines.ts";
import { startReplica, startReplicas, type Replica } from "../test/helpers/replicas.ts";
import { headersFor, printTable, quantile, ROOT, toolCall } from "./lib.ts";

const CALLS = Number(process.env.CALLS ?? 2000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 48);
const TENANTS: SandboxTenant[] = [
  { username: "api@alpha-bench.example", secret: "alpha-bench-secret", integrationCode: "ALPHA-BENCH", label: "Alpha Bench", seed: 21 },
  { username: "api@beta-bench.example", secret: "beta-bench-secret", integrationCode: "BETA-BENCH", label: "Beta Bench", seed: 22 },
];
const BODY = toolCall("autotask_get_entity", { entity: "Companies", id: 0 });

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Share of what the 3-thread rule allows, when the sandbox has latency. */
  ofAllowed?: number;
}

/** CALLS calls through `url` by CONCURRENCY callers. */
async function load(url: string, sandbox: Sandbox, calls = CALLS, concurrency = CONCURRENCY): Promise<Result> {
  const first = sandbox.requests.length;
  const times: number[] = [];
  let errors = 0;
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < calls; i = next++) {
        const sent = performance.now();
        const response = await fetch(`${url}/mcp`, { method: "POST", headers: headersFor(TENANTS[i % 2]!), body: BODY });
        const text = await response.text();
        times.push(performance.now() - sent);
        if (response.status !== 200 || text.includes('"isError":true')) errors++;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const upstream = sandbox.requests.slice(first).filter((entry) => entry.entity === "Companies");
  const allowed = TENANTS.reduce((sum, tenant) => {
    const durations = upstream.filter((entry) => entry.tenant === tenant.label).map((entry) => entry.durationMs);
    return sum + 3 / (durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length) / 1000);
  }, 0);
  const perSecond = calls / seconds;
  return { perSecond, p50: quantile(times, 0.5), p99: quantile(times, 0.99), errors, ...(sandbox.requests.length ? { ofAllowed: perSecond / allowed } : {}) };
}

function env(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  // warn: no access log line per call, whose writing and reading would cost the run CPU.
  return { AUTH_MODE: "gateway", AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl, AUTOTASK_ALLOWED_API_HOSTS: new URL(sandbox.url).host, LOG_LEVEL: "warn", ...extra };
}

/** Every replica meets every tenant once (zone, secret checked), as in a running deployment. */
async function warm(replicas: Replica[]): Promise<void> {
  for (const replica of replicas) for (const tenant of TENANTS) await fetch(`${replica.url}/mcp`, { method: "POST", headers: headersFor(tenant), body: BODY }).then((r) => r.text());
}

/**
 * The semaphore alone, without HTTP: `holds` acquisitions of one key (limit 3) spread over the
 * coordinators, each held about 15 ms. Returns the share of the time the 3 slots were held.
 */
async function handoff(coordinators: Coordinator[], holds = 600): Promise<number> {
  let next = 0;
  let held = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: 24 }, async (_, worker) => {
      for (let i = next++; i < holds; i = next++) {
        const release = await coordinators[worker % coordinators.length]!.acquire("threads:handoff", 3, "first");
        const from = performance.now();
        await Bun.sleep(15);
        held += performance.now() - from;
        release();
      }
    }),
  );
  return held / (3 * (performance.now() - began));
}

async function semaphoreCost(redisUrl: string): Promise<string[][]> {
  const rows: string[][] = [];
  for (const [label, coordinator] of [
    ["MemoryCoordinator", new MemoryCoordinator()],
    ["Redis (loopback)", await openRedisCoordinator({ url: redisUrl, log: silentLogger })],
  ] as const) {
    const samples: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const began = performance.now();
      const release = await coordinator.acquire("threads:bench", 3, "first");
      release();
      samples.push((performance.now() - began) * 1000);
    }
    await coordinator.close();
    rows.push([label, `${quantile(samples, 0.5).toFixed(0)} µs`, `${quantile(samples, 0.99).toFixed(0)} µs`]);
  }
  const memory = await handoff([new MemoryCoordinator()]);
  const replicas = await Promise.all([1, 2, 3].map(() => openRedisCoordinator({ url: redisUrl, log: silentLogger })));
  const shared = await handoff(replicas);
  await Promise.all(replicas.map((replica) => replica.close()));
  rows.push(["slots busy, 15 ms holds: 1 MemoryCoordinator", `${(100 * memory).toFixed(0)} %`, ""]);
  rows.push(["slots busy, 15 ms holds: 3 Redis coordinators", `${(100 * shared).toFixed(0)} %`, ""]);
  return rows;
}

const redis = await startRedis();
const rows: string[][] = [];
try {
  for (const latencyMs of [0, 15]) {
    const sandbox = await startSandbox({ tenants: TENANTS, latencyMs });
    const one = await startReplica(env(sandbox));
    await warm([one]);
    const single = await load(one.url, sandbox);
    await one.kill();

    const three = await startReplicas(3, env(sandbox, { REDIS_URL: redis.url }));
    await warm(three);
    const nginx = await startNginx(`${ROOT}deploy/nginx.conf`, three.map((replica) => `127.0.0.1:${replica.port}`));
    const spread = await load(nginx.url, sandbox);
    await nginx.stop();
    await Promise.all(three.map((replica) => replica.kill()));
    await sandbox.stop();

    for (const [label, result] of [
      ["1 replica (no Redis)", single],
      ["3 replicas + Redis + nginx", spread],
    ] as const) {
      rows.push([
        `${latencyMs} ms`,
        label,
        result.perSecond.toFixed(0),
        `${result.p50.toFixed(1)} ms`,
        `${result.p99.toFixed(1)} ms`,
        latencyMs ? `${(100 * result.ofAllowed!).toFixed(0)} %` : "-",
        String(result.errors),
      ]);
    }
  }
  console.log(`\n${CALLS} calls, ${CONCURRENCY} callers, two tenants (one endpoint each)\n`);
  printTable(["latency", "setup", "calls/s", "p50", "p99", "of 3-thread limit", "errors"], rows);

  console.log("\nthe semaphore alone: acquire + release of a free slot (3,000 times)\n");
  printTable(["coordinator", "p50", "p99"], await semaphoreCost(redis.url));

  // End to end: sequential calls to one replica at latency 0, without and with REDIS_URL.
  const sandbox = await startSandbox({ tenants: TENANTS });
  const e2e: string[][] = [];
  for (const [label, extra] of [
    ["1 replica, no Redis", {}],
    ["1 replica, REDIS_URL", { REDIS_URL: redis.url }],
  ] as const) {
    const replica = await startReplica(env(sandbox, extra));
    await warm([replica]);
    const result = await load(replica.url, sandbox, 1000, 1);
    await replica.kill();
    e2e.push([label, `${result.p50.toFixed(2)} ms`, `${result.p99.toFixed(2)} ms`]);
  }
  await sandbox.stop();
  console.log("\none call at a time (1,000 calls), latency 0: what REDIS_URL adds per call\n");
  printTable(["setup", "p50", "p99"], e2e);
} finally {
  await redis.dispose();
}
