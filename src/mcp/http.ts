/**
 * HTTP transport: stateless Streamable HTTP on POST /mcp and GET /health (Bun.serve; node:http when
 * the npm package runs on Node — see serve.ts).
 *
 * Every POST /mcp runs alone: credentials resolved from this request (gateway) or the environment
 * (env), a per-request context (fresh Autotask client, the tenant's shared gate and caches), a fresh
 * server from buildServer(). Nothing about a request outlives it, so any replica can answer any
 * request and no tenant's state can leak into another's.
 *
 * Order of checks on /mcp (cheapest and least revealing first): method, DNS rebinding, bearer token,
 * credentials, selection headers, content type, body size, JSON. No Autotask call happens before all
 * of them pass.
 */
import { resolveEnvCredentials, resolveGatewayCredentials } from "../auth.ts";
import { selectionOf, type Started } from "../boot.ts";
import { missingEnvCredentials, type Credentials } from "../config.ts";
import { serve } from "../serve.ts";
import { bearerMatches, isJsonContentType, isLoopbackHost, readBody, rebindingRefusal, rpcError, RPC } from "./http-guard.ts";
import { createMcpHandling } from "./http-eras.ts";
import { normalizeMessages, requestSelection } from "./http-mcp.ts";

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
   * 25 s), then closes whatever is left. Resolves true when everything finished in time.
   */
  stop(options?: { timeoutMs?: number }): Promise<boolean>;
}

export class HttpStartError extends Error {
  override name = "HttpStartError";
}

/** What the access log line says about a request beyond method, path and status. */
interface AccessNote {
  tenant?: string;
  rpc?: string;
  tool?: string;
  lenient?: boolean;
}

const DEFAULT_DRAIN_MS = 25_000;
const MCP_ALLOW = "POST";

/** Starts the HTTP server (no signal handling; see serveHttp). Throws HttpStartError on bad setup. */
export async function startHttpServer(started: Started, options: HttpServerOptions = {}): Promise<HttpServer> {
  const { config, log, runtime } = started;
  const host = options.host ?? config.http.host;
  const loopback = isLoopbackHost(host);
  // Host/Origin are checked on loopback binds (DNS rebinding), and on any bind once the operator
  // names the hosts a request may use.
  const allowedHosts = config.http.allowedHosts;
  const checkHost = loopback || allowedHosts.length > 0;
  const token = config.http.token;
  const baseSelection = selectionOf(config);
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

  let inFlight = 0;
  let draining = false;
  const handleMcp = createMcpHandling((error) => log.debug("mcp request refused or failed", { error: error.message }));

  async function route(request: Request, url: URL, keepOpen: () => void, note: AccessNote): Promise<Response> {
    const path = url.pathname.length > 1 && url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname;
    if (path === "/health") {
      if (request.method !== "GET" && request.method !== "HEAD") return jsonError(405, "Method not allowed: use GET /health", { Allow: "GET, HEAD" });
      const refusal = checkHost ? rebindingRefusal(request.headers, allowedHosts) : undefined;
      if (refusal) return jsonError(403, refusal);
      return Response.json({ status: "ok", transport: "http", authMode: config.authMode, timestamp: new Date().toISOString() });
    }
    if (path !== "/mcp") return jsonError(404, `Not found: ${url.pathname} (MCP is served at POST /mcp, health at GET /health)`);
    if (request.method !== "POST") {
      return rpcError(405, RPC.serverError, `Method not allowed: ${request.method} /mcp (this server is stateless: use POST /mcp)`, { Allow: MCP_ALLOW });
    }
    if (draining) return rpcError(503, RPC.serverError, "Server is shutting down; retry", { "Retry-After": "1", Connection: "close" });

    if (checkHost) {
      const refusal = rebindingRefusal(request.headers, allowedHosts);
      if (refusal) return rpcError(403, RPC.serverError, refusal);
    }
    if (token && !bearerMatches(request.headers.get("authorization"), token)) {
      return rpcError(401, RPC.serverError, "Unauthorized: this server requires Authorization: Bearer <MCP_HTTP_TOKEN>", { "WWW-Authenticate": "Bearer" });
    }

    let credentials = envCredentials;
    if (config.authMode === "gateway") {
      const auth = resolveGatewayCredentials(config, request.headers);
      if (!auth.ok) return rpcError(auth.status, RPC.serverError, auth.message);
      credentials = auth.credentials;
    }
    const selected = requestSelection(baseSelection, request.headers);
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
    const normalized = normalizeMessages(parsed);
    if (!normalized.ok) return rpcError(400, RPC.invalidRequest, normalized.message);
    note.rpc = normalized.methods.join(",") || undefined;
    note.tool = normalized.tools.join(",") || undefined;
    note.lenient = normalized.lenient || undefined;

    const ctx = runtime.contextFor(credentials!);
    note.tenant = ctx.tenant;
    // The body is in: from here the work is bounded by the tool-call and Autotask timeouts, so the
    // connection's idle timeout must not cut a slow tool call.
    keepOpen();
    return handleMcp({
      request,
      body: normalized.body,
      ctx,
      selection: selected.selection,
      toolTimeoutMs: config.http.toolTimeoutMs,
      onError: (error) => ctx.log.debug("mcp transport error", { error: error.message }),
    });
  }

  const server = await serve({
    port: options.port ?? config.http.port,
    hostname: host,
    idleTimeoutSeconds: options.idleTimeoutSeconds ?? 30,
    // readBody enforces MCP_HTTP_MAX_BODY_BYTES with a JSON 413; Bun's own cap (128 MiB, answered
    // with an empty 413) stays in place only for absurd declared sizes.
    async fetch(request, { keepOpen }) {
      const began = performance.now();
      const url = new URL(request.url);
      const note: AccessNote = {};
      inFlight++;
      let response: Response;
      try {
        response = await route(request, url, keepOpen, note);
      } catch (error) {
        log.error("request failed", { method: request.method, path: url.pathname, error: (error as Error).message });
        response = rpcError(500, RPC.internalError, "Internal error");
      } finally {
        inFlight--;
      }
      const fields = {
        method: request.method,
        path: url.pathname,
        status: response.status,
        ms: Math.round(performance.now() - began),
        tenant: note.tenant,
        rpc: note.rpc,
        tool: note.tool,
        lenient: note.lenient,
      };
      // Container health probes every few seconds would drown the log at info.
      if (url.pathname === "/health" && response.status === 200) log.debug("http", fields);
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

  return {
    url: `http://${connectHost}:${port}`,
    port,
    hostname,
    inFlight: () => inFlight,
    async stop({ timeoutMs = DEFAULT_DRAIN_MS } = {}) {
      draining = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        server.stop(false).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) await server.stop(true);
      return !timedOut;
    },
  };
}

function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: message }, { status, headers });
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
  if (config.sandbox) {
    log.info(`sandbox demo ready: connect an MCP client to ${mcpUrl} — e.g. \`claude mcp add --transport http autotask-demo ${mcpUrl}\` or the MCP Inspector (npx @modelcontextprotocol/inspector)`);
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
    if (!drained) log.warn("drain timed out: closed the remaining connections", { seconds: DEFAULT_DRAIN_MS / 1000 });
    await started.stop().catch(() => {});
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return http;
}
