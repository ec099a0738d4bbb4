/**
 * Autotask failures as typed values. Each carries Autotask's own messages (a model can act on
 * "Missing Required Field: title"; it cannot act on "500 Internal Server Error") plus the kind,
 * so callers can give advice (check the secret, wait N seconds, fix the field).
 */
export type AutotaskErrorKind =
  | "unauthorized" // 401: the user name exists, the secret is wrong
  | "unknown-user" // 500 naming the user, or zone discovery failed
  | "invalid-integration-code" // 500 naming the integration code / tracking identifier
  | "forbidden" // 403: the API user's security level does not allow it
  | "not-found" // unknown id on update/delete, or a route the entity does not have
  | "validation" // 500 business rule: missing required field, bad picklist value, unknown field …
  | "server-error" // a failure without Autotask's {"errors": [...]}: nothing names a field to fix
  | "unexpected-answer" // a success status whose body is not the shape asked for, or a redirect
  | "untrusted-host" // a URL that is not an approved Autotask host: nothing was sent
  | "rate-limited" // 429 threshold or thread limit (or our own limit on unverified secrets)
  | "unavailable" // 502/503/504 after retries, or this server shutting down
  | "timeout"
  | "network"
  | "unsupported"; // an operation the entity table says the entity does not have

export interface AutotaskErrorDetails {
  status?: number;
  /** Autotask's own `errors` strings, verbatim. */
  errors?: string[];
  retryAfterSeconds?: number;
  entity?: string;
  operation?: string;
}

export class AutotaskError extends Error {
  override name = "AutotaskError";
  readonly status?: number;
  readonly errors: string[];
  readonly retryAfterSeconds?: number;
  readonly entity?: string;
  readonly operation?: string;

  constructor(
    readonly kind: AutotaskErrorKind,
    message: string,
    details: AutotaskErrorDetails = {},
  ) {
    super(message);
    this.status = details.status;
    this.errors = details.errors ?? [];
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.entity = details.entity;
    this.operation = details.operation;
  }
}

/** What came back from Autotask: the parsed JSON (undefined when the body is not JSON) and the raw text. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
}

/** Autotask's `{"errors": [...]}` envelope, or undefined when the body is not one. */
export function errorEnvelope(body: unknown): string[] | undefined {
  if (!body || typeof body !== "object" || !("errors" in body)) return undefined;
  const errors = (body as { errors: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e)));
}

/** Reads Autotask's `{"errors": [...]}` envelope, or a generic `{"message": …}` body, into a list of messages. */
export function errorMessages(body: unknown): string[] {
  const envelope = errorEnvelope(body);
  if (envelope) return envelope;
  if (body && typeof body === "object") {
    const message = (body as { message?: unknown; Message?: unknown }).message ?? (body as { Message?: unknown }).Message;
    if (typeof message === "string" && message.trim()) return [message.trim().slice(0, 500)];
  }
  return [];
}

/** `text/html, first 80 chars: "<!DOCTYPE html>…"`: enough to tell a proxy's error page from an API answer. */
export function describeBody(answer: Pick<Answer, "contentType" | "text">): string {
  const type = answer.contentType.split(";", 1)[0]!.trim() || "no content type";
  const text = answer.text.trim();
  if (!text) return `${type}, empty`;
  const head = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return `${type}, first 80 chars: ${JSON.stringify(head)}`;
}

/** Added to every failure of a write whose outcome we cannot know. */
export const OUTCOME_UNKNOWN = "The outcome is unknown: the change may have happened. Check (search for the record) before trying again.";

const INTEGRATION_CODE = /integration ?code|tracking identifier|apiintegrationcode/i;
const UNKNOWN_USER = /\buser(name)?\b.*\b(not found|unknown|invalid|does not exist|could not be)|zone information/i;

export interface FailureContext {
  entity?: string;
  operation?: string;
  retryAfterSeconds?: number;
  /** A write: failures that do not say what happened add OUTCOME_UNKNOWN. */
  isWrite?: boolean;
}

/**
 * Maps an HTTP failure and Autotask's answer to a typed error. Only Autotask's own `errors`
 * envelope makes a "validation" error (advice: fix the named field); a failure without one (a
 * proxy's HTML page, an empty 500, ASP.NET's generic `{"Message": "An error has occurred."}`) is
 * a "server-error" that says what came back, and for a write that the outcome is unknown.
 */
export function fromResponse(answer: Answer, context: FailureContext): AutotaskError {
  const { status } = answer;
  const { isWrite, ...where } = context;
  const envelope = errorEnvelope(answer.json);
  const errors = errorMessages(answer.json);
  const said = errors.length ? `: ${errors.join("; ")}` : answer.json === undefined && answer.text.trim() ? ` (${describeBody(answer)})` : "";
  const details = { status, errors, ...where };
  if (status === 401) {
    return new AutotaskError("unauthorized", `Autotask rejected the API secret for this user (HTTP 401)${said}`, details);
  }
  if (status === 403) {
    return new AutotaskError("forbidden", `The API user is not allowed to do this (HTTP 403)${said}`, details);
  }
  if (status === 429) {
    const wait = context.retryAfterSeconds ? ` Retry after ${context.retryAfterSeconds} seconds.` : "";
    return new AutotaskError("rate-limited", `Autotask is rate-limiting this integration (HTTP 429)${said}.${wait}`, details);
  }
  if (status === 502 || status === 503 || status === 504) {
    const caveat = isWrite ? `. ${OUTCOME_UNKNOWN}` : "";
    return new AutotaskError("unavailable", `Autotask is temporarily unavailable (HTTP ${status})${said}${caveat}`, details);
  }
  if (status === 404 || status === 405) {
    return new AutotaskError("not-found", `Autotask has no such route or record (HTTP ${status})${said}`, details);
  }
  const text = errors.join(" ");
  if (INTEGRATION_CODE.test(text)) {
    return new AutotaskError("invalid-integration-code", `Autotask rejected the integration code${said}`, details);
  }
  if (UNKNOWN_USER.test(text)) {
    return new AutotaskError("unknown-user", `Autotask does not know this API user${said}`, details);
  }
  if (envelope && /does not exist|access is denied/i.test(text)) {
    return new AutotaskError("not-found", `Autotask could not find that record${said}`, details);
  }
  if (envelope) return new AutotaskError("validation", `Autotask refused the request${said}`, details);
  const what = answer.text.trim() ? describeBody(answer) : "no body";
  const caveat = isWrite ? ` ${OUTCOME_UNKNOWN}` : "";
  return new AutotaskError("server-error", `Autotask failed with HTTP ${status} without saying why (${what}).${caveat}`, details);
}
