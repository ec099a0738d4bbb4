/**
 * System programs some tests need besides Node and Bun: headless Debian Chromium (hosted-mode pages,
 * MCP Apps views, driven by playwright-core), shellcheck (install.sh), and PostgreSQL, Redis and
 * nginx (several replicas, see engines.ts). On a developer machine without them those tests are
 * skipped with one line saying how to run them, so `npm test` works on a fresh machine; under
 * .ci/run (AUTOTASK_MCP_CI=1, after it has installed them) a missing program fails instead, so CI
 * can never turn green by skipping.
 */
import { describe, test } from "bun:test";
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** As the machine notes say: without the background-networking flags Chromium dials out at start. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const required = process.env.AUTOTASK_MCP_CI === "1";
const warned = new Set<string>();

/** Whether tests needing `what` run here; says once why not. */
function runs(what: string, present: boolean, hint: string): boolean {
  if (present || required) return true;
  if (!warned.has(what)) {
    warned.add(what);
    process.stderr.write(`note: skipping tests that need ${what} (${hint}; .ci/run installs it)\n`);
  }
  return false;
}

const hasChromium = existsSync(CHROMIUM);

/** `describe` for browser tests: skipped (with one notice) when Chromium is absent, outside CI. */
export function describeWithBrowser(name: string, body: () => void): void {
  (runs("Chromium", hasChromium, `apt-get install -y chromium, or set CHROMIUM_PATH`) ? describe : describe.skip)(name, body);
}

/** `describe` for tests that need system programs (`missing`: those absent here): skipped with one notice, outside CI. */
export function describeWithPrograms(name: string, missing: string[], hint: string, body: () => void): void {
  (runs(missing.join(", ") || "nothing", missing.length === 0, hint) ? describe : describe.skip)(name, body);
}

/** `test` for a test that runs a command from PATH (shellcheck): skipped when it is absent, outside CI. */
export function testWithCommand(command: string): typeof test {
  return runs(command, Bun.which(command) !== null, `apt-get install -y ${command}`) ? test : (test.skip as typeof test);
}
