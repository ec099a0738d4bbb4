/**
 * What every subcommand shares: common flags, loading configuration (flags win over the
 * environment) and the one-line failure exit.
 */
import type { ArgsDef } from "citty";
import { ConfigError, parseConfig, type Config, type EnvVar } from "../config.ts";

export const sharedArgs = {
  sandbox: {
    type: "boolean",
    description: "Run against the built-in Autotask sandbox (no credentials needed)",
  },
  "log-level": { type: "string", description: "error, warn, info or debug (LOG_LEVEL)", valueHint: "level" },
  "log-format": { type: "string", description: "simple or json (LOG_FORMAT)", valueHint: "format" },
  "read-only": { type: "boolean", description: "Hide and refuse every write tool (AUTOTASK_READ_ONLY)" },
  toolsets: { type: "string", description: "Comma list of toolsets to expose (AUTOTASK_TOOLSETS)", valueHint: "list" },
} as const satisfies ArgsDef;

type SharedArgs = { sandbox?: boolean; "log-level"?: string; "log-format"?: string; "read-only"?: boolean; toolsets?: string };

/** Maps the shared flags onto the variables they override. */
export function sharedOverrides(args: SharedArgs): Partial<Record<EnvVar, string | undefined>> {
  return {
    AUTOTASK_SANDBOX: args.sandbox ? "true" : undefined,
    LOG_LEVEL: args["log-level"],
    LOG_FORMAT: args["log-format"],
    AUTOTASK_READ_ONLY: args["read-only"] ? "true" : undefined,
    AUTOTASK_TOOLSETS: args.toolsets,
  };
}

/** Writes one line to stderr and exits non-zero. Never a stack trace. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`autotask-mcp: ${message}\n`);
  process.exit(code);
}

export function loadConfig(overrides: Partial<Record<EnvVar, string | undefined>>): Config {
  try {
    return parseConfig(process.env, overrides);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}
