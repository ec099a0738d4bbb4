/**
 * The hourly API budget over real HTTP against the sandbox, whose threshold is lowered to 100
 * requests an hour so a test can spend it: ThresholdInformation read when a tenant needs it, a note
 * in results from 75 %, fan-out tools refused from 90 % (nothing sent), the figures in
 * autotask_get_api_usage and — only for the tenant itself — in /health; /ready in one process.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { credentialHeaders, resultText, startGateway, type Gateway } from "./helpers/gateway.ts";

const ALPHA: SandboxTenant = { username: "api@alpha-budget.example", secret: "alpha-budget-secret", integrationCode: "ALPHA-BUDGET", label: "Alpha Budget" };
const BETA: SandboxTenant = { username: "api@beta-budget.example", secret: "beta-budget-secret", integrationCode: "BETA-BUDGET", label: "Beta Budget" };
const THRESHOLD = 100;

let sandbox: Sandbox;
let gateway: Gateway;

beforeAll(async () => {
  sandbox = await startSandbox({ tenants: [ALPHA, BETA], requestThreshold: THRESHOLD });
  gateway = await startGateway(sandbox);
});
afterAll(async () => {
  await gateway?.http.stop({ timeoutMs: 1000 });
  await sandbox?.stop();
});

const thresholdReads = (tenant: SandboxTenant) => sandbox.requests.filter((entry) => entry.tenant === tenant.label && entry.path.endsWith("/ThresholdInformation")).length;
/** What Autotask has counted for a tenant this hour. */
const counted = (tenant: SandboxTenant) => sandbox.requests.filter((entry) => entry.tenant === tenant.label && !entry.path.includes("zoneInformation")).length;

/** One-request calls until Autotask has counted `target` requests for the tenant. */
async function spendUntil(tenant: SandboxTenant, target: number): Promise<void> {
  while (counted(tenant) < target) expect((await gateway.call(tenant, "autotask_count", { entity: "Companies" })).result.isError).toBeFalsy();
}

describe("the hourly API budget", () => {
  test("a fan-out tool reads ThresholdInformation first; far from the limit nothing is added to results", async () => {
    const { result } = await gateway.call(ALPHA, "autotask_search_time_entries", {});
    expect(result.isError).toBeFalsy();
    expect(result.content).toHaveLength(1);
    expect(thresholdReads(ALPHA)).toBe(1);
    const read = sandbox.requests.findIndex((entry) => entry.path.endsWith("/ThresholdInformation"));
    const query = sandbox.requests.findIndex((entry) => entry.path.includes("/TimeEntries/query"));
    expect(read).toBeLessThan(query);
    // A single-request tool does not read it (the reading is recent).
    await gateway.call(ALPHA, "autotask_count", { entity: "Companies" });
    expect(thresholdReads(ALPHA)).toBe(1);
  });

  test("from 75 % every result carries a note (structuredContent stays clean); below it none", async () => {
    await spendUntil(ALPHA, 70);
    expect((await gateway.call(ALPHA, "autotask_count", { entity: "Companies" })).result.content).toHaveLength(1);
    await spendUntil(ALPHA, 76);
    const { result } = await gateway.call(ALPHA, "autotask_count", { entity: "Companies" });
    expect(result.isError).toBeFalsy();
    expect(result.content).toHaveLength(2);
    expect((result.content[1] as { text: string }).text).toMatch(/^Autotask API budget: about 7\d(\.\d)? % of its 100 requests per 60 minutes \(7\d\) used\. Prefer autotask_count/);
    expect(JSON.stringify(result.structuredContent)).not.toContain("budget");
  });

  test("from 90 % a fan-out tool is refused with what to do instead, nothing sent; single reads still run; other tenants are not affected", async () => {
    await spendUntil(ALPHA, 91);
    const before = sandbox.requests.length;
    const { result } = await gateway.call(ALPHA, "autotask_search_time_entries", {});
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toStartWith("autotask_search_time_entries was not run: this Autotask database has used about 9");
    expect(text).toContain("From 90 % such tools are refused");
    expect(text).toContain("autotask_get_api_usage shows the figures");
    expect(sandbox.requests.slice(before)).toHaveLength(0);

    const single = await gateway.call(ALPHA, "autotask_get_entity", { entity: "Companies", id: 0 });
    expect(single.result.isError).toBeFalsy();
    expect(resultText(single.result)).toContain("Autotask API budget: about 9");
    expect((await gateway.call(BETA, "autotask_search_time_entries", {})).result.isError).toBeFalsy();
  });

  test("autotask_get_api_usage reads the figures now and says what is refused", async () => {
    const { result } = await gateway.call(ALPHA, "autotask_get_api_usage", {});
    const usage = result.structuredContent as { threshold: number; used: number; percentUsed: number; advice: string };
    expect(usage.threshold).toBe(THRESHOLD);
    expect(usage.used).toBe(counted(ALPHA));
    expect(usage.percentUsed).toBeGreaterThanOrEqual(90);
    expect(usage.advice).toContain("tools that send many requests (sweeps, bulk, all-pages totals) are refused from 90%");
  });
});

describe("/health and /ready", () => {
  const health = async (headers: Record<string, string> = {}) => (await fetch(`${gateway.url}/health`, { headers })).json() as Promise<Record<string, any>>;

  test("/health keeps its documented shape for anyone, and adds the caller's own usage only for that tenant's working credentials", async () => {
    const anonymous = await health();
    expect(Object.keys(anonymous).sort()).toEqual(["authMode", "status", "timestamp", "transport"]);
    expect(anonymous).toMatchObject({ status: "ok", transport: "http", authMode: "gateway" });

    const before = sandbox.requests.length;
    const own = await health(credentialHeaders(ALPHA));
    expect(own.apiUsage).toMatchObject({ threshold: THRESHOLD, timeframeMinutes: 60 });
    expect(own.apiUsage.used).toBe(counted(ALPHA));
    expect(own.apiUsage.percentUsed).toBeGreaterThanOrEqual(90);
    expect(Date.parse(own.apiUsage.readAt)).toBeLessThanOrEqual(Date.now());
    // The user name without its secret learns nothing; and a probe never calls Autotask.
    expect(await health(credentialHeaders({ ...ALPHA, secret: "a-guess" }))).not.toHaveProperty("apiUsage");
    expect(await health({ "X-API-Key": ALPHA.username })).not.toHaveProperty("apiUsage");
    expect(sandbox.requests.length).toBe(before);
    // Another tenant sees its own figures, not Alpha's.
    const beta = await health(credentialHeaders(BETA));
    expect(beta.apiUsage.used).toBeLessThan(own.apiUsage.used);
  });

  test("/ready in one process: no store, no Redis, ready; no tenant data", async () => {
    const ready = await fetch(`${gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ok", store: "unused", redis: "unused" });
    expect((await fetch(`${gateway.url}/ready`, { method: "POST" })).status).toBe(405);
  });
});
