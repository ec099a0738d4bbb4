/**
 * Harness for the hosted mode: the real CLI (`serve --auth-mode oauth`) in a subprocess, or the
 * server in this process (startHttpServer on port 0, for fast protocol tests); the Autotask sandbox
 * in this process; an OAuth client provider for the official MCP SDK client, a loopback callback
 * server that receives the authorization response, headless Chromium (Debian's, via playwright-core)
 * to fill in the pages, and a browser without JavaScript (FormBrowser) for tests that need no
 * rendering. Nothing is mocked.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { chromium, type Browser, type Page } from "playwright-core";
import { parseConfig } from "../../src/config.ts";
import { Runtime } from "../../src/context.ts";
import { createLogger } from "../../src/log.ts";
import { startHttpServer, type HttpServer } from "../../src/mcp/http.ts";
import type { Sandbox } from "../../src/sandbox/index.ts";
import { BUN, CLI, ROOT, sandboxHost } from "./mcp.ts";

import { CHROMIUM, CHROMIUM_ARGS } from "./system.ts";
export const TLS_CERT = `${ROOT}test/fixtures/tls/cert.pem`;
export const TLS_KEY = `${ROOT}test/fixtures/tls/key.pem`;

/** A free loopback port (bound and released: the server must know its public URL before it starts). */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  void probe.stop(true);
  return port;
}

export interface HostedServer {
  /** The public origin, e.g. http://127.0.0.1:40123 */
  origin: string;
  /** The MCP URL clients are given (the configured public path). */
  mcp: string;
  databasePath: string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `autotask-mcp serve --auth-mode oauth` and waits until it listens. */
export async function startHostedServer(env: Record<string, string>, port = freePort()): Promise<HostedServer> {
  const origin = `http://127.0.0.1:${port}`;
  const proc = Bun.spawn([BUN, CLI, "serve", "--auth-mode", "oauth", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "info", LOG_FORMAT: "json", MCP_PUBLIC_URL: origin, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
        stderr += decoder.decode(chunk);
        if (stderr.includes("autotask-mcp listening")) resolve();
      }
      reject(new Error(`server exited before listening:\n${stderr}`));
    })();
  });
  return {
    origin,
    mcp: `${origin}/v1/autotask/mcp`,
    databasePath: env.DATABASE_URL!,
    stderr: () => stderr,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/** What a person fills in on the way to consent: an account, and the Autotask API user it connects. */
export interface FormSignUp {
  email: string;
  password: string;
  tenant: { username: string; secret: string; integrationCode: string };
}

/**
 * The authorization flow through the pages, as a person in a browser: GET /authorize; the first time
 * sign up, connect Autotask and act as the API user; then consent. Returns the code and its PKCE
 * verifier. Throws when a step does not answer as the pages promise.
 */
export async function authorizeWithForms(
  browser: FormBrowser,
  request: { clientId: string; redirectUri: string; resource: string },
  person: FormSignUp,
): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const query = { response_type: "code", client_id: request.clientId, redirect_uri: request.redirectUri, code_challenge: challenge, code_challenge_method: "S256", state: "x", resource: request.resource };
  const path = `/authorize?${new URLSearchParams(query)}`;
  const step = async (html: string, action: string, fields: Record<string, string>) => {
    const response = await browser.submit(html, action, fields);
    if (response.status !== 303) throw new Error(`${action} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    return (await browser.get(path)).text();
  };
  let html = await (await browser.get(path)).text();
  if (html.includes("<h1>Sign in</h1>")) {
    html = await step(html, "/signin", { email: person.email, password: person.password, action: "signup" });
    html = await step(html, "/connect", { username: person.tenant.username, secret: person.tenant.secret, integration_code: person.tenant.integrationCode });
    html = await step(html, "/resource", { resource_id: "0" });
  }
  const consent = await browser.submit(html, "/authorize", { decision: "allow" });
  if (consent.status !== 303) throw new Error(`consent answered ${consent.status}: ${(await consent.text()).slice(0, 500)}`);
  const location = new URL(consent.headers.get("location")!);
  return { code: location.searchParams.get("code")!, verifier };
}

/** A fresh directory for a test's database and browser profile. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Receives authorization responses on loopback (the client's redirect URI) and hands the query
 * to whoever waits for it.
 */
export async function startCallbackServer() {
  const waiting: Array<(params: URLSearchParams) => void> = [];
  const received: URLSearchParams[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const params = new URL(request.url).searchParams;
      received.push(params);
      waiting.shift()?.(params);
      return new Response("<!doctype html><title>Done</title><h1>Signed in. You can close this window.</h1>", { headers: { "Content-Type": "text/html" } });
    },
  });
  return {
    redirectUrl: `http://127.0.0.1:${server.port}/callback`,
    /** The next authorization response's query parameters. */
    next: () => new Promise<URLSearchParams>((resolve) => waiting.push(resolve)),
    received,
    stop: () => server.stop(true),
  };
}

/** An OAuthClientProvider that keeps everything in memory and records where it was sent. */
export class TestOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = "";

  constructor(
    readonly redirectUrl: string,
    readonly clientName: string,
    /** When set, the client identifies itself by this client ID metadata document URL. */
    readonly clientMetadataUrl?: string,
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.clientName, redirect_uris: [this.redirectUrl], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** An MCP client session over Streamable HTTP with an OAuth provider. */
export async function connectClient(mcpUrl: string, provider: OAuthClientProvider): Promise<Client> {
  const client = new Client({ name: "autotask-mcp-hosted-tests", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }));
  return client;
}

/**
 * The SDK's first step: connect, get the 401, discover, register, and be sent to /authorize.
 * Returns the transport to finish the flow with once the browser came back with a code.
 */
export async function beginAuthorization(mcpUrl: string, provider: TestOAuthProvider): Promise<StreamableHTTPClientTransport> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const client = new Client({ name: "autotask-mcp-hosted-tests", version: "1.0.0" });
  const failure = await client.connect(transport).then(
    () => undefined,
    (error: Error) => error,
  );
  if (!(failure instanceof UnauthorizedError) || !provider.authorizationUrl) {
    throw new Error(`expected the client to be sent to the authorization page, got ${failure?.name}: ${failure?.message}`);
  }
  return transport;
}

/** Headless Debian chromium; each context is one "device" with its own cookies. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core gives every launch a fresh, temporary user data dir of its own.
    args: CHROMIUM_ARGS,
  });
}

/**
 * Screenshots for the README, one per page: into docs/ with UPDATE_SCREENSHOTS=1 (they show times
 * and ports, so every run would change them), else into a temporary directory.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.UPDATE_SCREENSHOTS === "1" ? `${ROOT}docs` : (screenshotDir ??= tempDir("autotask-mcp-screens-"));
  await page.screenshot({ path: `${folder}/hosted-${name}.png`, fullPage: true });
}
let screenshotDir: string | undefined;

// ---------------------------------------------------------------------------------------------
// In process: the server, a browser without JavaScript, PKCE.

export interface InProcessHosted {
  http: HttpServer;
  /** Where to send requests, e.g. http://127.0.0.1:40123 */
  base: string;
  /** What the server calls itself (MCP_PUBLIC_URL unset: http://localhost:<port>). */
  origin: string;
  /** The MCP URL tokens are issued for (RFC 8707 resource). */
  resource: string;
  /** Every log line so far (level info). */
  logs: string[];
}

/**
 * A hosted-mode server in this process on a loopback port 0, its SQLite file at `databasePath`,
 * Autotask = the sandbox; `env` on top. Stop it with `http.stop()`.
 */
export async function startHostedInProcess(sandbox: Sandbox, databasePath: string, env: Record<string, string> = {}, logs: string[] = []): Promise<InProcessHosted> {
  const config = parseConfig({
    AUTH_MODE: "oauth",
    AUTOTASK_MCP_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
    DATABASE_URL: databasePath,
    AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl,
    AUTOTASK_ALLOWED_API_HOSTS: sandboxHost(sandbox),
    ...env,
  });
  const log = createLogger({ level: "info", write: (line) => void logs.push(line) });
  const http = await startHttpServer({ config, log, runtime: new Runtime(config, log), stop: async () => {} }, { port: 0, host: "127.0.0.1" });
  const origin = `http://localhost:${http.port}`;
  return { http, base: http.url, origin, resource: `${origin}/v1/autotask/mcp`, logs };
}

/**
 * A browser without JavaScript: a cookie jar, forms posted as forms (with our Origin), redirects
 * not followed. `server` is read on every request, so a restarted server is followed.
 */
export class FormBrowser {
  private cookies = new Map<string, string>();

  constructor(private readonly server: () => { base: string; origin: string }) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.remember(await fetch(new URL(path, this.server().base), { headers: { ...this.headers(), ...headers }, redirect: "manual" }));
  }

  /** Posts the first form on `html` whose action is `action`, with its hidden fields plus `fields`. */
  async submit(html: string, action: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const form = [...html.matchAll(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((match) => unescapeHtml(match[1]!) === action);
    if (!form) throw new Error(`no form posting to ${action} on the page: ${html.slice(0, 500)}`);
    const body = new URLSearchParams();
    for (const hidden of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) body.set(hidden[1]!, unescapeHtml(hidden[2]!));
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return this.post(action, body, headers);
  }

  async post(path: string, body: URLSearchParams, headers: Record<string, string> = {}): Promise<Response> {
    return this.remember(await fetch(new URL(path, this.server().base), { method: "POST", body, headers: { ...this.headers(), Origin: this.server().origin, ...headers }, redirect: "manual" }));
  }

  /** Fetches `path` and submits its form posting to `action`. */
  async fill(path: string, action: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const html = await (await this.get(path, headers)).text();
    return this.submit(html, action, fields, headers);
  }

  private headers(): Record<string, string> {
    return this.cookies.size ? { Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") } : {};
  }

  private remember(response: Response): Response {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  }
}

/** Text of an HTML attribute or element as the page escaped it. */
export const unescapeHtml = (text: string) => text.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");

/** A PKCE pair (RFC 7636, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}
