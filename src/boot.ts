/**
 * Start-up shared by every server command: the logger, the coordinator (shared through Redis when
 * `serve` has REDIS_URL), the runtime and, with `--sandbox`, the built-in Autotask simulator.
 */
import { ConfigError, type Config } from "./config.ts";
import { Runtime } from "./context.ts";
import { openCoordinator } from "./coord/index.ts";
import { createLogger, type Logger } from "./log.ts";
import { listings } from "./mcp/lists.ts";
import type { ServerOptions } from "./mcp/server.ts";
import { writeAllowlistProblem, type ToolSelection } from "./tools/selection.ts";
import { brandViews } from "./ui/index.ts";

export interface Started {
  config: Config;
  log: Logger;
  runtime: Runtime;
  /** Stops what start() started (the sandbox, the Redis connections). */
  stop(): Promise<void>;
}

/**
 * Builds the runtime. With `sandbox`, starts the built-in Autotask simulator on a loopback port and
 * points the configuration at it: env credentials are the sandbox's API user, and zone discovery
 * asks the sandbox — the same code path as a real tenant. `shareLimits` (the HTTP server): Autotask's
 * limits are shared with other replicas through REDIS_URL when it is set; throws CoordinationError
 * (one line) when REDIS_URL cannot be used here.
 *
 * Throws ConfigError for settings only the tools themselves can check (AUTOTASK_WRITE_ALLOWLIST);
 * logs a warning for each setting accepted but not used (Config.notices).
 */
export async function start(config: Config, options: { shareLimits?: boolean } = {}): Promise<Started> {
  const log = createLogger(config.log);
  // Only an allowlist needs the tools' facts: from the listings, so a build loads no tool module for
  // it (from source they are computed from the registry, once, and serve the first tools/list too).
  if (config.writeAllowlist.length > 0) {
    const problem = writeAllowlistProblem(config.writeAllowlist, (await listings(log)).tools);
    if (problem) throw new ConfigError(`AUTOTASK_WRITE_ALLOWLIST: ${problem}`);
  }
  for (const notice of config.notices) log.warn(notice);
  brandViews(config.brand);
  const coordinator = await openCoordinator(config, log, options.shareLimits === true);
  if (!config.sandbox) return { config, log, runtime: new Runtime(config, log, coordinator), stop: () => coordinator.close() };
  const { startSandbox, DEFAULT_SANDBOX_TENANT } = await import("./sandbox/index.ts");
  const sandbox = await startSandbox();
  const host = new URL(sandbox.url).host;
  const sandboxed: Config = {
    ...config,
    env: { username: DEFAULT_SANDBOX_TENANT.username, secret: DEFAULT_SANDBOX_TENANT.secret, integrationCode: DEFAULT_SANDBOX_TENANT.integrationCode },
    zoneLookupUrl: sandbox.zoneLookupUrl,
    allowedApiHosts: [...config.allowedApiHosts, host],
  };
  log.info("using the built-in Autotask sandbox", { url: sandbox.url, user: DEFAULT_SANDBOX_TENANT.username });
  return {
    config: sandboxed,
    log,
    runtime: new Runtime(sandboxed, log, coordinator),
    stop: async () => {
      await coordinator.close();
      await sandbox.stop();
    },
  };
}

export function selectionOf(config: Config): ToolSelection {
  return { readOnly: config.readOnly, writeAllowlist: config.writeAllowlist, toolsets: config.toolsets, lazy: config.lazyLoading };
}

/** What every server built for this configuration shares; HTTP narrows the selection per request. */
export function serverOptions(config: Config): ServerOptions {
  return {
    selection: selectionOf(config),
    toolTimeoutMs: config.http.toolTimeoutMs,
    untrustedMarkers: config.untrustedMarkers,
    name: config.server.name,
    version: config.server.version,
  };
}
