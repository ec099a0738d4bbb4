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
  | "rate-limited" // 429 threshold or thread limit
  | "unavailable" // 502/503/504 after retries
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

/** Reads Autotask's `{"errors": [...]}` envelope (or any string body) into a list of messages. */
export function errorMessages(body: unknown): string[] {
  if (body && typeof body === "object" && "errors" in body) {
    const errors = (body as { errors: unknown }).errors;
    if (Array.isArray(errors)) return errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e)));
  }
  if (body && typeof body === "object" && "message" in body) return [String((body as { message: unknown }).message)];
  if (typeof body === "string" && body.trim()) return [body.trim().slice(0, 500)];
  return [];
}

const INTEGRATION_CODE = /integration ?code|tracking identifier|apiintegrationcode/i;
const UNKNOWN_USER = /\buser(name)?\b.*\b(not found|unknown|invalid|does not exist|could not be)|zone information/i;

/** Maps an HTTP status and Autotask's error body to a typed error. */
export function fromResponse(status: number, body: unknown, context: { entity?: string; operation?: string; retryAfterSeconds?: number }): AutotaskError {
  const errors = errorMessages(body);
  const said = errors.length ? `: ${errors.join("; ")}` : "";
  const details = { status, errors, ...context };
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
    return new AutotaskError("unavailable", `Autotask is temporarily unavailable (HTTP ${status})${said}`, details);
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
  if (/does not exist|access is denied/i.test(text)) {
    return new AutotaskError("not-found", `Autotask could not find that record${said}`, details);
  }
  return new AutotaskError("validation", errors.length ? `Autotask refused the request${said}` : `Autotask answered HTTP ${status} without a message`, details);
}
