/**
 * Hosted mode (AUTH_MODE=oauth): the HTTP server is its own OAuth authorization server, and an
 * access token stands for a person whose team's Autotask credentials are stored encrypted.
 *
 * The HTTP transport uses two hooks and nothing else: route() answers this module's paths
 * (discovery, /register, /authorize, /token, /revoke, the pages) and authenticate() turns a
 * request to an MCP path into Credentials, or a 401 whose challenge starts a client's OAuth flow.
 */
import type { Started } from "../boot.ts";
import { within } from "../deadline.ts";
import { redactPath } from "../redact.ts";
import { displayUrl, openStore } from "../store/index.ts";
import { handleAccount, handleInvite } from "./account.ts";
import { Accounts } from "./accounts.ts";
import { handleAuthorize } from "./authorize.ts";
import { ClientMetadataFetcher } from "./cimd.ts";
import { Clients } from "./clients.ts";
import { Connections } from "./connection.ts";
import type { HostedDeps, HostedRequest } from "./deps.ts";
import { handleStepPost } from "./flow.ts";
import { loadKeyRing } from "./keys.ts";
import { Endpoints } from "./metadata.ts";
import { messagePage } from "./pages/steps.ts";
import { STYLESHEET, STYLESHEET_PATH } from "./pages/style.ts";
import { RateLimiter } from "./rate-limit.ts";
import { resolveBearer, type Resolution } from "./resolve.ts";
import { handleRegister, handleRevoke, handleToken } from "./token.ts";
import { cookieNames, type CookieNames } from "./web.ts";

export interface Hosted {
  /** Answers a hosted path (`path`: the URL's, without a trailing slash), or undefined when the path is not one of ours. */
  route(request: Request, url: URL, path: string, address: string): Promise<Response | undefined>;
  /** Resolves the bearer token of a request to the MCP path `path`. */
  authenticate(request: Request, path: string): Promise<Resolution>;
  /** Tells the module the server's own origin (used when MCP_PUBLIC_URL is unset). */
  listening(origin: string): void;
  /** Whether the store answers within `timeoutMs` (the readiness probe). */
  storeAnswers(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Endpoints that browser-based clients call cross-origin (no cookies: CORS * is safe). */
const CORS_PATHS = new Set(["/token", "/register", "/revoke"]);
const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Opens the store and the key ring and returns the hooks. Throws (KeyError, StoreError) with one
 * line when the key is missing or malformed or the store cannot be opened.
 */
export async function startHosted(started: Started): Promise<Hosted> {
  const { config, log, runtime } = started;
  const keys = await loadKeyRing(config.hosted);
  const store = await openStore(config.hosted.databaseUrl);
  let origin = config.hosted.publicUrl ?? `http://localhost:${config.http.port}`;
  let endpoints = new Endpoints(origin, config.http.mcpPath);
  let cookies: CookieNames = cookieNames(origin);
  const limiter = new RateLimiter(runtime.coordinator);
  const audit = log.child({ audit: true });
  const deps: HostedDeps = {
    log,
    store,
    limiter,
    accounts: new Accounts(store, limiter),
    connections: new Connections(config, runtime, store, keys),
    clients: new Clients(store, new ClientMetadataFetcher({ allowLoopback: config.hosted.cimdAllowLoopback, limiter })),
    endpoints: () => endpoints,
    cookies: () => cookies,
    audit: (event, fields) => audit.info(`audit ${event}`, { event, ...fields }),
    now: Date.now,
  };
  const purge = setInterval(() => void store.purgeExpired(Date.now()).catch((error) => log.warn("store purge failed", { error: (error as Error).message })), PURGE_EVERY_MS);
  purge.unref?.();
  log.info("hosted mode ready", { issuer: origin, store: displayUrl(config.hosted.databaseUrl), keyId: keys.currentId, keys: keys.ids.length });

  async function answer(req: HostedRequest): Promise<Response | undefined> {
    const discovery = endpoints.discovery(req.path);
    if (discovery) return discovery;
    if (CORS_PATHS.has(req.path) && req.request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type, Authorization", "Access-Control-Max-Age": "600" },
      });
    }
    switch (req.path) {
      case STYLESHEET_PATH:
        return new Response(STYLESHEET, { headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff" } });
      case "/":
        return new Response(null, { status: 303, headers: { Location: "/account" } });
      case "/authorize":
        return handleAuthorize(deps, req);
      case "/token":
        return withCors(await handleToken(deps, req));
      case "/revoke":
        return withCors(await handleRevoke(deps, req));
      case "/register":
        return withCors(await handleRegister(deps, req));
    }
    return (await handleStepPost(deps, req)) ?? (await handleAccount(deps, req)) ?? (await handleInvite(deps, req));
  }

  return {
    async route(request, url, path, address) {
      // Behind a proxy (MCP_TRUST_PROXY) the peer is the proxy; the client is the address it appended last.
      const forwarded = config.hosted.trustProxy ? request.headers.get("x-forwarded-for")?.split(",").pop()?.trim() : undefined;
      try {
        return await answer({ request, url, path, address: forwarded || address });
      } catch (error) {
        log.error("hosted request failed", { path: redactPath(path), error: (error as Error).message });
        return messagePage("Something went wrong", "The server could not complete this request. Try again; if it persists, tell the operator.", 500);
      }
    },
    authenticate: (request, path) => resolveBearer(deps, request, path),
    listening(actual) {
      if (config.hosted.publicUrl) return;
      origin = actual;
      endpoints = new Endpoints(origin, config.http.mcpPath);
      cookies = cookieNames(origin);
      log.warn(`MCP_PUBLIC_URL is not set: OAuth metadata names ${origin}; clients must use exactly that URL (set MCP_PUBLIC_URL to the address clients reach, e.g. behind a TLS proxy)`);
    },
    storeAnswers(timeoutMs) {
      const answered = store.ping().then(
        () => true,
        () => false,
      );
      return within(answered, timeoutMs, () => false);
    },
    async close() {
      clearInterval(purge);
      await store.close();
    },
  };
}

function withCors(response: Response): Response {
  response.headers.set("Access-Control-Allow-Origin", "*");
  return response;
}
