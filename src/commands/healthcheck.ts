import { defineCommand } from "citty";

/** The container HEALTHCHECK: distroless images have no curl, so the binary checks itself. */
export default defineCommand({
  meta: { name: "healthcheck", description: "GET /health of a running HTTP server; exit 0 when it answers ok" },
  args: {
    url: { type: "string", description: "Health URL (default http://127.0.0.1:$MCP_HTTP_PORT/health)", valueHint: "url" },
  },
  async run({ args }) {
    const url = args.url ?? `http://127.0.0.1:${process.env.MCP_HTTP_PORT?.trim() || "8080"}/health`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
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
