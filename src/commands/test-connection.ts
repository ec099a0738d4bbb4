import { defineCommand } from "citty";
import { resolveEnvCredentials } from "../auth.ts";
import { AutotaskError } from "../autotask/errors.ts";
import { checkConnection } from "../autotask/connection.ts";
import { start } from "../boot.ts";
import { ConfigError, parseConfig } from "../config.ts";
import { redactText } from "../redact.ts";
import { sharedArgs, sharedOverrides } from "./_shared.ts";

/** Why a connection failed, in words that say what to fix. */
const REASONS: Partial<Record<AutotaskError["kind"], string>> = {
  unauthorized: "wrong secret: Autotask knows the user but rejected AUTOTASK_SECRET",
  "unknown-user": "unknown user: Autotask has no API user named by AUTOTASK_USERNAME",
  "invalid-integration-code": "invalid integration code: Autotask rejected AUTOTASK_INTEGRATION_CODE",
  network: "Autotask is unreachable",
  timeout: "Autotask did not answer in time",
  unavailable: "Autotask is temporarily unavailable",
  "rate-limited": "Autotask is rate-limiting this integration",
  forbidden: "the API user lacks permission to read Resources",
};

export default defineCommand({
  meta: { name: "test-connection", description: "Check the Autotask credentials and print what was found" },
  args: {
    json: { type: "boolean", description: "Print the result as JSON (on failure too)" },
    sandbox: sharedArgs.sandbox,
    "log-level": sharedArgs["log-level"],
  },
  async run({ args }) {
    const began = performance.now();
    /** Every failure ends here: one line on stderr, or one JSON object on stdout with --json; exit 1. */
    const failed = (reason: string, detail?: string): never => {
      if (args.json) process.stdout.write(`${JSON.stringify({ ok: false, reason, ...(detail ? { detail } : {}), ms: Math.round(performance.now() - began) })}\n`);
      else process.stderr.write(`autotask-mcp: ${reason === "configuration" || reason === "missing credentials" ? detail : `connection failed: ${reason}\n  ${detail}`}\n`);
      process.exit(1);
    };
    let config;
    try {
      config = parseConfig(process.env, sharedOverrides(args));
    } catch (error) {
      if (error instanceof ConfigError) failed("configuration", error.message);
      throw error;
    }
    const started = await start(config);
    const auth = resolveEnvCredentials(started.config);
    if (!auth.ok) {
      await started.stop();
      return failed("missing credentials", auth.message);
    }
    const ctx = started.runtime.contextFor(auth.credentials);
    try {
      const report = await checkConnection(ctx.client);
      const out = {
        ok: true,
        zone: report.zoneName,
        apiUrl: report.apiUrl,
        username: report.username,
        resource: report.resource,
        ms: report.ms,
      };
      if (args.json) process.stdout.write(`${JSON.stringify(out)}\n`);
      else {
        process.stdout.write(
          [
            "Connected to Autotask",
            `  zone:      ${report.zoneName}`,
            `  API URL:   ${report.apiUrl}`,
            `  API user:  ${report.username}${report.resource ? ` (resource ${report.resource.id}: ${report.resource.name})` : ""}`,
            `  time:      ${report.ms} ms`,
            "",
          ].join("\n"),
        );
      }
      await started.stop();
      process.exit(0);
    } catch (error) {
      await started.stop();
      const reason = error instanceof AutotaskError ? (REASONS[error.kind] ?? error.kind) : "unexpected error";
      failed(reason, redactText(error instanceof Error ? error.message : String(error), [auth.credentials.secret, auth.credentials.integrationCode]));
    }
  },
});
