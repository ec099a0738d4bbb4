import { defineCommand } from "citty";
import { start } from "../boot.ts";
import { CoordinationError } from "../coord/index.ts";
import { HttpStartError, serveHttp } from "../mcp/http.ts";
import { fail, loadConfig, sharedArgs, sharedOverrides } from "./_shared.ts";

export default defineCommand({
  meta: { name: "serve", description: "Serve MCP over HTTP (Streamable HTTP, stateless; env, gateway or oauth auth)" },
  args: {
    port: { type: "string", description: "Port (MCP_HTTP_PORT, default 8080; 0 picks a free port)", valueHint: "port" },
    host: { type: "string", description: "Address to bind (MCP_HTTP_HOST, default 0.0.0.0)", valueHint: "host" },
    "auth-mode": { type: "string", description: "env, gateway or oauth (AUTH_MODE)", valueHint: "mode" },
    ...sharedArgs,
  },
  async run({ args }) {
    const config = loadConfig({
      ...sharedOverrides(args),
      MCP_TRANSPORT: "http",
      MCP_HTTP_PORT: args.port,
      MCP_HTTP_HOST: args.host,
      AUTH_MODE: args["auth-mode"],
    });
    const started = await start(config, { shareLimits: true }).catch((error: Error) => (error instanceof CoordinationError ? fail(error.message) : Promise.reject(error)));
    try {
      await serveHttp(started);
      // Listening: start-up is over. The binary starts with a JIT policy that leaves run-once
      // start-up code to the interpreter (scripts/build.ts COMPILE_OPTIONS); serving many requests
      // wants the normal one. (Node has no such switch; neither needs one from source.)
      if (typeof Bun !== "undefined") Bun.unsafe.setJITPolicy(1);
    } catch (error) {
      await started.stop().catch(() => {});
      if (error instanceof HttpStartError) fail(error.message);
      const code = (error as { code?: string }).code;
      if (code === "EADDRINUSE") fail(`port ${config.http.port} on ${config.http.host} is already in use (MCP_HTTP_PORT / --port)`);
      if (code === "EACCES") fail(`not allowed to listen on ${config.http.host}:${config.http.port} (MCP_HTTP_PORT / --port)`);
      if (code === "EADDRNOTAVAIL") fail(`cannot bind ${config.http.host}: no such local address (MCP_HTTP_HOST / --host)`);
      fail(`could not start the HTTP server: ${(error as Error).message}`);
    }
  },
});
