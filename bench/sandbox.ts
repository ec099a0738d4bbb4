/**
 * What starting the built-in sandbox costs (`--sandbox`, and every test file that starts one):
 * seeding one tenant's data, and startSandbox with one and with two tenants (seeding plus the HTTP
 * listener; stopped again in each run). Median of 15 after 2 warm-up runs. Moved here from a test
 * that asserted a bound: performance is measured, not asserted.
 *
 *   node_modules/.bin/bun bench/sandbox.ts
 */
import { seedTenant } from "../src/sandbox/seed/index.ts";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type SandboxTenant } from "../src/sandbox/index.ts";

const RUNS = 15;
const WARMUP = 2;
const SECOND: SandboxTenant = { username: "ops@second-msp.example", secret: "second-s3cret", integrationCode: "SECOND-INTEGRATION", label: "Second MSP" };

async function median(run: () => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const started = performance.now();
    await run();
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const rows: Array<[string, number]> = [
  ["seed one tenant", await median(() => void seedTenant(DEFAULT_SANDBOX_TENANT, 0))],
  ["startSandbox, one tenant", await median(async () => (await startSandbox()).stop())],
  ["startSandbox, two tenants", await median(async () => (await startSandbox({ tenants: [DEFAULT_SANDBOX_TENANT, SECOND] })).stop())],
];

console.log(`| what (median of ${RUNS}) | ms |`);
console.log("|---|---:|");
for (const [label, ms] of rows) console.log(`| ${label} | ${ms.toFixed(1)} |`);
