import { defineCommand } from "citty";
import { start } from "../boot.ts";
import { serveHttp } from "../mcp/http.ts";
import { loadConfig, sharedArgs, sharedOverrides } from "./_shared.ts";

export default defineCommand({
  meta: { name: "serve", description: "Serve MCP over HTTP (Streamable HTTP, stateless; env or gateway auth)" },
  args: {
    port: { type: "string", description: "Port (MCP_HTTP_PORT, default 8080)", valueHint: "port" },
    host: { type: "string", description: "Address to bind (MCP_HTTP_HOST, default 0.0.0.0)", valueHint: "host" },
    "auth-mode": { type: "string", description: "env or gateway (AUTH_MODE)", valueHint: "mode" },
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
    await serveHttp(await start(config));
  },
});
