/**
 * A hostile (or broken) upstream, over real HTTP: the gateway on a loopback port in front of the
 * sandbox, whose fault injection plays an Autotask that redirects, answers HTML or garbage, or
 * echoes secrets. A second sandbox on another port plays "anywhere else": it logs every request, so
 * "the credentials never arrived" is checked where they would have arrived. (Issue 9 §1, §4, §5.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { AutotaskClient } from "../src/autotask/client.ts";
import { AutotaskError } from "../src/autotask/errors.ts";
import { f } from "../src/autotask/filter.ts";
import { ZoneResolver } from "../src/autotask/zone.ts";
import { parseConfig } from "../src/config.ts";
import { Runtime } from "../src/context.ts";
import { silentLogger } from "../src/log.ts";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { resultText, startGateway, type Gateway } from "./helpers/gateway.ts";
import { sandboxHost, writes } from "./helpers/mcp.ts";

const ALPHA: SandboxTenant = { username: "api@alpha-hostile.example", secret: "alpha-hostile-secret-9", integrationCode: "ALPHA-HOSTILE-CODE", label: "Alpha MSP" };

let sandbox: Sandbox;
/** Somewhere that is not an approved host: any request reaching it is a leak. */
let elsewhere: Sandbox;
let gateway: Gateway;

beforeAll(async () => {
  [sandbox, elsewhere] = await Promise.all([startSandbox({ tenants: [ALPHA] }), startSandbox({ tenants: [ALPHA] })]);
  gateway = await startGateway(sandbox);
});
afterAll(async () => {
  await gateway.http.stop({ timeoutMs: 1000 });
  await Promise.all([sandbox.stop(), elsewhere.stop()]);
});
beforeEach(() => {
  sandbox.faults.clear();
  elsewhere.requests.length = 0;
});

const companyId = () => sandbox.store().all("Companies")[1]!.id as number;

describe("a tenant's credentials only go to an approved host (§1)", () => {
  test("a 302 from the allowed upstream is never followed: 10 of 10 tries, nothing reaches the target", async () => {
    const target = `${elsewhere.apiUrl}V1.0/Companies/query`;
    sandbox.faults.inject({ path: "/Companies/query", status: 302, headers: { Location: target } });
    const results = [];
    for (let i = 0; i < 10; i++) results.push((await gateway.call(ALPHA, "autotask_search_companies", { pageSize: 2 })).result);
    expect(elsewhere.requests).toHaveLength(0);
    for (const result of results) {
      expect(result.isError).toBe(true);
      const text = resultText(result);
      expect(text).toContain("HTTP 302");
      expect(text).toContain(`"${new URL(target).host}"`);
      expect(text).toContain("never followed");
    }
  });

  test("a 307 on a create is not re-sent (with its body) anywhere, and the outcome is reported unknown", async () => {
    sandbox.faults.inject({ method: "POST", path: `/Companies/${companyId()}/Notes`, status: 307, headers: { Location: `${elsewhere.apiUrl}V1.0/Companies/${companyId()}/Notes` } });
    const before = sandbox.requests.length;
    const { result } = await gateway.call(ALPHA, "autotask_create_company_note", { companyId: companyId(), title: "QBR", description: "Renewal" });
    expect(elsewhere.requests).toHaveLength(0);
    expect(writes(sandbox.requests.slice(before))).toHaveLength(1);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain("outcome is unknown");
  });

  test("a zone answer naming another host gets no credentials", async () => {
    const fresh = await startGateway(sandbox); // its own zone cache
    try {
      sandbox.faults.inject({ path: "/zoneInformation", status: 200, body: { zoneName: "Elsewhere", url: elsewhere.apiUrl, webUrl: elsewhere.url, ci: 42 } });
      const results = [];
      for (let i = 0; i < 3; i++) results.push((await fresh.call(ALPHA, "autotask_test_connection")).result);
      expect(elsewhere.requests).toHaveLength(0);
      for (const result of results) {
        expect(result.isError).toBe(true);
        expect(resultText(result)).toContain(`The zone lookup's answer host "${sandboxHost(elsewhere)}" is not allowed`);
      }
    } finally {
      await fresh.http.stop({ timeoutMs: 1000 });
    }
  });

  test("a next-page URL on another host is not followed (refused before this change too, now by the same check)", async () => {
    const client = new AutotaskClient({ credentials: ALPHA, credentialKey: "alpha", zones: new ZoneResolver(sandbox.zoneLookupUrl), allowedHosts: [sandboxHost(sandbox)] });
    const page = { items: [{ id: 1 }], pageDetails: { nextPageUrl: `${elsewhere.apiUrl}V1.0/Companies/query/next?paging=x` } };
    sandbox.faults.inject({ path: "/Companies/query", status: 200, body: page, times: 1 });
    const error = await client.queryAll("Companies", { filter: [f.all()] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskError);
    expect((error as AutotaskError).kind).toBe("untrusted-host");
    expect(elsewhere.requests).toHaveLength(0);
  });

  test("a configured API URL (AUTOTASK_API_URL) outside the allowlist is refused before anything is sent", async () => {
    const config = parseConfig({ AUTOTASK_API_URL: elsewhere.apiUrl, AUTOTASK_ALLOWED_API_HOSTS: sandboxHost(sandbox), AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl });
    const ctx = new Runtime(config, silentLogger).contextFor({ ...ALPHA, apiUrl: elsewhere.apiUrl });
    const error = await ctx.client.count("Companies", []).catch((e: unknown) => e);
    expect((error as AutotaskError).kind).toBe("untrusted-host");
    expect((error as AutotaskError).message).toContain(`The configured API URL host "${sandboxHost(elsewhere)}" is not allowed`);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe("what Autotask did not say is not data (§4)", () => {
  test("a 200 with an HTML page is an upstream error saying what came back, not 'no companies'", async () => {
    const html = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Your session has expired</body></html>";
    sandbox.faults.inject({ path: "/Companies/query", status: 200, body: html, headers: { "Content-Type": "text/html; charset=utf-8" } });
    const { result } = await gateway.call(ALPHA, "autotask_search_companies", { searchTerm: "dental" });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toContain('unexpected body (text/html, first 80 chars: "<!DOCTYPE html><html><head><title>Sign in');
    expect(text).not.toMatch(/no compan/i);
  });

  test('{"items": "not-an-array"} is an upstream error, not rows of characters', async () => {
    sandbox.faults.inject({ path: "/Companies/query", status: 200, body: { items: "not-an-array" } });
    const { result } = await gateway.call(ALPHA, "autotask_search_companies", { pageSize: 5 });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toContain("unexpected body");
    expect(text).toContain("items: ");
    expect(JSON.stringify(result)).not.toContain('"0":"n"');
  });

  test("a create answered {} says the outcome is unknown and invents no id", async () => {
    sandbox.faults.inject({ method: "POST", path: `/Companies/${companyId()}/Notes`, status: 200, body: {} });
    const { result } = await gateway.call(ALPHA, "autotask_create_company_note", { companyId: companyId(), title: "QBR", description: "Renewal" });
    expect(result.isError).toBe(true);
    const text = resultText(result);
    expect(text).toContain("outcome is unknown");
    expect(text).not.toMatch(/Created/i);
  });

  test("a count answered without queryCount is an error, not 0", async () => {
    sandbox.faults.inject({ path: "/Tickets/query/count", status: 200, body: { count: 12 } });
    const { result } = await gateway.call(ALPHA, "autotask_count", { entity: "Tickets" });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toContain("queryCount");
  });

  test("a generic 500 does not tell the model to fix a field; Autotask's own errors still do", async () => {
    sandbox.faults.inject({ path: "/Companies/query", status: 500, body: "<html><body>Internal Server Error</body></html>", headers: { "Content-Type": "text/html" }, times: 1 });
    const generic = resultText((await gateway.call(ALPHA, "autotask_search_companies", { pageSize: 2 })).result);
    expect(generic).toContain("HTTP 500 without saying why (text/html");
    expect(generic).not.toContain("Fix the named field");
    sandbox.faults.inject({ path: "/Companies/query", status: 500, body: { Message: "An error has occurred." }, times: 1 });
    expect(resultText((await gateway.call(ALPHA, "autotask_search_companies", { pageSize: 2 })).result)).not.toContain("Fix the named field");
    sandbox.faults.inject({ path: "/Companies/query", status: 500, body: { errors: ["Unknown field: colour"] }, times: 1 });
    expect(resultText((await gateway.call(ALPHA, "autotask_search_companies", { pageSize: 2 })).result)).toContain("Fix the named field");
  });
});

describe("upstream text cannot echo a secret to the model (§5)", () => {
  test("an Autotask error repeating the secret and integration code reaches the tool result masked", async () => {
    sandbox.faults.inject({ path: "/Companies/query", status: 500, body: { errors: [`The secret ${ALPHA.secret} is not valid for integration ${ALPHA.integrationCode}`] } });
    const { text } = await gateway.call(ALPHA, "autotask_search_companies", { pageSize: 2 });
    expect(text).toContain("The secret [REDACTED] is not valid for integration [REDACTED]");
    expect(text).not.toContain(ALPHA.secret);
    expect(text).not.toContain(ALPHA.integrationCode);
  });

  test("a record quoting the request's secret is masked in the result (text and structured)", async () => {
    sandbox.faults.inject({ method: "GET", path: "/Companies/7", status: 200, body: { item: { id: 7, companyName: `Acme (${ALPHA.secret})` } } });
    const { result, text } = await gateway.call(ALPHA, "autotask_get_entity", { entity: "Companies", id: 7 });
    expect(result.isError).toBeFalsy();
    expect(text).not.toContain(ALPHA.secret);
    expect(JSON.stringify(result.structuredContent)).toContain("Acme ([REDACTED])");
  });
});
