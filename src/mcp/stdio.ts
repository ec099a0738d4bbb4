/**
 * stdio wiring. stdout carries only JSON-RPC; everything else goes to stderr. Without credentials the
 * server still starts and lists its tools — a Claude Desktop user would otherwise only see "server
 * disconnected" — and every tool call explains which variables to set.
 *
 * The SDK's serveStdio owns the protocol era of the connection: an `initialize` opening pins a
 * 2025-era server, a `server/discover` or `_meta`-envelope opening a 2026-07-28 one. Both come from
 * buildServer() with this process's one context.
 */
import { serveStdio as serveMcpStdio } from "@modelcontextprotocol/server/stdio";
import { resolveEnvCredentials } from "../auth.ts";
import { serverOptions, type Started } from "../boot.ts";
import { buildServer } from "./server.ts";

export async function serveStdio({ config, log, runtime, stop }: Started): Promise<void> {
  if (config.authMode !== "env") log.warn(`AUTH_MODE=${config.authMode} has no effect over stdio; using credentials from the environment`);
  const auth = resolveEnvCredentials(config);
  if (!auth.ok) log.warn(auth.message);
  const ctx = auth.ok ? runtime.contextFor(auth.credentials) : runtime.unconfigured(auth.message);
  const options = serverOptions(config);

  const connection = serveMcpStdio(() => buildServer(ctx, options), {
    onerror: (error) => log.debug("mcp stdio error", { error: error.message }),
  });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await connection.close().catch(() => {});
    await stop();
    process.exit(0);
  };
  // The client closing stdin is the normal way a stdio server is told to go.
  process.stdin.on("end", shutdown);
  process.stdin.on("close", shutdown);
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  log.info("autotask-mcp ready on stdio", { tenant: ctx.tenant, sandbox: config.sandbox || undefined });
}
