/**
 * stdio wiring. stdout carries only JSON-RPC; everything else goes to stderr. Without credentials the
 * server still starts and lists its tools — a Claude Desktop user would otherwise only see "server
 * disconnected" — and every tool call explains which variables to set.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { resolveEnvCredentials } from "../auth.ts";
import { selectionOf, type Started } from "../boot.ts";
import { buildServer } from "./server.ts";

export async function serveStdio({ config, log, runtime, stop }: Started): Promise<void> {
  if (config.authMode !== "env") log.warn(`AUTH_MODE=${config.authMode} has no effect over stdio; using credentials from the environment`);
  const auth = resolveEnvCredentials(config);
  if (!auth.ok) log.warn(auth.message);
  const ctx = auth.ok ? runtime.contextFor(auth.credentials) : runtime.unconfigured(auth.message);
  const server = buildServer(ctx, { selection: selectionOf(config), toolTimeoutMs: config.http.toolTimeoutMs });
  const transport = new StdioServerTransport();

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => {});
    await stop();
    process.exit(0);
  };
  // The client closing stdin is the normal way a stdio server is told to go.
  process.stdin.on("end", shutdown);
  process.stdin.on("close", shutdown);
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  await server.connect(transport);
  log.info("autotask-mcp ready on stdio", { tenant: ctx.tenant, sandbox: config.sandbox || undefined });
}
