/**
 * HTTP transport: stateless Streamable HTTP on POST /mcp, GET /health and /ready (Bun.serve; node:http when
 * the npm package runs on Node — see serve.ts).
 *
 * Every POST /mcp runs alone: credentials resolved from this request (gateway) or the environment
 * (env), a per-request context (fresh Autotask client, the tenant's shared gate and caches), a fresh
 * server from buildServer(). Nothing about a request outlives it, so any replica can answer any
 * request and no tenant's state can leak into another's.
 *
 * Order of checks (cheapest and least revealing first): method, Host, path; on /mcp DNS rebinding,
 * gateway signature (X-Gateway-S2S), bearer token, credentials, selection headers, content type,
 * body size, JSON, batch rules. No Autotask call happens before all of them pass, and every refusal
 * is a 4xx with a JSON body — parsing included, so nothing malformed ends in a 500 or a dropped
 * connection.
 *
 * Shutdown (stop, on SIGTERM): stop accepting; let accepted calls finish within the drain window (a
 * started call's follow-up Autotask requests go ahead of calls not yet started — see the
 * Coordinator); at the end of the window, requests still waiting to be sent are not sent and every
 * unfinished call is answered 503 with Retry-After instead of losing its connection.
 */
import { impersonationHeaderRefusal, resolveEnvCredentials, resolveGatewayCredentials } from "../auth.ts";
import { serverOptions, type Started } from "../boot.ts";
import { missingEnvCredentials, type Credentials } from "../config.ts";
import type { Hosted } from "../hosted/index.ts";
import { redactPath } from "../redact.ts";
import { serve } from "../serve.ts";
import {
  bearerMatches,
  capAnswer,
  hostHeaderRefusal,
  isJsonContentType,
  isKnownMethod,
  isLoopbackHost,
  originRefusal,
  readBody,
  rebindingRefusal,
  rpcError,
  RPC,
  summarize,
} from "./http-guard.ts";
import { createMcpHandling } from "./http-eras.ts";
import { health, ready, type ProbeDeps } from "./http-probes.ts";
import { normalizeMessages, requestSelection } from "./http-mcp.ts";
import { listings } from "./lists.ts";
import { S2S_HEADER, s2sRefusal } from "./s2s.ts";

export interface HttpServerOptions {
  /** Overrides MCP_HTTP_PORT (0: a free port). */
  port?: number;
  /** Overrides MCP_HTTP_HOST. */
  host?: string;
  /** Seconds an idle connection (or a client sending its request slowly) is kept; default 30. */
  idleTimeoutSeconds?: number;
}

export interface HttpServer {
  /** Base URL a local client can use, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  hostname: string;
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting connections and waits for in-flight requests, at most `timeoutMs` (default
   * 25 s): a second before the end, what is still waiting to go to Autotask is not sent and every
   * unfinished call is answered 503 + Retry-After; then whatever is left is closed, and the hosted
   * store with it. Resolves true when everything finished in time.
   */
  stop(options?: { timeoutMs?: number }): Promise<boolean>;
}

export class HttpStartError extends Error {
  override name = "HttpStartError";
}

/** What the access log line says about a request beyond method, path and status. */
interface AccessNote {
  path?: string;
  tenant?: string;
  rpc?: string;
  tool?: string;
  lenient?: boolean;
}

const DEFAULT_DRAIN_MS = 25_000;
/** The end of the drain window kept for answering unfinished calls with 503. */
const ANSWER_REST_MS = 1_000;
const MCP_ALLOW = "POST";
/**
 * Largest answer to one request. The largest legitimate one is a ticket attachment: 6 MiB of file,
 * 8 MiB as base64, twice (text and structuredContent).
 */
const MAX_ANSWER_BYTES = 24 * 1024 * 1024;

/** Starts the HTTP server (no signal handling; see serveHttp). Throws HttpStartError on bad setup. */
export async function startHttpServer(started: Started, options: HttpServerOptions = {}): Promise<HttpServer> {
  const { config, log, runtime } = started;
  const host = options.host ?? config.http.host;
  const loopback = isLoopbackHost(host);
  // Host/Origin are checked on loopback binds (DNS rebinding), and on any bind once the operator
  // names the hosts a request may use.
  const checkHost = loopback || config.http.allowedHosts.length > 0;
  // The public name (MCP_PUBLIC_URL) is one of ours too.
  const allowedHosts = config.hosted.publicUrl ? [...config.http.allowedHosts, new URL(config.hosted.publicUrl).hostname] : config.http.allowedHosts;
  // /mcp and /health: the Origin of a browser page is checked on every bind (0.0.0.0 too).
  const rebinding = (headers: Headers) => (checkHost ? rebindingRefusal(headers, allowedHosts) : originRefusal(headers, allowedHosts));
  const token = config.http.token;
  const baseOptions = serverOptions(config);
  /** Every tool's facts, for a request's write allowlist: from the listings, so no tool module loads at start. */
  const toolFacts = async () => (await listings(log)).tools;
  const maxBodyBytes = config.http.maxBodyBytes;

  let envCredentials: Credentials | undefined;
  if (config.authMode === "env") {
    const auth = resolveEnvCredentials(config);
    if (!auth.ok) {
      throw new HttpStartError(
        `serve in env mode needs Autotask credentials: set ${missingEnvCredentials(config).join(", ")} (or run with AUTH_MODE=gateway to take credentials from each request's headers, or --sandbox to try it out)`,
      );
    }
    envCredentials = auth.credentials;
  }

  // ---- hosted mode (AUTH_MODE=oauth): its own routes and the bearer-token resolver live in src/hosted.
  // Loaded only in that mode: it needs Bun (bun:sqlite) and the encryption key.
  let hosted: Hosted | undefined;
  if (config.authMode === "oauth") {
    try {
      hosted = await (await import("../hosted/index.ts")).startHosted(started);
    } catch (error) {
      throw new HttpStartError((error as Error).message);
    }
  }
  const mcpPaths = new Set(["/mcp", config.http.mcpPath]);
  // ---- end hosted mode

  let inFlight = 0;
  let draining = false;
  const probes: ProbeDeps = { config, runtime, hosted, envCredentials, draining: () => draining };
  let whenIdle: (() => void) | undefined;
  /** Calls being answered: at the end of the drain window each is answered 503 at once. */
  const answering = new Set<() => void>();
  const handleMcp = createMcpHandling((error) => log.debug("mcp request refused or failed", { error: error.message }));

  async function route(request: Request, url: URL, keepOpen: () => void, note: AccessNote, address: string): Promise<Response> {
    const path = url.pathname.length > 1 && url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname;
    // ---- probes (liveness /health, readiness /ready): http-probes.ts
    if (path === "/health" || path === "/ready") {
      if (request.method !== "GET" && request.method !== "HEAD") return jsonError(405, `Method not allowed: use GET ${path}`, { Allow: "GET, HEAD" });
      const refusal = rebinding(request.headers);
      if (refusal) return jsonError(403, refusal);
      return path === "/health" ? health(request, probes) : ready(probes);
    }
    // ---- end probes
    if (!mcpPaths.has(path)) {
      if (hosted) {
        // Not the every-bind Origin check: /token, /register and /revoke serve browser-based clients
        // of any origin (CORS, no cookies), and every page form checks its Origin (web.ts csrfRefusal).
        const refusal = checkHost ? rebindingRefusal(request.headers, allowedHosts) : undefined;
        if (refusal) return jsonError(403, refusal);
        const answered = await hosted.route(request, url, path, address);
        if (answered) return answered;
      }
      return jsonError(404, `Not found: ${url.pathname} (MCP is served at POST ${config.http.mcpPath} and POST /mcp, health at GET /health)`);
    }
    if (request.method !== "POST") {
      return rpcError(405, RPC.serverError, `Method not allowed: ${request.method} ${path} (this server is stateless: use POST ${path})`, { Allow: MCP_ALLOW });
    }
    if (draining) return rpcError(503, RPC.serverError, "Server is shutting down; retry", { "Retry-After": "1", Connection: "close" });

    const refusal = rebinding(request.headers);
    if (refusal) return rpcError(403, RPC.serverError, refusal);
    if (config.http.s2sSecret) {
      const refusal = s2sRefusal(request.headers.get(S2S_HEADER), config.http.s2sSecret);
      if (refusal) return rpcError(401, RPC.serverError, refusal);
    }
    if (token && !bearerMatches(request.headers.get("authorization"), token)) {
      return rpcError(401, RPC.serverError, "Unauthorized: this server requires Authorization: Bearer <MCP_HTTP_TOKEN>", { "WWW-Authenticate": "Bearer" });
    }

    let credentials = envCredentials;
    if (config.authMode === "gateway") {
      const auth = resolveGatewayCredentials(config, request.headers);
      if (!auth.ok) return rpcError(auth.status, RPC.serverError, auth.message);
      credentials = auth.credentials;
    } else if (hosted) {
      const auth = await hosted.authenticate(request, path);
      if (!auth.ok) return rpcError(auth.status, RPC.serverError, auth.message, auth.headers);
      credentials = auth.credentials;
    }
    const impersonation = impersonationHeaderRefusal(config, request.headers);
    if (impersonation) return rpcError(400, RPC.serverError, impersonation);
    const selected = await requestSelection(baseOptions.selection, request.headers, toolFacts);
    if (!selected.ok) return rpcError(400, RPC.invalidRequest, selected.message);

    if (!isJsonContentType(request.headers.get("content-type"))) {
      return rpcError(415, RPC.serverError, `Unsupported Media Type: Content-Type must be application/json (got ${JSON.stringify(request.headers.get("content-type") ?? "")})`);
    }
    const body = await readBody(request, maxBodyBytes);
    if (!body.ok) return rpcError(413, RPC.serverError, `Payload Too Large: the request body must not exceed ${maxBodyBytes} bytes (MCP_HTTP_MAX_BODY_BYTES)`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      return rpcError(400, RPC.parseError, "Parse error: the request body is not valid JSON");
    }
    const normalized = normalizeMessages(parsed, request.headers);
    if (!normalized.ok) return rpcError(400, RPC.invalidRequest, normalized.message);
    note.rpc = summarize(normalized.methods);
    note.tool = summarize(normalized.tools);
    note.lenient = normalized.lenient || undefined;

    const ctx = runtime.contextFor(credentials!, { caller: address });
    note.tenant = ctx.tenant;
    // The body is in: from here the work is bounded by the tool-call and Autotask timeouts, so the
    // connection's idle timeout must not cut a slow tool call.
    keepOpen();
    const answered = handleMcp({
      request,
      body: normalized.body,
      ctx,
      options: { ...baseOptions, selection: selected.selection },
      onError: (error) => ctx.log.debug("mcp transport error", { error: error.message }),
    }).then((response) => capAnswer(response, MAX_ANSWER_BYTES));
    return new Promise<Response>((resolve, reject) => {
      const answerNow = () => resolve(unfinished());
      answering.add(answerNow);
      answered.then(resolve, reject).finally(() => answering.delete(answerNow));
    });
  }

  /** Everything before routing, inside the error boundary: method, Host, URL. */
  async function accept(request: Request, keepOpen: () => void, note: AccessNote, address: string): Promise<Response> {
    if (!isKnownMethod(request.method)) {
      return jsonError(501, `Not Implemented: ${request.method.slice(0, 20)} (this server answers GET /health and POST /mcp)`, { Allow: "GET, HEAD, POST" });
    }
    if (request.method === "CONNECT" || request.method === "TRACE") {
      return jsonError(405, `Method not allowed: ${request.method} (this server is not a proxy; it answers GET /health and POST /mcp)`, { Allow: "GET, HEAD, POST" });
    }
    const badHost = hostHeaderRefusal(request.headers);
    if (badHost) return jsonError(400, badHost);
    if (!URL.canParse(request.url)) return jsonError(400, "Bad Request: the request target is not a valid URL");
    const url = new URL(request.url);
    note.path = redactPath(url.pathname); // an invite link's path is its secret
    return route(request, url, keepOpen, note, address);
  }

  const server = await serve({
    port: options.port ?? config.http.port,
    hostname: host,
    idleTimeoutSeconds: options.idleTimeoutSeconds ?? 30,
    // readBody enforces MCP_HTTP_MAX_BODY_BYTES with a JSON 413; Bun's own cap (128 MiB, answered
    // with an empty 413) stays in place only for absurd declared sizes.
    async fetch(request, { keepOpen, address }) {
      const began = performance.now();
      const note: AccessNote = {};
      inFlight++;
      let response: Response;
      try {
        response = await accept(request, keepOpen, note, address);
      } catch (error) {
        log.error("request failed", { method: request.method, path: note.path, error: (error as Error).message });
        response = rpcError(500, RPC.internalError, "Internal error");
      } finally {
        inFlight--;
        if (inFlight === 0) whenIdle?.();
      }
      const fields = {
        method: request.method,
        path: note.path,
        status: response.status,
        ms: Math.round(performance.now() - began),
        tenant: note.tenant,
        rpc: note.rpc,
        tool: note.tool,
        lenient: note.lenient,
      };
      // Container health probes every few seconds would drown the log at info.
      if ((note.path === "/health" || note.path === "/ready") && response.status === 200) log.debug("http", fields);
      else log.info("http", fields);
      return response;
    },
    error(error) {
      log.error("request failed", { error: error.message });
      return rpcError(500, RPC.internalError, "Internal error");
    },
  });

  const { port, hostname } = server;
  const connectHost = hostname === "0.0.0.0" || hostname === "::" || hostname === "" ? "127.0.0.1" : hostname.includes(":") ? `[${hostname}]` : hostname;
  hosted?.listening(`http://localhost:${port}`);

  return {
    url: `http://${connectHost}:${port}`,
    port,
    hostname,
    inFlight: () => inFlight,
    async stop({ timeoutMs = DEFAULT_DRAIN_MS } = {}) {
      draining = true;
      const closed = server.stop(false);
      const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (whenIdle = resolve));
      const answerRestAfter = Math.max(0, timeoutMs - Math.min(ANSWER_REST_MS, timeoutMs / 2));
      const inTime = await Promise.race([idle.then(() => true), sleep(answerRestAfter).then(() => false)]);
      if (!inTime) {
        runtime.close(); // what still waits for a slot is not sent after its caller was told to retry
        for (const answerNow of answering) answerNow();
        await Promise.race([idle, sleep(timeoutMs - answerRestAfter)]);
      }
      // Give the last answers a moment to leave, then close what is left (idle keep-alive connections).
      await Promise.race([closed, sleep(100)]);
      await server.stop(true);
      await hosted?.close(); // the hosted store (SQLite: checkpoints its WAL)
      return inTime;
    },
  };
}

function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
}

/** The answer to a call that did not finish within the drain window. */
function unfinished(): Response {
  return rpcError(
    503,
    RPC.serverError,
    "Server is shutting down and this call did not finish in time; retry it (another replica will answer). If it was a change, first check whether it happened.",
    { "Retry-After": "1", Connection: "close" },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `autotask-mcp serve`: starts the server, says where it listens (and warns when env mode exposes
 * the operator's credentials), and drains on SIGTERM/SIGINT before exiting 0.
 */
export async function serveHttp(started: Started, options: HttpServerOptions = {}): Promise<HttpServer> {
  const { config, log } = started;
  const http = await startHttpServer(started, options);
  const exposed = !isLoopbackHost(http.hostname) && !config.http.token;
  if (exposed && config.authMode === "env") {
    log.warn(
      `WARNING: env mode on ${http.hostname}:${http.port} without MCP_HTTP_TOKEN — anyone who can reach this port can use this server's Autotask credentials (API user ${config.env.username}). Set MCP_HTTP_TOKEN, bind MCP_HTTP_HOST=127.0.0.1, or use AUTH_MODE=gateway.`,
    );
  } else if (exposed && config.gatewayDefaults.username && config.gatewayDefaults.secret && config.gatewayDefaults.integrationCode) {
    log.warn(
      `WARNING: gateway mode on ${http.hostname}:${http.port} with X_API_KEY/X_API_SECRET/X_INTEGRATION_CODE set and no MCP_HTTP_TOKEN — requests without credential headers use those credentials, so anyone who can reach this port can use them.`,
    );
  }
  const mcpUrl = `http://${http.hostname.includes(":") ? `[${http.hostname}]` : http.hostname}:${http.port}/mcp`;
  log.info("autotask-mcp listening", { url: mcpUrl, authMode: config.authMode, sandbox: config.sandbox || undefined });
  if (config.authMode === "oauth") {
    const publicMcpUrl = `${config.hosted.publicUrl ?? `http://localhost:${http.port}`}${config.http.mcpPath}`;
    log.info(`hosted mode: connect a client to ${publicMcpUrl} — e.g. \`claude mcp add --transport http autotask ${publicMcpUrl}\`; people sign in at ${publicMcpUrl.replace(config.http.mcpPath, "/account")}`);
  } else if (config.sandbox) {
    log.info(`sandbox demo ready: connect an MCP client to ${mcpUrl} — e.g. \`claude mcp add --transport http autotask-demo ${mcpUrl}\` or the MCP Inspector (npx @modelcontextprotocol/inspector)${config.authMode === "gateway" ? `; in gateway mode with the sandbox's credentials as headers: X-API-Key ${config.env.username}, X-API-Secret ${config.env.secret}, X-Integration-Code ${config.env.integrationCode}` : ""}`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      log.warn("second signal: closing open connections now", { signal });
      process.exit(1);
    }
    closing = true;
    log.info("shutting down: no new connections, waiting for in-flight requests", { signal, inFlight: http.inFlight(), maxSeconds: DEFAULT_DRAIN_MS / 1000 });
    const drained = await http.stop();
    if (!drained) log.warn("drain window ended: unfinished calls were answered 503 with Retry-After", { seconds: DEFAULT_DRAIN_MS / 1000 });
    await started.stop().catch(() => {});
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return http;
}
