/**
 * Running a tool: argument normalisation and validation, the call itself under a time limit, and
 * turning every outcome into an MCP tool result. Errors become `isError` results a model can act
 * on — which field, what is allowed, what Autotask said, how long to wait — never a stack trace.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { AutotaskError } from "../autotask/errors.ts";
import { MissingCredentialsError, type ToolContext } from "../context.ts";
import { within } from "../deadline.ts";
import { redactText } from "../redact.ts";
import { extraContent, ToolError, type Tool } from "./define.ts";
import { resolveArguments } from "./resolve.ts";
import { asData, isUntrusted, markResourceText } from "./untrusted.ts";

export interface RunOptions {
  timeoutMs?: number;
  /** Mark outsiders' text as data in the text content (untrusted.ts); default true. */
  untrustedMarkers?: boolean;
}

export async function runTool(tool: Tool, rawArgs: unknown, ctx: ToolContext, options: RunOptions = {}): Promise<CallToolResult> {
  const started = performance.now();
  // Derived, not copied: copying would read the context's getters, which throw when it has no credentials.
  const call: ToolContext = options.timeoutMs ? Object.create(ctx, { deadline: { value: Date.now() + options.timeoutMs } }) : ctx;
  let budgetNote: string | undefined;
  try {
    let args: Record<string, unknown> = {};
    const result = await withTimeout(
      (async () => {
        args = parseArguments(tool, rawArgs);
        budgetNote = await admitByBudget(tool, call);
        return tool.run(await resolveArguments(tool, args, call), call);
      })(),
      options.timeoutMs,
      tool,
    );
    // Autotask text (a ticket, an echo in an error) may quote this request's own secret: masked here.
    // Extra parts (an attachment as an image or resource, define.ts withContent) follow the JSON text.
    const output = ctx.mask(result);
    const extra = ctx.mask(extraContent(result));
    ctx.log.debug("tool call", { tool: tool.name, ms: Math.round(performance.now() - started) });
    const marked = options.untrustedMarkers !== false && isUntrusted(tool, args);
    const text = JSON.stringify(output);
    // A file's text (an attachment read as a text resource) is outsiders' text too.
    const parts = marked ? extra.map(markResourceText) : extra;
    const content: CallToolResult["content"] = [{ type: "text", text: marked ? asData(text) : text }, ...parts];
    // The budget note is ours, not Autotask's: never inside the data block, always last.
    if (budgetNote) content.push({ type: "text", text: budgetNote });
    return { content, structuredContent: output as Record<string, unknown> };
  } catch (error) {
    const message = ctx.mask(describeError(error, tool));
    const level = error instanceof ToolError || error instanceof AutotaskError || error instanceof MissingCredentialsError ? "info" : "error";
    ctx.log[level]("tool call failed", { tool: tool.name, ms: Math.round(performance.now() - started), error: message });
    return errorResult(message);
  }
}

/**
 * The hourly API budget (autotask/budget.ts): a fan-out tool is refused from 90 % of the limit
 * (a ToolError); from 75 % the result carries the returned note.
 */
async function admitByBudget(tool: Tool, ctx: ToolContext): Promise<string | undefined> {
  const decision = await ctx.budget.admit(tool);
  if (!decision.ok) throw new ToolError(decision.message);
  return decision.note;
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
  const byLowerName = new Map([
    ...Object.entries(tool.aliases ?? {}).map(([alias, name]) => [alias.toLowerCase(), name] as const),
    ...Object.keys(shape).map((key) => [key.toLowerCase(), key] as const),
  ]);
  const args: Record<string, unknown> = {};
  const spelledAs: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries((rawArgs ?? {}) as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    const name = key in shape ? key : byLowerName.get(key.toLowerCase());
    if (!name) {
      unknown.push(key);
      continue;
    }
    // Two spellings of one argument (id and its alias contractId) must agree.
    if (name in args && JSON.stringify(args[name]) !== JSON.stringify(value)) {
      throw new ToolError(`${spelledAs[name]} and ${key} are two spellings of ${name} with different values (${received(args[name])} vs ${received(value)}): pass only ${name}.`);
    }
    args[name] = value;
    spelledAs[name] = key;
  }
  if (unknown.length > 0) {
    const allowed = Object.keys(shape);
    throw new ToolError(
      `Unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} for ${tool.name}. Allowed: ${allowed.length ? allowed.join(", ") : "none"}.`,
    );
  }
  // reportInput: zod 4 leaves the offending value out of its issues unless asked, and without it a
  // wrong type reads like a missing argument ("is required").
  const parsed = tool.input.safeParse(args, { reportInput: true });
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

/**
 * One problem in words a model can act on: what is allowed and what was received — a wrong type is
 * never reported as a missing argument.
 */
function issueText(issue: z.core.$ZodIssue): string {
  const got = `got ${received(issue.input)}`;
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `is required (${expected(issue.expected)})` : `must be ${expected(issue.expected)}, ${got}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, ${got}`;
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const bound = small ? issue.minimum : issue.maximum;
      const words = issue.inclusive ? (small ? "at least" : "at most") : small ? "more than" : "less than";
      const unit = issue.origin === "string" ? " characters long" : issue.origin === "array" ? " items" : "";
      const size = issue.origin === "string" ? `text of ${String(issue.input).length} characters` : issue.origin === "array" ? `${(issue.input as unknown[]).length} items` : received(issue.input);
      return `must be ${words} ${String(bound)}${unit}, got ${size}`;
    }
    case "invalid_union": {
      // Every branch refused the type (a picklist given `true`): say which types are allowed.
      const branches = issue.errors.map((branch) => branch.find((inner) => inner.code === "invalid_type" && inner.path.length === 0));
      if (branches.every(Boolean)) {
        const allowed = branches.map((inner) => expected((inner as { expected: string }).expected)).join(" or ");
        return issue.input === undefined ? `is required (${allowed})` : `must be ${allowed}, ${got}`;
      }
      return `${issue.message}, ${got}`;
    }
    default:
      return issue.input === undefined ? issue.message : `${issue.message} (${got})`;
  }
}

const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  array: "a list (JSON array)",
  object: "an object",
};

function expected(type: string): string {
  return EXPECTED[type] ?? type;
}

/** What a model sent, briefly: its type and an excerpt. */
function received(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  const excerpt = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
  if (typeof value === "string") return `text ${excerpt(JSON.stringify(value))}`;
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `a list ${excerpt(JSON.stringify(value))}`;
  return `an object ${excerpt(JSON.stringify(value))}`;
}

/** The words a model sees when a call fails. */
export function describeError(error: unknown, tool: Pick<Tool, "name">): string {
  if (error instanceof ToolError || error instanceof MissingCredentialsError) return redactText(error.message);
  if (error instanceof AutotaskError) return redactText(error.kind === "rate-limited" ? describeRateLimit(error, tool.name) : describeAutotaskError(error));
  const message = error instanceof Error ? error.message : String(error);
  return redactText(`Internal error in ${tool.name}: ${message}`);
}

const ADVICE: Partial<Record<AutotaskError["kind"], string>> = {
  unauthorized: "The API user's secret is wrong or expired: fix AUTOTASK_SECRET (or the X-API-Secret header). Calls for this user pause for a few seconds to avoid locking the account.",
  "unknown-user": "Check the API user name (AUTOTASK_USERNAME or X-API-Key): it is the API-only user's email-style user name.",
  "invalid-integration-code": "Check the API tracking identifier (AUTOTASK_INTEGRATION_CODE or X-Integration-Code).",
  forbidden: "The API user's security level does not allow this; ask an Autotask admin to grant it.",
  validation: "Fix the named field and try again; autotask_describe_entity lists fields, required fields and allowed picklist values.",
  "server-error": "Nothing names a field to fix: Autotask failed on its side. Try again in a minute (for a change, first check whether it happened).",
  "unexpected-answer": "What answered does not behave like the Autotask REST API: check the API URL (AUTOTASK_API_URL or X-API-URL must be the zone's ATServicesRest base), or try again later.",
  "untrusted-host": "Credentials only go to hosts in AUTOTASK_ALLOWED_API_HOSTS (default *.autotask.net): fix the API URL, or ask the operator to allow that host.",
  "not-found": "Check the id (search for the record first).",
  unavailable: "Try again in a minute.",
  timeout: "Try again, or narrow the request (filters, smaller pageSize).",
  network: "Check network access to Autotask, then try again.",
};

function describeAutotaskError(error: AutotaskError): string {
  return ADVICE[error.kind] ? `${error.message}\n${ADVICE[error.kind]}` : error.message;
}

/**
 * A rate limit as JSON: the original server's fields (`error_type: "rate_limited"`,
 * `retry_after_seconds`, `error`, `tool`, `instruction` — what its users' scripts parse) plus
 * our `retryAfterSeconds`. Read by models too, so the instruction says what to do meanwhile.
 */
function describeRateLimit(error: AutotaskError, tool: string): string {
  const seconds = error.retryAfterSeconds ?? 60;
  return JSON.stringify({
    error_type: "rate_limited",
    error: error.message,
    retry_after_seconds: seconds,
    retryAfterSeconds: seconds,
    tool,
    instruction: `Wait ${seconds} seconds before the next Autotask call; meanwhile prefer autotask_count and narrower filters, which cost fewer requests.`,
  });
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
  return within(promise, timeoutMs, () => {
    throw new ToolError(message);
  });
}
