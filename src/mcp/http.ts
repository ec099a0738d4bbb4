/**
 * HTTP transport: Bun.serve with stateless Streamable HTTP on /mcp and /health.
 * (Minimal first step; hardening and gateway behaviour follow.)
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { resolveEnvCredentials, resolveGatewayCredentials } from "../auth.ts";
import { selectionOf, type Started } from "../boot.ts";
import { buildServer } from "./server.ts";

export async function serveHttp({ config, log, runtime }: Started): Promise<void> {
  const server = Bun.serve({
    port: config.http.port,
    hostname: config.http.host,
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/health") {
        return Response.json({ status: "ok", transport: "http", authMode: config.authMode, timestamp: new Date().toISOString() });
      }
      if (url.pathname !== "/mcp") return Response.json({ error: "Not found" }, { status: 404 });
      const auth = config.authMode === "gateway" ? resolveGatewayCredentials(config, request.headers) : resolveEnvCredentials(config);
      if (!auth.ok) return Response.json({ error: auth.message }, { status: auth.status });
      const ctx = runtime.contextFor(auth.credentials);
      const mcp = buildServer(ctx, { selection: selectionOf(config), toolTimeoutMs: config.http.toolTimeoutMs });
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await mcp.connect(transport);
      return transport.handleRequest(request);
    },
  });
  log.info("autotask-mcp listening", { url: `http://${server.hostname}:${server.port}/mcp`, authMode: config.authMode });
}
