/**
 * Autotask's limits as the gateway keeps them, over real HTTP against the sandbox: the thread limit
 * keyed by database + integration code + endpoint, the failed-login guard per API user name, and
 * draining on shutdown with started calls first. (Issue 9 §2, §7, §8.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { AutotaskClient } from "../src/autotask/client.ts";
import { ZoneResolver } from "../src/autotask/zone.ts";
import { LOGIN_BURST, LOGIN_REFILL_MS, MemoryCoordinator } from "../src/coord/memory.ts";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { callBody, credentialHeaders, post, resultText, startGateway } from "./helpers/gateway.ts";
import { sandboxHost } from "./helpers/mcp.ts";

/** One database with nine API users: the owner and eight colleagues, all with the same integration code. */
const COLLEAGUES = Array.from({ length: 8 }, (_, i) => ({ username: `colleague${i}@alpha-limits.example`, secret: `colleague-secret-${i}` }));
const ALPHA: SandboxTenant = { username: "api@alpha-limits.example", secret: "alpha-limits-secret", integrationCode: "ALPHA-LIMITS-CODE", label: "Alpha MSP", apiUsers: COLLEAGUES };
const BETA: SandboxTenant = { username: "api@beta-limits.example", secret: "beta-limits-secret", integrationCode: "BETA-LIMITS-CODE", label: "Beta IT" };

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ tenants: [ALPHA, BETA] });
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.faults.clear());

const since = (before: number) => sandbox.requests.slice(before).filter((entry) => !entry.path.includes("zoneInformation"));

describe("limits keyed by what Autotask limits (§8)", () => {
  test("other API users of the same database share its 3 threads per endpoint: no thread-limit 429s", async () => {
    const gateway = await startGateway(sandbox, { AUTOTASK_MAX_RETRIES: "3" });
    try {
      sandbox.faults.inject({ path: "/Companies/0", delayMs: 150 });
      const before = sandbox.requests.length;
      const users = [{ username: ALPHA.username, secret: ALPHA.secret }, ...COLLEAGUES];
      const results = await Promise.all(
        Array.from({ length: 18 }, (_, i) => gateway.call({ ...users[i % users.length]!, integrationCode: ALPHA.integrationCode, label: "" }, "autotask_get_entity", { entity: "Companies", id: 0 })),
      );
      expect(results.every(({ result }) => !result.isError)).toBe(true);
      const upstream = since(before);
      expect(upstream.filter((entry) => entry.status === 429)).toHaveLength(0);
      expect(upstream.filter((entry) => entry.status === 200).length).toBeGreaterThanOrEqual(18);
    } finally {
      await gateway.http.stop({ timeoutMs: 1000 });
    }
  }, 20_000);

  test("different endpoints do not queue behind each other", async () => {
    const gateway = await startGateway(sandbox);
    try {
      await gateway.call(ALPHA, "autotask_test_connection"); // zone and secret checked: what follows is only the gate
      sandbox.faults.inject({ path: "/Tickets/query/count", delayMs: 1500 });
      const slow = Array.from({ length: 3 }, () => gateway.call(ALPHA, "autotask_count", { entity: "Tickets" }));
      await Bun.sleep(300); // the three Tickets counts hold Tickets' three threads
      const began = performance.now();
      const { result } = await gateway.call(ALPHA, "autotask_get_entity", { entity: "Companies", id: 0 });
      const ms = performance.now() - began;
      expect(result.isError).toBeFalsy();
      expect(ms).toBeLessThan(1000);
      await Promise.all(slow);
    } finally {
      await gateway.http.stop({ timeoutMs: 1000 });
    }
  }, 20_000);
});

describe("a wrong secret cannot slow down or lock out the right one (§2)", () => {
  test("32 callers with a new wrong secret each: at most a burst of failed logins reaches Autotask, the owner is served", async () => {
    const gateway = await startGateway(sandbox);
    try {
      expect((await gateway.call(BETA, "autotask_test_connection")).result.isError).toBeFalsy(); // the owner's secret is known to work
      const before = sandbox.requests.length;
      const attacks = Array.from({ length: 32 }, (_, i) => gateway.call({ ...BETA, secret: `wrong-secret-${i}-${Math.random()}` }, "autotask_test_connection"));
      const owner = Array.from({ length: 6 }, () => gateway.call(BETA, "autotask_test_connection"));
      const [attacked, served] = await Promise.all([Promise.all(attacks), Promise.all(owner)]);
      expect(attacked.every(({ result }) => result.isError)).toBe(true);
      expect(served.every(({ result }) => !result.isError)).toBe(true);
      const failedLogins = since(before).filter((entry) => entry.username === BETA.username && entry.status === 401);
      expect(failedLogins.length).toBeLessThanOrEqual(LOGIN_BURST);
      const refused = attacked.map(({ result }) => resultText(result)).find((text) => text.includes("not yet known to work"));
      expect(refused).toContain("Retry after");
      // A second round a moment later still sends nothing new: the bucket refills one per LOGIN_REFILL_MS.
      const again = sandbox.requests.length;
      await Promise.all(Array.from({ length: 8 }, (_, i) => gateway.call({ ...BETA, secret: `again-${i}` }, "autotask_test_connection")));
      expect(since(again).filter((entry) => entry.status === 401).length).toBeLessThanOrEqual(Math.ceil(1000 / LOGIN_REFILL_MS));
    } finally {
      await gateway.http.stop({ timeoutMs: 1000 });
    }
  }, 20_000);

  test("a new tenant's first calls in parallel all succeed: one checks the secret, the others wait for it", async () => {
    const gateway = await startGateway(sandbox);
    try {
      sandbox.faults.inject({ path: "/Resources/query", delayMs: 100, times: 1 });
      const results = await Promise.all(Array.from({ length: 12 }, () => gateway.call(ALPHA, "autotask_test_connection")));
      expect(results.map(({ result }) => result.isError ?? false)).toEqual(Array(12).fill(false));
    } finally {
      await gateway.http.stop({ timeoutMs: 1000 });
    }
  });
});

describe("shutdown drains what it accepted (§7)", () => {
  test("every accepted call gets an answer: finished ones 200, the rest 503 + Retry-After; nothing is sent after", async () => {
    const gateway = await startGateway(sandbox);
    await gateway.call(BETA, "autotask_test_connection"); // zone and secret checked: what follows is only the gate
    sandbox.faults.inject({ path: "/Resources/query", delayMs: 1000 });
    const before = sandbox.requests.length;
    const calls = Array.from({ length: 15 }, (_, i) =>
      post(gateway.mcp, callBody("autotask_test_connection", {}, i), credentialHeaders(BETA)).then(
        async (response) => ({ status: response.status, retryAfter: response.headers.get("retry-after"), text: await response.text() }),
        (error: Error) => ({ status: 0, retryAfter: null, text: error.message }),
      ),
    );
    while (since(before).length === 0) await Bun.sleep(20);
    const drained = await gateway.http.stop({ timeoutMs: 3000 });
    const answers = await Promise.all(calls);
    const sentAtStop = since(before).length;
    expect(drained).toBe(false);
    expect(answers.filter((answer) => answer.status === 0)).toEqual([]);
    const ok = answers.filter((answer) => answer.status === 200);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(ok.length).toBeGreaterThanOrEqual(3);
    expect(ok.length + refused.length).toBe(15);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.retryAfter).toBe("1");
      expect(answer.text).toContain("shutting down");
    }
    await Bun.sleep(1200);
    expect(since(before).length).toBe(sentAtStop);
  }, 20_000);

  test("a started call's follow-up requests go ahead of calls that have not started", async () => {
    const coordinator = new MemoryCoordinator();
    const zones = new ZoneResolver(sandbox.zoneLookupUrl);
    const client = () => new AutotaskClient({ credentials: BETA, credentialKey: "beta", zones, allowedHosts: [sandboxHost(sandbox)], coordinator });
    await client().count("Companies", []); // zone and login out of the way
    sandbox.faults.inject({ path: "/Companies/", delayMs: 150 });
    const before = sandbox.requests.length;
    const started = client();
    const twoSteps = started.get("Companies", 1).then(() => started.get("Companies", 2));
    await Bun.sleep(20);
    const others = Array.from({ length: 9 }, (_, i) => client().get("Companies", 100 + i));
    await Promise.all([twoSteps, ...others]);
    const order = since(before).map((entry) => entry.path.replace(/.*\/Companies\//, ""));
    expect(order).toHaveLength(11);
    // FIFO would put the follow-up last (behind all nine); with priority it goes at the next free slot.
    expect(order.indexOf("2")).toBeLessThanOrEqual(6);
  }, 20_000);
});
