/**
 * The hosted mode's protocol rules, over real HTTP against an in-process server (startHttpServer on
 * port 0, its own SQLite file) and the Autotask sandbox. The pages are driven with plain form posts
 * and a cookie jar — which is also the proof that they work without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import type { HttpServer } from "../src/mcp/http.ts";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { authorizeWithForms, FormBrowser, pkce, startHostedInProcess, tempDir, unescapeHtml as unescape } from "./helpers/hosted.ts";

const TENANT: SandboxTenant = { username: "api@contoso-it.example", secret: "contoso-Secret-99", integrationCode: "CONTOSO-CODE-77", label: "Contoso IT" };
const REDIRECT = "http://127.0.0.1:9/callback";

let sandbox: Sandbox;
let http: HttpServer;
let dir: string;
let base: string;
/** What the server calls itself (MCP_PUBLIC_URL unset: http://localhost:<port>). */
let origin: string;
let resource: string;
const logs: string[] = [];
const server = () => ({ base, origin });

async function startServer(): Promise<void> {
  ({ http, base, origin, resource } = await startHostedInProcess(sandbox, `${dir}/hosted.db`, {}, logs));
}

beforeAll(async () => {
  sandbox = await startSandbox({ tenants: [TENANT] });
  dir = tempDir("autotask-mcp-oauth-");
  await startServer();
});

afterAll(async () => {
  await http?.stop({ timeoutMs: 2000 });
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function register(metadata: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${base}/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_name: "Protocol test", redirect_uris: [REDIRECT], ...metadata }),
  });
}

function authorizePath(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return `/authorize?${query}`;
}

let clientId: string;

describe("discovery and registration", () => {
  test("authorization server metadata names S256 only, CIMD, iss in responses, and the issuer", async () => {
    const metadata = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: origin,
      authorization_endpoint: `${origin}/authorize`,
      token_endpoint: `${origin}/token`,
      registration_endpoint: `${origin}/register`,
      revocation_endpoint: `${origin}/revoke`,
      code_challenge_methods_supported: ["S256"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
  });

  test("registration refuses a non-loopback http redirect, a fragment, other grant types, naming the field", async () => {
    const http = await register({ redirect_uris: ["http://evil.example/cb"] });
    expect(http.status).toBe(400);
    expect(await http.json()).toMatchObject({ error: "invalid_redirect_uri", error_description: expect.stringContaining("must use https") });
    expect(((await (await register({ redirect_uris: ["https://app.example/cb#x"] })).json()) as { error: string }).error).toBe("invalid_redirect_uri");
    // A client asking for a secret is registered as a public client (RFC 7591 §3.2.1: the server may replace values).
    const secretMethod = await register({ token_endpoint_auth_method: "client_secret_basic" });
    expect(secretMethod.status).toBe(201);
    expect(await secretMethod.json()).toMatchObject({ token_endpoint_auth_method: "none" });
    expect(((await (await register({ grant_types: ["client_credentials"] })).json()) as { error_description: string }).error_description).toContain("grant_types");
    const none = (await (await register({ redirect_uris: [] })).json()) as { error_description: string };
    expect(none.error_description).toContain("redirect_uris");
  });

  test("a registration is persisted: it still works after a restart", async () => {
    const response = await register();
    expect(response.status).toBe(201);
    clientId = ((await response.json()) as { client_id: string }).client_id;
    await http.stop({ timeoutMs: 2000 });
    await startServer();
    const { challenge } = pkce();
    const page = await fetch(`${base}${authorizePath({ response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: "S256", resource })}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sign in to let <strong>Protocol test</strong> use Autotask");
  });
});

describe("/authorize refuses what OAuth 2.1 and the MCP spec refuse", () => {
  const valid = () => ({ response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: "S256", state: "s1", resource });

  test("an unknown client or an unregistered redirect URI is shown on a page, never redirected", async () => {
    for (const params of [{ ...valid(), client_id: "atmcp_client_nobody" }, { ...valid(), redirect_uri: "https://attacker.example/cb" }]) {
      const response = await fetch(`${base}${authorizePath(params)}`, { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    }
  });

  test("a loopback redirect URI matches on any port (RFC 8252); scopes other than autotask are ignored", async () => {
    const response = await fetch(`${base}${authorizePath({ ...valid(), redirect_uri: "http://127.0.0.1:54321/callback", scope: "autotask offline_access" })}`, { redirect: "manual" });
    expect(response.status).toBe(200);
    const other = await fetch(`${base}${authorizePath({ ...valid(), redirect_uri: "http://127.0.0.1:54321/elsewhere" })}`, { redirect: "manual" });
    expect(other.status).toBe(400);
  });

  test("plain PKCE, no PKCE, a missing or foreign resource, another response type go back to the client with error, state and iss — once someone is signed in", async () => {
    const browser = new FormBrowser(server);
    expect((await browser.fill("/account", "/signin", { email: "redirects@contoso.example", password: "a-long-password-4", action: "signup" })).status).toBe(303);
    const cases: Array<[Record<string, string | undefined>, string, string]> = [
      [{ code_challenge_method: "plain" }, "invalid_request", "S256"],
      [{ code_challenge: undefined, code_challenge_method: undefined }, "invalid_request", "PKCE"],
      [{ resource: undefined }, "invalid_target", "RFC 8707"],
      [{ resource: "https://other.example/mcp" }, "invalid_target", "resource must be one of"],
      [{ response_type: "token" }, "unsupported_response_type", "code"],
    ];
    for (const [change, error, hint] of cases) {
      // Signed out, the error is shown on our page: nothing is redirected before anyone signs in (RFC 9700 §4.11.2).
      const signedOut = await fetch(`${base}${authorizePath({ ...valid(), ...change })}`, { redirect: "manual" });
      expect(signedOut.status).toBe(400);
      expect(signedOut.headers.get("location")).toBeNull();
      expect(unescape(await signedOut.text())).toContain(hint);
      const response = await browser.get(authorizePath({ ...valid(), ...change }));
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get("location")!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect({ error: location.searchParams.get("error"), state: location.searchParams.get("state"), iss: location.searchParams.get("iss") }).toEqual({ error, state: "s1", iss: origin });
      expect(location.searchParams.get("error_description")).toContain(hint);
    }
  });

  test("client ID metadata documents are fetched only over https from public addresses", async () => {
    const cases: Array<[string, string]> = [
      ["https://10.0.0.8/client.json", "resolves to a private address"],
      ["https://169.254.169.254/latest/meta-data", "resolves to a linkLocal address"],
      [`https://127.0.0.1:${new URL(base).port}/client.json`, "resolves to a loopback address"],
      ["https://app.example/", "must have a path"],
      ["https://user:pw@app.example/client.json", "must not contain user info"],
    ];
    for (const [id, why] of cases) {
      const response = await fetch(`${base}${authorizePath({ ...valid(), client_id: id })}`, { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(unescape(await response.text())).toContain(why);
    }
  });
});

describe("pages: CSRF and rate limits", () => {
  test("a form post without the CSRF token, or from another origin, is refused", async () => {
    const browser = new FormBrowser(server);
    const page = await (await browser.get("/account")).text();
    const missing = await browser.post("/signin", new URLSearchParams({ email: "a@b.example", password: "whatever-123", action: "signin", return_to: "/account" }));
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain("has expired or cookies are blocked");
    const forged = await browser.submit(page, "/signin", { email: "a@b.example", password: "whatever-123", action: "signin", csrf: "x".repeat(43) });
    expect(forged.status).toBe(403);
    // (A foreign Origin is refused before that, by the DNS-rebinding check of a loopback bind.)
    const foreign = await browser.submit(page, "/signin", { email: "a@b.example", password: "whatever-123", action: "signin" }, { Origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
  });

  test("repeated wrong passwords for one email are rate-limited with Retry-After", async () => {
    const browser = new FormBrowser(server);
    const page = await (await browser.get("/account")).text();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let attempt = 0; attempt < 11; attempt++) {
      last = await browser.submit(page, "/signin", { email: "victim@contoso.example", password: `guess-number-${attempt}`, action: "signin" });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  }, 60_000);
});

describe("/token", () => {
  let browser: FormBrowser;

  /** Signs up (first time), connects and consents through the forms; returns a fresh code and its verifier. */
  const authorizeCode = (as = browser) =>
    authorizeWithForms(as, { clientId, redirectUri: REDIRECT, resource }, { email: "owner@contoso.example", password: "a-long-password-1", tenant: TENANT });

  const exchange = (fields: Record<string, string>) => fetch(`${base}/token`, { method: "POST", body: new URLSearchParams(fields) });

  beforeAll(() => {
    browser = new FormBrowser(server);
  });

  test("a wrong code_verifier, another client or another resource get invalid_grant / invalid_target", async () => {
    const { code, verifier } = await authorizeCode();
    const base = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier };
    const wrongVerifier = await exchange({ ...base, code_verifier: pkce().verifier });
    expect(await wrongVerifier.json()).toMatchObject({ error: "invalid_grant", error_description: expect.stringContaining("PKCE") });
    // The code is single-use whatever the first attempt's outcome.
    const second = await exchange(base);
    expect(((await second.json()) as { error: string }).error).toBe("invalid_grant");

    const next = await authorizeCode();
    const other = await exchange({ ...base, code: next.code, code_verifier: next.verifier, client_id: "atmcp_client_other" });
    expect(((await other.json()) as { error_description: string }).error_description).toContain("another client");

    const third = await authorizeCode();
    const foreign = await exchange({ ...base, code: third.code, code_verifier: third.verifier, resource: "https://other.example/mcp" });
    expect(((await foreign.json()) as { error: string }).error).toBe("invalid_target");
  }, 60_000);

  test("a code used twice revokes the tokens issued from it (RFC 6749 §4.1.2)", async () => {
    const { code, verifier } = await authorizeCode();
    const fields = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier, resource };
    const first = await exchange(fields);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const tokens = (await first.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const call = () =>
      fetch(`${base}/v1/autotask/mcp`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokens.access_token}` },
        body: JSON.stringify({ method: "tools/call", params: { name: "autotask_test_connection", arguments: {} } }),
      });
    expect((await call()).status).toBe(200);
    expect((await exchange(fields)).status).toBe(400);
    expect((await call()).status).toBe(401);
    expect(logs.join("")).toContain("code-replayed");
  });

  const mcpCall = (token: string) =>
    fetch(`${base}/v1/autotask/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ method: "tools/call", params: { name: "autotask_test_connection", arguments: {} } }),
    });

  test("the owner removes a teammate: the teammate's tokens stop working at once", async () => {
    const account = await (await browser.get("/account")).text();
    const invited = await (await browser.submit(account, "/account/invite", {})).text();
    const invite = new URL(/<code>([^<]+)<\/code>/.exec(invited)![1]!).pathname;

    const mate = new FormBrowser(server);
    // A teammate is one of the tenant's people: their resource is the one with their email.
    const person = sandbox.store().all("Resources").find((row) => row.isActive === true && row.email !== TENANT.username)!;
    let html = await (await mate.get(invite)).text();
    expect((await mate.submit(html, "/signin", { email: String(person.email), password: "teammate-password-2", action: "signup" })).status).toBe(303);
    html = await (await mate.get(invite)).text();
    expect((await mate.submit(html, invite, {})).status).toBe(303);
    html = await (await mate.get("/account")).text();
    const resourceId = /<option value="(\d+)"/.exec(html)![1]!;
    expect(resourceId).toBe(String(person.id));
    expect((await mate.submit(html, "/resource", { resource_id: resourceId })).status).toBe(303);
    const { code, verifier } = await authorizeCode(mate);
    const tokens = (await (await exchange({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier })).json()) as { access_token: string; refresh_token: string };
    expect((await mcpCall(tokens.access_token)).status).toBe(200);
    expect(sandbox.requests.at(-1)!.impersonationResourceId).toBe(resourceId);

    const team = await (await browser.get("/account")).text();
    expect(team).toContain(String(person.email));
    expect((await browser.submit(team, "/account/remove-member", {})).status).toBe(200);
    expect((await mcpCall(tokens.access_token)).status).toBe(401);
    const refreshed = await exchange({ grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: clientId });
    expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
    // Signed in again, the former teammate is asked to connect an Autotask of their own.
    expect(await (await mate.get("/account")).text()).toContain("<h1>Connect Autotask</h1>");
  }, 60_000);

  test("audit and access lines name events, ids and paths, never a secret, password, token or invite link", () => {
    const text = logs.join("");
    for (const event of ["sign-up", "credentials-saved", "consent", "token-issued", "client-registered", "sign-in-failed", "invite-created", "invite-used", "member-removed"]) {
      expect(text).toContain(`audit ${event}`);
    }
    for (const secret of [TENANT.secret, TENANT.integrationCode, "a-long-password-1", "atmcp_inv_", "atmcp_at_", "atmcp_rt_", "atmcp_code_"]) expect(text).not.toContain(secret);
    // The invite link was opened (and logged) — as a path without its token.
    expect(text).toContain("path=/invite/[REDACTED]");
  });
});
