/**
 * Hosted mode end to end, as people use it: `autotask-mcp serve --auth-mode oauth` in a subprocess,
 * the official MCP SDK client with its OAuth client provider, headless Chromium filling in our pages,
 * and the Autotask sandbox behind it (its request log shows what reached "Autotask").
 *
 * The tests run in order and build on each other: an owner connects Autotask from a first client
 * (Dynamic Client Registration), signs in from a second "device" whose client uses a Client ID
 * Metadata Document, invites a teammate, and so on. Screenshots of each page land in docs/.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { readFileSync, rmSync } from "node:fs";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import {
  beginAuthorization,
  connectClient,
  launchBrowser,
  screenshot,
  startCallbackServer,
  startHostedServer,
  tempDir,
  TestOAuthProvider,
  TLS_CERT,
  TLS_KEY,
  type HostedServer,
} from "./helpers/hosted.ts";
import { BUN, CLI, ROOT } from "./helpers/mcp.ts";
import { describeWithBrowser } from "./helpers/system.ts";

const TENANT: SandboxTenant = { username: "api@northwind-msp.example", secret: "nw-Secret-7f3a9c2e", integrationCode: "NW-INTEGRATION-51XQ", label: "Northwind MSP" };
const WRONG_SECRET = "nw-Wrong-0000aaaa";
const OWNER_PASSWORD = "owner-correct-horse-1";
const TEAMMATE_PASSWORD = "teammate-battery-staple-2";
const KEY_OLD = Buffer.alloc(32, 7).toString("base64");
const KEY_NEW = Buffer.alloc(32, 9).toString("base64");

let sandbox: Sandbox;
let callback: Awaited<ReturnType<typeof startCallbackServer>>;
let cimd: ReturnType<typeof Bun.serve>;
let cimdUrl: string;
let cimdFetches = 0;
let server: HostedServer;
let browser: Browser;
let dir: string;
let env: Record<string, string>;
let owner: { email: string; resourceId: number; context: BrowserContext };
let teammate: { email: string; resourceId: number; name: string; context: BrowserContext };
/** Every secret that must never appear in the store files. */
const secrets = new Set<string>([TENANT.secret, TENANT.integrationCode, WRONG_SECRET, OWNER_PASSWORD, TEAMMATE_PASSWORD]);
const clients: Client[] = [];
let cimdProvider: TestOAuthProvider;

describeWithBrowser("hosted mode in Chromium", () => {
  beforeAll(async () => {
    sandbox = await startSandbox({ tenants: [TENANT] });
    const people = sandbox.store().all("Resources").filter((row) => row.isActive === true && row.email !== TENANT.username);
    dir = tempDir("autotask-mcp-hosted-");
    browser = await launchBrowser();
    owner = { email: String(people[0]!.email), resourceId: Number(people[0]!.id), context: await browser.newContext() };
    teammate = { email: String(people[1]!.email), resourceId: Number(people[1]!.id), name: `${people[1]!.firstName} ${people[1]!.lastName}`, context: await browser.newContext() };
    callback = await startCallbackServer();
    // The second client's identity: a metadata document on https (loopback, test certificate).
    cimd = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      tls: { cert: Bun.file(TLS_CERT), key: Bun.file(TLS_KEY) },
      fetch(request) {
        cimdFetches++;
        if (new URL(request.url).pathname !== "/oauth/client.json") return new Response("not found", { status: 404 });
        const body = { client_id: cimdUrl, client_name: "Second Device App", redirect_uris: [callback.redirectUrl], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
        return Response.json(body, { headers: { "Cache-Control": "max-age=60" } });
      },
    });
    cimdUrl = `https://127.0.0.1:${cimd.port}/oauth/client.json`;
    env = {
      AUTOTASK_MCP_ENCRYPTION_KEY: KEY_OLD,
      DATABASE_URL: `${dir}/hosted.db`,
      AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl,
      AUTOTASK_ALLOWED_API_HOSTS: new URL(sandbox.url).host,
      MCP_OAUTH_CIMD_ALLOW_LOOPBACK: "true",
      NODE_EXTRA_CA_CERTS: TLS_CERT,
    };
    server = await startHostedServer(env);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await browser?.close();
    await server?.stop();
    await callback?.stop();
    await cimd?.stop(true);
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Completes an authorization in the browser page `page` is on by clicking Allow; returns the response's parameters. */
  async function allow(page: Page): Promise<URLSearchParams> {
    const next = callback.next();
    await page.getByRole("button", { name: "Allow" }).click();
    return next;
  }

  /** Waits for the page's heading; on timeout, fails with what the page shows instead. */
  async function expectHeading(page: Page, name: string): Promise<void> {
    try {
      await page.getByRole("heading", { name, exact: true }).waitFor({ timeout: 15_000 });
    } catch {
      throw new Error(`expected the page "${name}", the browser shows: ${(await page.textContent("body"))?.replace(/\s+/g, " ").trim()}`);
    }
  }

  async function finish(provider: TestOAuthProvider, params: URLSearchParams, transport: Awaited<ReturnType<typeof beginAuthorization>>): Promise<Client> {
    expect(params.get("iss")).toBe(server.origin);
    await transport.finishAuth(params.get("code")!);
    secrets.add(params.get("code")!);
    const tokens = provider.tokens()!;
    secrets.add(tokens.access_token);
    secrets.add(tokens.refresh_token!);
    const client = await connectClient(server.mcp, provider);
    clients.push(client);
    return client;
  }

  async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }

  function postMcp(token: string | undefined, path = "/v1/autotask/mcp"): Promise<Response> {
    return fetch(`${server.origin}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "autotask_test_connection", arguments: {} } }),
    });
  }

  /** Whether the server's log shows `text` within a few seconds (its stderr is read as it arrives). */
  async function logged(text: string): Promise<boolean> {
    for (let waited = 0; waited < 5000; waited += 50) {
      if (server.stderr().includes(text)) return true;
      await Bun.sleep(50);
    }
    return false;
  }

  /** Browser flows on a shared, busy machine: generous. */
  const FLOW_MS = 60_000;

  const firstCompanyId = () => Number(sandbox.store().all("Companies")[0]!.id);

  describe("hosted mode end to end", () => {
    test("without a token, /mcp and the public path answer 401 with the resource metadata challenge; nothing reaches Autotask", async () => {
      const before = sandbox.requests.length;
      for (const path of ["/mcp", "/v1/autotask/mcp"]) {
        const response = await postMcp(undefined, path);
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${server.origin}/.well-known/oauth-protected-resource${path}", scope="autotask"`);
        const metadata = (await (await fetch(`${server.origin}/.well-known/oauth-protected-resource${path}`)).json()) as Record<string, unknown>;
        expect(metadata.resource).toBe(`${server.origin}${path}`);
        expect(metadata.authorization_servers).toEqual([server.origin]);
      }
      expect(sandbox.requests.length).toBe(before);
    }, FLOW_MS);

    test("first client (DCR): sign up, wrong Autotask credentials refused on the page, right ones stored, resource chosen, consent → tools work", async () => {
      const provider = new TestOAuthProvider(callback.redirectUrl, "Claude Code (test)");
      const transport = await beginAuthorization(server.mcp, provider);
      expect(String(provider.clientInformation()?.client_id)).toStartWith("atmcp_client_");
      const url = provider.authorizationUrl!;
      expect(url.searchParams.get("code_challenge_method")).toBe("S256");
      expect(url.searchParams.get("resource")).toBe(server.mcp);

      const page = await owner.context.newPage();
      await page.goto(url.href);
      await expectHeading(page, "Sign in");
      expect(await page.textContent("main")).toContain("Claude Code (test)");
      await screenshot(page, "sign-in");
      await page.getByLabel("Email").fill(owner.email);
      await page.getByLabel("Password").fill(OWNER_PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();

      await expectHeading(page, "Connect Autotask");
      await page.getByLabel("API user name").fill(TENANT.username);
      await page.getByLabel("Secret").fill(WRONG_SECRET);
      await page.getByLabel("Integration code").fill(TENANT.integrationCode);
      await page.getByRole("button", { name: "Check and save" }).click();
      const alert = await page.getByRole("alert").textContent();
      expect(alert).toContain("Autotask rejected the secret");
      expect(await page.content()).not.toContain(WRONG_SECRET);
      await screenshot(page, "connect-refused");
      const check = new Database(env.DATABASE_URL!, { readonly: true });
      expect(check.query("SELECT COUNT(*) AS n FROM connections").get()).toEqual({ n: 0 });
      check.close();

      await page.getByLabel("Secret").fill(TENANT.secret);
      await page.getByLabel("Integration code").fill(TENANT.integrationCode);
      await page.getByRole("button", { name: "Check and save" }).click();

      await expectHeading(page, "Who are you in Autotask?");
      // Suggested from the email address.
      expect(await page.getByLabel("Your Autotask resource").inputValue()).toBe(String(owner.resourceId));
      await screenshot(page, "resource");
      await page.getByRole("button", { name: "Continue" }).click();

      await expectHeading(page, "Allow Claude Code (test) to use Autotask?");
      expect(await page.textContent("main")).toContain(`127.0.0.1:${new URL(callback.redirectUrl).port}`);
      await screenshot(page, "consent");
      const params = await allow(page);
      await page.close();
      expect(params.get("state")).toBe(url.searchParams.get("state"));

      const client = await finish(provider, params, transport);
      const seen = sandbox.requests.length;
      const connection = await call(client, "autotask_test_connection");
      expect(connection.isError).toBeFalsy();
      const note = await call(client, "autotask_create_company_note", { companyId: firstCompanyId(), title: "Hosted", description: "Written by the owner" });
      expect(note.isError).toBeFalsy();
      const reached = sandbox.requests.slice(seen);
      expect(reached.length).toBeGreaterThan(0);
      expect(reached.every((entry) => entry.username === TENANT.username && entry.integrationCode === TENANT.integrationCode)).toBe(true);
      const write = reached.find((entry) => entry.method === "POST" && /CompanyNotes|Notes/i.test(entry.path) && !/query/i.test(entry.path));
      expect(write?.impersonationResourceId).toBe(String(owner.resourceId));
    }, FLOW_MS);

    test("second device, client known by its metadata document: signs in, never asked for Autotask credentials", async () => {
      cimdProvider = new TestOAuthProvider(callback.redirectUrl, "ignored: the document names it", cimdUrl);
      const transport = await beginAuthorization(server.mcp, cimdProvider);
      expect(cimdProvider.clientInformation()?.client_id).toBe(cimdUrl);

      const device = await browser.newContext();
      const page = await device.newPage();
      await page.goto(cimdProvider.authorizationUrl!.href);
      expect(cimdFetches).toBeGreaterThan(0);
      await page.getByLabel("Email").fill(owner.email);
      await page.getByLabel("Password").fill(OWNER_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      // Straight to consent: the account's stored connection and resource are reused.
      await expectHeading(page, "Allow Second Device App to use Autotask?");
      expect(await page.textContent("main")).toContain(cimdUrl);
      const client = await finish(cimdProvider, await allow(page), transport);
      await device.close();
      const result = await call(client, "autotask_search_companies", { pageSize: 2 });
      expect(result.isError).toBeFalsy();
    }, FLOW_MS);

    let teammateProvider: TestOAuthProvider;

    test("a teammate invited by link uses the shared connection without seeing it; their writes carry their resource", async () => {
      const ownerPage = await owner.context.newPage();
      await ownerPage.goto(`${server.origin}/account`);
      await expectHeading(ownerPage, "Your account");
      await ownerPage.getByRole("button", { name: "Create an invite link" }).click();
      await expectHeading(ownerPage, "Your account");
      const inviteUrl = (await ownerPage.locator("code").textContent())!;
      expect(inviteUrl).toStartWith(`${server.origin}/invite/`);
      secrets.add(inviteUrl.split("/").pop()!);
      await screenshot(ownerPage, "account");

      const page = await teammate.context.newPage();
      await page.goto(inviteUrl);
      await expectHeading(page, "Sign in");
      expect(await page.textContent("main")).toContain(`${owner.email} invited you`);
      await page.getByLabel("Email").fill(teammate.email);
      await page.getByLabel("Password").fill(TEAMMATE_PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await expectHeading(page, `Join ${owner.email}'s Autotask`);
      await screenshot(page, "invite");
      await page.getByRole("button", { name: "Join" }).click();
      await expectHeading(page, "Who are you in Autotask?");
      // A teammate must be someone: acting as the API user is the owner's choice only.
      expect(await page.textContent("select")).not.toContain("act as the API user");
      expect(await page.getByLabel("Your Autotask resource").inputValue()).toBe(String(teammate.resourceId));
      await page.getByRole("button", { name: "Continue" }).click();
      await expectHeading(page, "Your account");
      const shown = await page.content();
      expect(shown).toContain(teammate.name);
      expect(shown).not.toContain(TENANT.secret);
      expect(shown).not.toContain(TENANT.integrationCode);

      // The single-use link is spent.
      const again = await teammate.context.request.get(inviteUrl, { maxRedirects: 0 });
      expect(again.status()).toBe(410);

      teammateProvider = new TestOAuthProvider(callback.redirectUrl, "Teammate's Claude");
      const transport = await beginAuthorization(server.mcp, teammateProvider);
      await page.goto(teammateProvider.authorizationUrl!.href);
      await expectHeading(page, "Allow Teammate's Claude to use Autotask?");
      const client = await finish(teammateProvider, await allow(page), transport);
      await page.close();
      await ownerPage.close();

      const seen = sandbox.requests.length;
      const note = await call(client, "autotask_create_company_note", { companyId: firstCompanyId(), title: "Hosted", description: "Written by the teammate" });
      expect(note.isError).toBeFalsy();
      const writes = sandbox.requests.slice(seen).filter((entry) => entry.method === "POST" && !/query/i.test(entry.path));
      expect(writes.length).toBe(1);
      expect(writes[0]!.username).toBe(TENANT.username);
      expect(writes[0]!.impersonationResourceId).toBe(String(teammate.resourceId));
    }, FLOW_MS);

    test("a revoked access token is refused; revoking on the account page cuts a client off", async () => {
      const token = cimdProvider.tokens()!.access_token;
      expect((await postMcp(token)).status).toBe(200);
      const revoked = await fetch(`${server.origin}/revoke`, { method: "POST", body: new URLSearchParams({ token, client_id: cimdUrl }) });
      expect(revoked.status).toBe(200);
      const refused = await postMcp(token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');

      // The owner revokes the first client (DCR) on the account page.
      const page = await owner.context.newPage();
      await page.goto(`${server.origin}/account`);
      const row = page.getByRole("row").filter({ hasText: "Claude Code (test)" });
      await row.getByRole("button", { name: "Revoke" }).click();
      await expectHeading(page, "Your account");
      expect(await page.getByRole("status").textContent()).toContain("Access for Claude Code (test) was revoked");
      await page.close();
      const first = clients[0]!;
      const after = await first.callTool({ name: "autotask_test_connection", arguments: {} }).then(
        () => "answered",
        (error: Error) => error.message,
      );
      expect(after).not.toBe("answered");
    }, FLOW_MS);

    test("a replayed refresh token is refused and revokes every token of that authorization", async () => {
      const tokens = teammateProvider.tokens()!;
      const refresh = (token: string) =>
        fetch(`${server.origin}/token`, { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: token, client_id: String(teammateProvider.clientInformation()!.client_id) }) });
      const rotated = (await (await refresh(tokens.refresh_token!)).json()) as { access_token: string; refresh_token: string };
      expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
      secrets.add(rotated.access_token);
      secrets.add(rotated.refresh_token);
      expect((await postMcp(rotated.access_token)).status).toBe(200);

      const replay = await refresh(tokens.refresh_token!);
      expect(replay.status).toBe(400);
      expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");
      // The whole family is gone: the fresh access and refresh tokens too.
      expect((await postMcp(rotated.access_token)).status).toBe(401);
      expect((await refresh(rotated.refresh_token)).status).toBe(400);
      expect(await logged('"event":"refresh-replayed"')).toBe(true);
    }, FLOW_MS);

    test("key rotation: NEW,OLD ring, `keys rotate`, then NEW alone — the connection keeps working", async () => {
      await server.stop();
      server = await startHostedServer({ ...env, AUTOTASK_MCP_ENCRYPTION_KEY: `${KEY_NEW},${KEY_OLD}` }, Number(new URL(server.origin).port));
      // The second device's client refreshes its revoked access token and works under the ring.
      const client = await connectClient(server.mcp, cimdProvider);
      clients.push(client);
      expect((await call(client, "autotask_test_connection")).isError).toBeFalsy();

      const rotate = Bun.spawn([BUN, CLI, "keys", "rotate", "--json"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATABASE_URL: env.DATABASE_URL!, AUTOTASK_MCP_ENCRYPTION_KEY: `${KEY_NEW},${KEY_OLD}` },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [code, out] = await Promise.all([rotate.exited, new Response(rotate.stdout).text()]);
      expect(code).toBe(0);
      const report = JSON.parse(out) as { total: number; resealed: number; failed: unknown[]; keyId: string };
      expect(report).toMatchObject({ total: 1, resealed: 1, failed: [] });

      await server.stop();
      server = await startHostedServer({ ...env, AUTOTASK_MCP_ENCRYPTION_KEY: KEY_NEW }, Number(new URL(server.origin).port));
      const db = new Database(env.DATABASE_URL!, { readonly: true });
      expect(db.query("SELECT key_id FROM connections").all()).toEqual([{ key_id: report.keyId }]);
      db.close();
      const after = await connectClient(server.mcp, cimdProvider);
      clients.push(after);
      expect((await call(after, "autotask_search_companies", { pageSize: 1 })).isError).toBeFalsy();
      secrets.add(cimdProvider.tokens()!.access_token);
      secrets.add(cimdProvider.tokens()!.refresh_token!);
    }, FLOW_MS);

    test("no store file holds a secret, integration code, password or token in plain bytes", () => {
      const files = ["", "-wal", "-shm"].map((suffix) => `${env.DATABASE_URL}${suffix}`).filter((path) => Bun.file(path).size > 0);
      expect(files.length).toBeGreaterThan(0);
      const bytes = Buffer.concat(files.map((path) => readFileSync(path)));
      expect(secrets.size).toBeGreaterThan(12);
      for (const secret of secrets) {
        expect({ secret, found: bytes.includes(Buffer.from(secret)) }).toEqual({ secret, found: false });
      }
      // What is meant to be there is there: the scan reads the right bytes.
      expect(bytes.includes(Buffer.from(TENANT.username))).toBe(true);
    });

    test("a tampered ciphertext fails with a clear error, and nothing is sent to Autotask", async () => {
      const db = new Database(env.DATABASE_URL!);
      const { sealed } = db.query("SELECT sealed FROM connections").get() as { sealed: string };
      const parts = sealed.split(".");
      const body = Buffer.from(parts[3]!, "base64url");
      body[0] = body[0]! ^ 1;
      parts[3] = body.toString("base64url");
      db.query("UPDATE connections SET sealed = ?").run(parts.join("."));
      db.close();
      const seen = sandbox.requests.length;
      const response = await postMcp(cimdProvider.tokens()!.access_token);
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain("stored Autotask credentials cannot be decrypted");
      expect(await logged("failed authentication: the ciphertext was altered or belongs to another record")).toBe(true);
      expect(sandbox.requests.length).toBe(seen);
    });
  });
});
