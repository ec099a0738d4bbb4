import { defineCommand } from "citty";

/** The container HEALTHCHECK: distroless images have no curl, so the binary checks itself. */
export default defineCommand({
  meta: { name: "healthcheck", description: "GET /health of a running HTTP server; exit 0 when it answers ok" },
  args: {
    url: { type: "string", description: "Server or health URL (default http://127.0.0.1:$MCP_HTTP_PORT/health)", valueHint: "url" },
    timeout: { type: "string", description: "Seconds to wait (default 5)", valueHint: "seconds" },
  },
  async run({ args }) {
    const url = healthUrl(args.url);
    const timeoutMs = (Number(args.timeout) || 5) * 1000;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const body = (await response.json().catch(() => ({}))) as { status?: string };
      if (response.ok && body.status === "ok") {
        process.stdout.write(`ok ${url}\n`);
        process.exit(0);
      }
      process.stderr.write(`autotask-mcp: unhealthy: ${url} answered HTTP ${response.status}\n`);
    } catch (error) {
      process.stderr.write(`autotask-mcp: unhealthy: ${url}: ${(error as Error).message}\n`);
    }
    process.exit(1);
  },
});

/**
 * `--url` may be the health URL itself or just the server (`http://localhost:8080`). Without it:
 * the configured port on the configured host, or loopback when the server binds every address.
 */
function healthUrl(given: string | undefined): string {
  if (given) {
    try {
      const url = new URL(given);
      if (url.pathname === "/" || url.pathname === "") url.pathname = "/health";
      return url.toString();
    } catch {
      return given;
    }
  }
  const port = process.env.MCP_HTTP_PORT?.trim() || "8080";
  const bound = process.env.MCP_HTTP_HOST?.trim() || "0.0.0.0";
  const host = bound === "0.0.0.0" || bound === "::" ? "127.0.0.1" : bound.includes(":") && !bound.startsWith("[") ? `[${bound}]` : bound;
  return `http://${host}:${port}/health`;
}
