/**
 * autotask-mcp — an MCP server for Kaseya Autotask PSA.
 * Subcommands load lazily, so `stdio` never pays for the HTTP server and vice versa.
 */
import { defineCommand, runMain, type CommandDef } from "citty";
import { redactText } from "./redact.ts";
import { VERSION_LINE } from "./version.ts";

/**
 * citty prints unexpected errors with their stack; a user should see one line instead (commands
 * already turn every expected failure into a clear message and exit code).
 */
// Each command has its own args type; the guard does not look at them.
function guarded(command: CommandDef<any>): CommandDef<any> {
  const run = command.run;
  if (!run) return command;
  return {
    ...command,
    async run(context) {
      try {
        return await run(context);
      } catch (error) {
        process.stderr.write(`autotask-mcp: unexpected error: ${redactText(error instanceof Error ? error.message : String(error))}\n`);
        process.exit(1);
      }
    },
  };
}

// Any command module, as guarded() takes it.
const load = (module: Promise<{ default: CommandDef<any> }>) => module.then((m) => guarded(m.default));

const main = defineCommand({
  meta: {
    name: "autotask-mcp",
    version: VERSION_LINE,
    description: "MCP server for Kaseya Autotask PSA (stdio, HTTP gateway, built-in sandbox)",
  },
  // No subcommand: stdio, or HTTP when MCP_TRANSPORT=http (how the container and old configs start it).
  default: () => (process.env.MCP_TRANSPORT?.trim().toLowerCase() === "http" ? "serve" : "stdio"),
  subCommands: {
    stdio: () => load(import("./commands/stdio.ts")),
    serve: () => load(import("./commands/serve.ts")),
    "test-connection": () => load(import("./commands/test-connection.ts")),
    healthcheck: () => load(import("./commands/healthcheck.ts")),
    tools: () => load(import("./commands/tools.ts")),
  },
});

runMain(main);
