/**
 * Hosted mode (AUTH_MODE=oauth) against the faults a security review found: who a teammate acts as,
 * what replacing credentials may change, what reaches the log, where /authorize may redirect, and
 * what an unauthenticated caller can make the server do. In process (startHttpServer on port 0, its
 * own SQLite file, the sandbox as Autotask), pages driven with plain form posts.
 *
 * The tests run in order: an owner connects tenant A and invites a teammate, who is one of A's
 * resources. MCP_TRUST_PROXY is on so a test can speak from several addresses (X-Forwarded-For).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, rmSync } from "node:fs";
import type { Socket } from "bun";
import { addressKey } from "../src/address.ts";
import { MemoryCoordinator } from "../src/coord/memory.ts";
import { RateLimiter } from "../src/hosted/rate-limit.ts";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { FormBrowser, pkce, startHostedInProcess, tempDir, unescapeHtml, type InProcessHosted } from "./helpers/hosted.ts";
import { rawRequest, statusOf } from "./helpers/raw-http.ts";

const A: SandboxTenant = { username: "api@contoso-it.example", secret: "contoso-Secret-99", integrationCode: "CONTOSO-CODE-77", label: "Contoso IT" };
const B: SandboxTenant = { username: "api@fabrikam.example", secret: "fabrikam-Secret-42", integrationCode: "FABRIKAM-CODE-11", label: "Fabrikam" };
const REDIRECT = "http://127.0.0.1:9/callback";
const OWNER = { email: "owner@contoso.example", password: "a-long-password-1" };
const MATE_PASSWORD = "teammate-password-2";

let sandbox: Sandbox;
let server: InProcessHosted;
let dir: string;
const target = () => ({ base: server.base, origin: server.origin });

/** Every token and one-time value handed out, to look for in the log. */
const handedOut = new Set<string>();
let clientId: string;
const owner = () => browsers.owner;
const mate = () => browsers.mate;
const browsers = {} as { owner: FormBrowser; mate: FormBrowser };
let mateEmail: string;
let mateResource: number;
let otherResource: number;
let mateToken: string;

beforeAll(async () => {
  sandbox = await startSandbox({ tenants: [A, B] });
  dir = tempDir("autotask-mcp-review-");
  server = await startHostedInProcess(sandbox, `${dir}/hosted.db`, { MCP_TRUST_PROXY: "true", MCP_OAUTH_CIMD_ALLOW_LOOPBACK: "true" });
  browsers.owner = new FormBrowser(target);
  browsers.mate = new FormBrowser(target);
  const people = sandbox.store(A.label).all("Resources").filter((row) => row.isActive === true && row.email !== A.username);
  mateEmail = String(people[0]!.email);
  mateResource = Number(people[0]!.id);
  otherResource = Number(people[1]!.id);
});

afterAll(async () => {
  await server?.http.stop({ timeoutMs: 2000 });
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const authorizePath = (params: Record<string, string | undefined>) =>
  `/authorize?${new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined))}`;

/** Consents in `as`'s session and redeems the code; `omitRedirect` leaves redirect_uri out of both requests. */
async function authorize(as: FormBrowser, omitRedirect = false): Promise<{ access_token: string; refresh_token: string }> {
  const { verifier, challenge } = pkce();
  const redirect = omitRedirect ? undefined : REDIRECT;
  const path = authorizePath({ response_type: "code", client_id: clientId, redirect_uri: redirect, code_challenge: challenge, code_challenge_method: "S256", state: "x", resource: server.resource });
  const consent = await as.fill(path, "/authorize", { decision: "allow" });
  expect(consent.status).toBe(303);
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  handedOut.add(code);
  const fields: Record<string, string> = { grant_type: "authorization_code", code, client_id: clientId, code_verifier: verifier, ...(redirect ? { redirect_uri: redirect } : {}) };
  const answer = await fetch(`${server.base}/token`, { method: "POST", body: new URLSearchParams(fields) });
  expect({ status: answer.status, body: answer.status === 200 ? "" : await answer.clone().text() }).toEqual({ status: 200, body: "" });
  const tokens = (await answer.json()) as { access_token: string; refresh_token: string };
  handedOut.add(tokens.access_token);
  handedOut.add(tokens.refresh_token);
  return tokens;
}

const mcpCall = (token: string, name = "autotask_test_connection", args: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  fetch(`${server.base}/v1/autotask/mcp`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }),
  });

/** An invite link path created by the owner. */
async function invite(): Promise<string> {
  const invited = await (await owner().fill("/account", "/account/invite", {})).text();
  const path = new URL(/<code>([^<]+)<\/code>/.exec(invited)![1]!).pathname;
  handedOut.add(path.split("/").pop()!);
  return path;
}

describe("setup", () => {
  test("owner connects tenant A and acts as the API user; a teammate joins by invite", async () => {
    const reg = await fetch(`${server.base}/register`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_name: "Review", redirect_uris: [REDIRECT] }) });
    clientId = ((await reg.json()) as { client_id: string }).client_id;
    expect((await owner().fill("/account", "/signin", { ...OWNER, action: "signup" })).status).toBe(303);
    expect((await owner().fill("/account", "/connect", { username: A.username, secret: A.secret, integration_code: A.integrationCode })).status).toBe(303);
    expect((await owner().fill("/account", "/resource", { resource_id: "0" })).status).toBe(303);

    const link = await invite();
    expect((await mate().fill(link, "/signin", { email: mateEmail, password: MATE_PASSWORD, action: "signup" })).status).toBe(303);
    expect((await mate().fill(link, link, {})).status).toBe(303);
  }, 60_000);
});

describe("a teammate is always a person of their own (findings 3, 4)", () => {
  test("the teammate's resource page offers only the resource with their email; another is refused", async () => {
    const page = await (await mate().get("/account")).text();
    expect(page).toContain("<h1>Who are you in Autotask?</h1>");
    expect([...page.matchAll(/<option value="(\d+)"/g)].map((match) => Number(match[1]))).toEqual([mateResource]);
    const refused = await mate().submit(page, "/resource", { resource_id: String(otherResource) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("your own Autotask resource");
    expect((await mate().submit(page, "/resource", { resource_id: String(mateResource) })).status).toBe(303);
    mateToken = (await authorize(mate())).access_token;
    expect((await mcpCall(mateToken)).status).toBe(200);
    expect(sandbox.requests.at(-1)!.impersonationResourceId).toBe(String(mateResource));
  }, 60_000);

  test("a teammate who clears their resource is refused (never the bare API user) until they choose again", async () => {
    expect((await mate().fill("/account", "/account/change-resource", {})).status).toBe(303);
    const before = sandbox.requests.length;
    const refused = await mcpCall(mateToken);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(`choose your Autotask resource on ${server.origin}/account`);
    expect(sandbox.requests.length).toBe(before);
    expect((await mate().fill("/account", "/resource", { resource_id: String(mateResource) })).status).toBe(303);
    expect((await mcpCall(mateToken)).status).toBe(200);
  }, 30_000);

  test("a teammate without a matching resource is told to ask the owner, who assigns one from the team list", async () => {
    const link = await invite();
    const stranger = new FormBrowser(target);
    expect((await stranger.fill(link, "/signin", { email: "contractor@elsewhere.example", password: MATE_PASSWORD, action: "signup" })).status).toBe(303);
    expect((await stranger.fill(link, link, {})).status).toBe(303);
    const page = await (await stranger.get("/account")).text();
    expect(page).toContain(`Ask ${OWNER.email}`);
    expect(page).not.toContain("<option value=");
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const refused = await stranger.post("/resource", new URLSearchParams({ csrf, return_to: "/account", resource_id: String(otherResource) }));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("only your own Autotask resource");

    const team = await (await owner().get("/account")).text();
    const assign = /<form method="get" action="\/account\/assign">([\s\S]*?)<\/form>/.exec(team.slice(team.indexOf("contractor@elsewhere.example")));
    expect(assign).not.toBeNull();
    const accountId = /name="account_id" value="([^"]+)"/.exec(assign![1]!)![1]!;
    const chooser = await (await owner().get(`/account/assign?account_id=${accountId}`)).text();
    expect(chooser).toContain("contractor@elsewhere.example");
    expect((await owner().submit(chooser, "/account/assign", { resource_id: String(otherResource) })).status).toBe(303);
    expect(await (await stranger.get("/account")).text()).toContain("<h1>Your account</h1>");
    // Nobody but the owner assigns.
    const mateCsrf = /name="csrf" value="([^"]+)"/.exec(await (await mate().get("/account")).text())![1]!;
    const forged = await mate().post("/account/assign", new URLSearchParams({ account_id: accountId, resource_id: String(mateResource), csrf: mateCsrf }));
    expect(forged.status).toBe(403);
    expect(await (await mate().get(`/account/assign?account_id=${accountId}`)).text()).toContain("Only the person who connected Autotask");
  }, 60_000);
});

describe("writes default to the acting person (finding 7)", () => {
  test("a teammate's company note is assigned to the teammate, not to the API user", async () => {
    const companyId = Number(sandbox.store(A.label).all("Companies")[0]!.id);
    const before = sandbox.requests.length;
    expect((await mcpCall(mateToken, "autotask_create_company_note", { companyId, description: "review probe" })).status).toBe(200);
    const post = sandbox.requests.slice(before).find((entry) => entry.method === "POST" && /CompanyNotes|Companies\/\d+\/Notes/i.test(entry.path));
    expect(post?.impersonationResourceId).toBe(String(mateResource));
    expect((post?.body as { assignedResourceID?: number }).assignedResourceID).toBe(mateResource);
  }, 30_000);

  test("a teammate cannot act as someone else through X-Impersonation-Resource-Id: 400, nothing sent", async () => {
    const before = sandbox.requests.length;
    const refused = await mcpCall(mateToken, "autotask_test_connection", {}, { "X-Impersonation-Resource-Id": String(otherResource) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toStartWith("X-Impersonation-Resource-Id is honoured in gateway mode only");
    expect(sandbox.requests.length).toBe(before);
  }, 30_000);
});

describe("replacing credentials cannot move the team (finding 2)", () => {
  test("the form asks for the owner's password; another API user or database is refused, the same one is accepted", async () => {
    const page = await (await owner().get("/account/credentials")).text();
    expect(page).toContain('name="password"');
    const other = await owner().submit(page, "/connect", { username: B.username, secret: B.secret, integration_code: B.integrationCode, password: OWNER.password });
    expect(other.status).toBe(400);
    expect(unescapeHtml(await other.text())).toContain("delete the connection and connect again");
    const noPassword = await owner().submit(page, "/connect", { username: A.username, secret: A.secret, integration_code: A.integrationCode });
    expect(noPassword.status).toBe(403);
    const wrongPassword = await owner().submit(page, "/connect", { username: A.username, secret: A.secret, integration_code: A.integrationCode, password: "not-my-password" });
    expect(wrongPassword.status).toBe(403);
    expect(sandbox.requests.filter((entry) => entry.username === B.username && !entry.path.includes("zoneInformation"))).toEqual([]);

    const same = await owner().submit(page, "/connect", { username: A.username.toUpperCase(), secret: A.secret, integration_code: A.integrationCode, password: OWNER.password });
    expect(same.status).toBe(303);
    const before = sandbox.requests.length;
    expect((await mcpCall(mateToken)).status).toBe(200);
    const sent = sandbox.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((entry) => entry.username === A.username && entry.impersonationResourceId === String(mateResource))).toBe(true);
  }, 60_000);
});

describe("/authorize and /token (findings 6, 10, 11)", () => {
  test("before anyone signs in, an error is shown on our page, never redirected to the client (RFC 9700 §4.11.2)", async () => {
    const reg = await fetch(`${server.base}/register`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_name: "Totally Legit", redirect_uris: ["https://evil.example/landing"] }) });
    const evil = ((await reg.json()) as { client_id: string }).client_id;
    const answer = await fetch(`${server.base}/authorize?client_id=${evil}&redirect_uri=https://evil.example/landing&response_type=token`, { redirect: "manual" });
    expect(answer.status).toBe(400);
    expect(answer.headers.get("location")).toBeNull();
    expect(await answer.text()).toContain("response_type must be code");
    // Signed in, the client gets its error response as OAuth says.
    const signedIn = await owner().get(`/authorize?client_id=${evil}&redirect_uri=https://evil.example/landing&response_type=token&state=s`);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toStartWith("https://evil.example/landing?error=unsupported_response_type");
  });

  test("a client that omitted redirect_uri (one registered) redeems its code without it (RFC 6749 §4.1.3)", async () => {
    await authorize(owner(), true);
    // Sent in the authorization request, it is still required at /token.
    const { verifier, challenge } = pkce();
    const path = authorizePath({ response_type: "code", client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: "S256", resource: server.resource });
    const consent = await owner().fill(path, "/authorize", { decision: "allow" });
    const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
    const missing = await fetch(`${server.base}/token`, { method: "POST", body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: clientId, code_verifier: verifier }) });
    expect(((await missing.json()) as { error_description: string }).error_description).toContain("redirect_uri");
  }, 30_000);

  test("return_to with a tab or other control character, or off-site after parsing, goes to /account", async () => {
    const cases = ["/\t/evil.example/", "/\n/evil.example/", "/\\evil.example/", "//evil.example/", "https://evil.example/", "/ok?\u0000"];
    for (const [n, returnTo] of cases.entries()) {
      const answer = await new FormBrowser(target).fill("/account", "/signin", { email: `return-${n}@contoso.example`, password: "a-long-password-3", action: "signup", return_to: returnTo }, { "X-Forwarded-For": "198.51.100.30" });
      expect({ returnTo, location: answer.headers.get("location") }).toEqual({ returnTo, location: "/account" });
    }
    const local = await new FormBrowser(target).fill("/account", "/signin", { email: "return-ok@contoso.example", password: "a-long-password-3", action: "signup", return_to: "/authorize?client_id=x&state=a%20b" }, { "X-Forwarded-For": "198.51.100.31" });
    expect(local.headers.get("location")).toBe("/authorize?client_id=x&state=a%20b");
  }, 30_000);
});

describe("logs (finding 1)", () => {
  test("invite links, codes, access and refresh tokens never reach the log; the access log shows /invite/[REDACTED]", async () => {
    const tokens = await authorize(owner());
    const refreshed = await fetch(`${server.base}/token`, { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: clientId }) });
    expect(refreshed.status).toBe(200);
    for (const value of Object.values((await refreshed.json()) as Record<string, unknown>)) if (typeof value === "string" && value.startsWith("atmcp_")) handedOut.add(value);
    const text = server.logs.join("");
    expect(text).toContain("path=/invite/[REDACTED]");
    expect(handedOut.size).toBeGreaterThanOrEqual(6);
    for (const value of handedOut) expect({ value, logged: text.includes(value) }).toEqual({ value, logged: false });
    for (const prefix of ["atmcp_inv_", "atmcp_code_", "atmcp_at_", "atmcp_rt_"]) expect(text).not.toContain(prefix);
  }, 30_000);
});

describe("limits on what strangers can make the server do (findings 12, 13, 14)", () => {
  const from = (address: string) => ({ "X-Forwarded-For": address });

  test("sign-in guesses from many addresses cannot lock the owner out where they signed in before", async () => {
    const known = "198.51.100.20";
    const browser = new FormBrowser(target);
    expect((await browser.fill("/account", "/signin", { ...OWNER, action: "signin" }, from(known))).status).toBe(303);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const guesser = new FormBrowser(target);
      statuses.push((await guesser.fill("/account", "/signin", { email: OWNER.email, password: `guess-${attempt}-xxxx`, action: "signin" }, from(`203.0.113.${attempt + 1}`))).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // From an address without a recent sign-in, the account is locked for now …
    expect((await new FormBrowser(target).fill("/account", "/signin", { ...OWNER, action: "signin" }, from("192.0.2.77"))).status).toBe(429);
    // … but where the owner signed in before, they still can.
    expect((await new FormBrowser(target).fill("/account", "/signin", { ...OWNER, action: "signin" }, from(known))).status).toBe(303);
  }, 60_000);

  test("one IPv6 /64 counts as one address: its sign-ups share one limit", async () => {
    const statuses: number[] = [];
    for (let n = 1; n <= 11; n++) {
      const browser = new FormBrowser(target);
      statuses.push((await browser.fill("/account", "/signin", { email: `v6-${n}@contoso.example`, password: "a-long-password-6", action: "signup" }, from(`2001:db8:1:2::${n.toString(16)}`))).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 303)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another /64 is another address.
    expect((await new FormBrowser(target).fill("/account", "/signin", { email: "v6-other@contoso.example", password: "a-long-password-6", action: "signup" }, from("2001:db8:1:3::1"))).status).toBe(303);
  }, 60_000);

  test("each limit keeps its own table: a flood of registrations evicts no sign-in counts", async () => {
    const limiter = new RateLimiter(new MemoryCoordinator(Date.now, 100));
    for (let i = 0; i < 10; i++) expect(await limiter.hit("signInEmail", "victim@contoso.example")).toBeUndefined();
    for (let i = 0; i < 1000; i++) await limiter.hit("register", `198.18.${i >> 8}.${i & 255}`);
    expect(await limiter.hit("signInEmail", "victim@contoso.example")).toBeGreaterThan(0);
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe(addressKey("2001:DB8:1:2::ffff"));
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  test("client metadata documents are fetched at most 20 times per address per 10 minutes; /authorize is rate-limited", async () => {
    let connections = 0;
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { open: (socket: Socket) => void (connections++, socket.end()), data() {} } });
    try {
      const statuses: number[] = [];
      for (let n = 0; n < 22; n++) {
        const answer = await fetch(`${server.base}${authorizePath({ client_id: `https://127.0.0.1:${listener.port}/client-${n}.json`, response_type: "code" })}`, { headers: from("198.51.100.99"), redirect: "manual" });
        statuses.push(answer.status);
        if (n === 21) expect(await answer.text()).toContain("Too many");
      }
      expect(connections).toBe(20);
      expect(statuses.slice(20)).toEqual([429, 429]);
      // Another address still gets its documents fetched.
      await fetch(`${server.base}${authorizePath({ client_id: `https://127.0.0.1:${listener.port}/client-x.json` })}`, { headers: from("198.51.100.100"), redirect: "manual" });
      expect(connections).toBe(21);
    } finally {
      listener.stop(true);
    }
    const statuses: number[] = [];
    for (let n = 0; n < 61; n++) statuses.push((await fetch(`${server.base}/authorize?client_id=atmcp_client_nobody`, { headers: from("198.51.100.101"), redirect: "manual" })).status);
    expect(statuses.slice(0, 60).every((status) => status === 400)).toBe(true);
    expect(statuses[60]).toBe(429);
  }, 60_000);

  test("form and registration bodies without Content-Length are cut off at their limit, not read to the end", async () => {
    const chunk = `${(64 * 1024).toString(16)}\r\n${"a".repeat(64 * 1024)}\r\n`;
    for (const [path, type] of [
      ["/signin", "application/x-www-form-urlencoded"],
      ["/token", "application/x-www-form-urlencoded"],
      ["/register", "application/json"],
    ] as const) {
      // Two chunks past the limit, and then the body never ends: only a bounded read answers.
      const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.http.port}\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const status = statusOf(await rawRequest(server.http.port, head + chunk + chunk, 5000));
      expect({ path, refused: [400, 413].includes(status) }).toEqual({ path, refused: true });
    }
  }, 30_000);
});

describe("robustness (findings 9, 15)", () => {
  test("an unrelated malformed cookie does not break the pages", async () => {
    const answer = await fetch(`${server.base}/account`, { headers: { Cookie: "other_app=%E0%A4%A; theme=dark" } });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("<h1>Sign in</h1>");
  });

  test("stopping the server closes the store (SQLite checkpoints and removes its WAL file)", async () => {
    const path = `${dir}/stop.db`;
    const other = await startHostedInProcess(sandbox, path);
    expect((await new FormBrowser(() => other).fill("/account", "/signin", { email: "stop@contoso.example", password: "a-long-password-5", action: "signup" })).status).toBe(303);
    expect(existsSync(`${path}-wal`)).toBe(true);
    await other.http.stop({ timeoutMs: 1000 });
    expect(existsSync(`${path}-wal`)).toBe(false);
  }, 30_000);
});
