/**
 * Running a tool: argument normalisation and validation, the call itself under a time limit, and
 * turning every outcome into an MCP tool result. Errors become `isError` results a model can act
 * on — which field, what is allowed, what Autotask said, how long to wait — never a stack trace.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { AutotaskError } from "../autotask/errors.ts";
import { MissingCredentialsError, type ToolContext } from "../context.ts";
import { redactText } from "../redact.ts";
import { ToolError, type Tool } from "./define.ts";

export interface RunOptions {
  timeoutMs?: number;
}

export async function runTool(tool: Tool, rawArgs: unknown, ctx: ToolContext, options: RunOptions = {}): Promise<CallToolResult> {
  const started = performance.now();
  try {
    const args = parseArguments(tool, rawArgs);
    const output = await withTimeout(tool.run(args, ctx), options.timeoutMs, tool);
    ctx.log.debug("tool call", { tool: tool.name, ms: Math.round(performance.now() - started) });
    return { content: [{ type: "text", text: JSON.stringify(output) }], structuredContent: output as Record<string, unknown> };
  } catch (error) {
    const message = describeError(error, tool);
    const level = error instanceof ToolError || error instanceof AutotaskError || error instanceof MissingCredentialsError ? "info" : "error";
    ctx.log[level]("tool call failed", { tool: tool.name, ms: Math.round(performance.now() - started), error: message });
    return errorResult(message);
  }
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}

/**
 * Validates arguments against the tool's schema. Argument names match case-insensitively
 * (`companyId` reaches `companyID` — the original silently dropped such filters), nulls count as
 * absent, and an unknown argument is an error that lists the allowed ones.
 */
export function parseArguments(tool: Tool, rawArgs: unknown): Record<string, unknown> {
  if (rawArgs !== undefined && rawArgs !== null && (typeof rawArgs !== "object" || Array.isArray(rawArgs))) {
    throw new ToolError(`Arguments for ${tool.name} must be an object`);
  }
  const shape = tool.input.shape as Record<string, z.ZodType>;
  const byLowerName = new Map(Object.keys(shape).map((key) => [key.toLowerCase(), key]));
  const args: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries((rawArgs ?? {}) as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    const name = key in shape ? key : byLowerName.get(key.toLowerCase());
    if (name) args[name] = value;
    else unknown.push(key);
  }
  if (unknown.length > 0) {
    const allowed = Object.keys(shape);
    throw new ToolError(
      `Unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} for ${tool.name}. Allowed: ${allowed.length ? allowed.join(", ") : "none"}.`,
    );
  }
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.length ? issue.path.join(".") : "arguments";
      return `${path}: ${issueText(issue)}`;
    });
    throw new ToolError(`Invalid arguments for ${tool.name}: ${problems.join("; ")}`);
  }
  for (const group of tool.requireOneOf ?? []) {
    if (!group.some((name) => parsed.data[name] !== undefined)) {
      throw new ToolError(`Invalid arguments for ${tool.name}: one of ${group.join(" or ")} is required`);
    }
  }
  return parsed.data;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value") return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "too_small" && issue.origin === "number") return `must be ${issue.inclusive ? "at least" : "greater than"} ${issue.minimum}`;
  if (issue.code === "too_big" && issue.origin === "number") return `must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}`;
  if (issue.code === "invalid_type" && issue.input === undefined) return `is required (${issue.expected})`;
  return issue.message;
}

/** The words a model sees when a call fails. */
export function describeError(error: unknown, tool: Pick<Tool, "name">): string {
  if (error instanceof ToolError || error instanceof MissingCredentialsError) return redactText(error.message);
  if (error instanceof AutotaskError) return redactText(describeAutotaskError(error));
  const message = error instanceof Error ? error.message : String(error);
  return redactText(`Internal error in ${tool.name}: ${message}`);
}

const ADVICE: Partial<Record<AutotaskError["kind"], string>> = {
  unauthorized: "The API user's secret is wrong or expired: fix AUTOTASK_SECRET (or the X-API-Secret header). Calls for this user pause for a few seconds to avoid locking the account.",
  "unknown-user": "Check the API user name (AUTOTASK_USERNAME or X-API-Key): it is the API-only user's email-style user name.",
  "invalid-integration-code": "Check the API tracking identifier (AUTOTASK_INTEGRATION_CODE or X-Integration-Code).",
  forbidden: "The API user's security level does not allow this; ask an Autotask admin to grant it.",
  validation: "Fix the named field and try again; autotask_describe_entity lists fields, required fields and allowed picklist values.",
  "not-found": "Check the id (search for the record first).",
  unavailable: "Autotask is having trouble; try again in a minute.",
  timeout: "Try again, or narrow the request (filters, smaller pageSize).",
  network: "Check network access to Autotask, then try again.",
};

function describeAutotaskError(error: AutotaskError): string {
  const lines = [error.message];
  if (error.kind === "rate-limited") {
    const seconds = error.retryAfterSeconds ?? 60;
    lines.push(`retryAfterSeconds: ${seconds}`);
    lines.push(`Wait ${seconds} seconds before the next Autotask call; meanwhile prefer autotask_count and narrower filters, which cost fewer requests.`);
  } else if (ADVICE[error.kind]) {
    lines.push(ADVICE[error.kind]!);
  }
  return lines.join("\n");
}

/**
 * Bounds a call. The work underneath is not cancelled — a write may still reach Autotask after the
 * deadline — so a write tool's timeout says so instead of inviting a retry that would duplicate it.
 */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number | undefined, tool: Tool): Promise<T> {
  if (!timeoutMs) return promise;
  const seconds = Math.round(timeoutMs / 1000);
  const message = tool.annotations.readOnly
    ? `${tool.name} did not finish within ${seconds} seconds; narrow the request and try again.`
    : `${tool.name} did not finish within ${seconds} seconds. The change may still reach Autotask: check whether it happened (search for the record) before trying again.`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ToolError(message)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
