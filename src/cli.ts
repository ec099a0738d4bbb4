/**
 * autotask-mcp — an MCP server for Kaseya Autotask PSA.
 * Subcommands load lazily, so `stdio` never pays for the HTTP server and vice versa.
 */
import { stripVTControlCharacters } from "node:util";
import { defineCommand, renderUsage, runMain, type ArgsDef, type CommandDef } from "citty";
import { argumentProblem } from "./commands/_strict.ts";
import { nearest } from "./fuzzy.ts";
import { redactText } from "./redact.ts";
import { VERSION_LINE } from "./version.ts";

const USAGE_ERROR = 2;

const subCommands = {
  stdio: () => load("stdio", import("./commands/stdio.ts")),
  serve: () => load("serve", import("./commands/serve.ts")),
  "test-connection": () => load("test-connection", import("./commands/test-connection.ts")),
  healthcheck: () => load("healthcheck", import("./commands/healthcheck.ts")),
  tools: () => load("tools", import("./commands/tools.ts")),
  keys: () => load("keys", import("./commands/keys.ts")),
};
const COMMANDS = Object.keys(subCommands);
const rawArgs = process.argv.slice(2);
/** The first word names the command (citty's rule); without one the default command runs (stdio, or serve). */
const first = rawArgs.find((arg) => !arg.startsWith("-"));
const explicit = first !== undefined;

/**
 * Every command runs behind two guards: its arguments are checked strictly first (an unknown flag is
 * a usage error, never silently ignored), and citty's stack trace for unexpected errors becomes one
 * redacted line (commands already turn every expected failure into a clear message and exit code).
 */
// Each command has its own args type; the guard only reads their definitions.
function guarded(name: string, command: CommandDef<any>): CommandDef<any> {
  const run = command.run;
  const subs = command.subCommands;
  if (subs && typeof subs === "object") {
    // Nested commands (`keys rotate`) get the same guards.
    const wrapped = Object.fromEntries(Object.entries(subs).map(([sub, def]) => [sub, guarded(`${name} ${sub}`, def as CommandDef<any>)]));
    return { ...command, subCommands: wrapped };
  }
  if (!run) return command;
  return {
    ...command,
    async run(context) {
      const problem = argumentProblem(explicit ? `autotask-mcp ${name}` : "autotask-mcp", (command.args ?? {}) as ArgsDef, context.rawArgs, COMMANDS);
      if (problem) {
        process.stderr.write(`${problem}\n`);
        process.exit(USAGE_ERROR);
      }
      try {
        return await run(context);
      } catch (error) {
        if ((error as { code?: string }).code === "EPIPE") process.exit(0);
        // A setting checked at start-up against the tool registry (boot.ts) is reported like any bad setting.
        if ((error as Error).name === "ConfigError") {
          process.stderr.write(`autotask-mcp: ${redactText((error as Error).message)}\n`);
          process.exit(1);
        }
        process.stderr.write(`autotask-mcp: unexpected error: ${redactText(error instanceof Error ? error.message : String(error))}\n`);
        process.exit(1);
      }
    },
  };
}

// Any command module, as guarded() takes it.
const load = (name: string, module: Promise<{ default: CommandDef<any> }>) => module.then((m) => guarded(name, m.default));

const main = defineCommand({
  meta: {
    name: "autotask-mcp",
    version: VERSION_LINE,
    description: "MCP server for Kaseya Autotask PSA (stdio, HTTP gateway, built-in sandbox)",
  },
  // No subcommand: stdio, or HTTP when MCP_TRANSPORT=http (how the container and old configs start it).
  default: () => (process.env.MCP_TRANSPORT?.trim().toLowerCase() === "http" ? "serve" : "stdio"),
  subCommands,
});

// `autotask-mcp tools | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
});

if (first !== undefined && !COMMANDS.includes(first)) {
  // citty would print the whole usage and exit 1; a misspelt command is a usage error like any other.
  const best = nearest(first, COMMANDS);
  process.stderr.write(`autotask-mcp: unknown command ${JSON.stringify(first)} (${best ? `did you mean ${best}? ` : ""}commands: ${COMMANDS.join(", ")})\n`);
  process.exit(USAGE_ERROR);
}

if (first !== undefined && rawArgs[0] !== first && !rawArgs.some((arg) => arg === "--help" || arg === "-h")) {
  // citty would drop the options in front of the command without a word.
  process.stderr.write(`autotask-mcp: options go after the command: autotask-mcp ${first} ${rawArgs.filter((arg) => arg !== first).join(" ")}\n`);
  process.exit(USAGE_ERROR);
}

runMain(main, {
  rawArgs,
  // Colour codes only for a terminal: piped help (`autotask-mcp --help | less`) stays plain text.
  async showUsage(command, parent) {
    const text = await renderUsage(command, parent);
    process.stdout.write(`${process.stdout.isTTY ? text : stripVTControlCharacters(text)}\n\n`);
  },
});
