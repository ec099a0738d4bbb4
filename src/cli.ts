/**
 * autotask-mcp — an MCP server for Kaseya Autotask PSA.
 * Subcommands load lazily, so `stdio` never pays for the HTTP server and vice versa.
 */
import { defineCommand, runMain } from "citty";
import { VERSION } from "./version.ts";

const main = defineCommand({
  meta: {
    name: "autotask-mcp",
    version: VERSION,
    description: "MCP server for Kaseya Autotask PSA (stdio, HTTP gateway, built-in sandbox)",
  },
  // No subcommand: stdio, or HTTP when MCP_TRANSPORT=http (how the container and old configs start it).
  default: () => (process.env.MCP_TRANSPORT?.trim().toLowerCase() === "http" ? "serve" : "stdio"),
  subCommands: {
    stdio: () => import("./commands/stdio.ts").then((m) => m.default),
    serve: () => import("./commands/serve.ts").then((m) => m.default),
    "test-connection": () => import("./commands/test-connection.ts").then((m) => m.default),
    healthcheck: () => import("./commands/healthcheck.ts").then((m) => m.default),
    tools: () => import("./commands/tools.ts").then((m) => m.default),
  },
});

runMain(main);
