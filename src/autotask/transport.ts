/**
 * Sending one request to Autotask — the only code that sends credentials anywhere. In order:
 *
 * 1. The URL is checked against the allowlist (https, approved hosts) at the moment of sending:
 *    zone-derived bases, configured bases and next-page URLs alike. Redirects are never followed.
 * 2. The 429 cool-down, the failed-login guard and Autotask's thread limit (src/coord/, keys in
 *    gate.ts). A call that has already sent a request gets its follow-ups ahead of calls that
 *    have not started.
 * 3. The answer is checked against the shape the caller expects (answers.ts) before anyone uses it.
 *
 * Reads — GETs and query/count POSTs, which change nothing — are retried with exponential backoff
 * and jitter on 429/502/503/504, timeouts and network errors. Writes are sent once: a create that
 * timed out may have happened, so it is reported, never repeated.
 */
import type { z } from "zod";
import type { Credentials } from "../config.ts";
import type { Coordinator, LoginAdmission, LoginOutcome } from "../coord/coordinator.ts";
import type { Logger } from "../log.ts";
import { redact, redactText } from "../redact.ts";
import { VERSION } from "../version.ts";
import { apiUrlRefusal } from "./allowlist.ts";
import { firstMismatch, hostOf, parseJson } from "./answers.ts";
import type { Operation } from "./entities.ts";
import { AutotaskError, describeBody, fromResponse, OUTCOME_UNKNOWN, type Answer } from "./errors.ts";
import { loadOfetch } from "./fetch.ts";
import { AUTOTASK_THREAD_LIMIT, gateKeys, userKey } from "./gate.ts";
import type { ZoneInfo } from "./zone.ts";

export interface Send<T> {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path below V1.0/ (or an absolute nextPageUrl on the same zone). */
  path: string;
  body?: unknown;
  entity?: string;
  operation: Operation | "info" | "threshold" | "next";
  /** The shape a successful answer must have (answers.ts). */
  answer: z.ZodType<T>;
}

const READ_OPERATIONS = new Set<Send<unknown>["operation"]>(["query", "count", "get", "info", "threshold", "next"]);
/**
 * A refused login answers after about this long (±50 %, so that many callers do not come back in
 * one wave): someone trying secrets back to back then costs the server little, and the owner's
 * calls are not crowded out. A person who mistyped waits a second.
 */
const LOGIN_REFUSAL_DELAY_MS = 1_000;
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export interface TransportOptions {
  credentials: Credentials;
  /** A non-reversible fingerprint of the credentials (secret included): what the login guard tracks. */
  credentialKey: string;
  coordinator: Coordinator;
  /** The tenant whose hourly API budget each request sent counts against (budget.ts); none: not counted. */
  usageKey?: string;
  /** Host patterns credentials may go to (AUTOTASK_ALLOWED_API_HOSTS). */
  allowedHosts: readonly string[];
  /** The zone base URL, resolved once per client. */
  zone(): Promise<ZoneInfo>;
  /** Aborted when the server shuts down: requests still waiting for a slot are not sent. */
  signal?: AbortSignal;
  log: Logger;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff step; each retry doubles it (with full jitter), capped at 5 s. */
  retryBaseMs: number;
  /** Longest Retry-After a read waits out before giving up with a rate-limited error. */
  maxRetryAfterWaitMs: number;
}

export class Transport {
  /** Set once this client has sent a request: its later requests are a started call's follow-ups. */
  private started = false;
  private readonly user: string;
  private readonly secrets: string[];

  constructor(private readonly options: TransportOptions) {
    this.user = userKey(options.credentials.username);
    this.secrets = [options.credentials.secret, options.credentials.integrationCode];
  }

  async send<T>(request: Send<T>): Promise<T> {
    const zone = await this.options.zone();
    const url = this.approve(resolveUrl(zone.apiUrl, request.path), zone, request);
    const isRead = READ_OPERATIONS.has(request.operation);
    const context = { entity: request.entity, operation: request.operation, isWrite: !isRead };
    const keys = gateKeys(zone, this.options.credentials.username, this.options.credentials.integrationCode, request.entity ?? request.operation);

    for (let attempt = 0; ; attempt++) {
      const canRetry = isRead && attempt < this.options.maxRetries;
      await this.waitOutCooldown(keys.cooldown, isRead, context);
      const answer = await this.exchange(url, request, keys.threads, context).catch(async (error: unknown) => {
        if (error instanceof AutotaskError) throw error;
        const failure = transportError(error, request, this.options.timeoutMs);
        this.options.log.debug("autotask request failed", { method: request.method, path: pathOf(url), attempt, error: failure.message });
        if (!canRetry) throw failure;
        await sleep(this.backoff(attempt));
        return undefined;
      });
      if (!answer) continue;
      if (answer.status >= 300 && answer.status < 400) throw this.redirected(answer, url, context);
      if (answer.status >= 200 && answer.status < 300) return this.shaped(answer, request, context);
      const retryAfterSeconds = answer.status === 429 ? retryAfter(answer.headers.get("retry-after")) : undefined;
      const failure = fromResponse(this.clean(answer), { ...context, retryAfterSeconds });
      if (answer.status === 429) await this.options.coordinator.coolDown(keys.cooldown, Date.now() + retryAfterSeconds! * 1000);
      if (canRetry && RETRY_STATUSES.has(answer.status)) {
        if (answer.status !== 429) await sleep(this.backoff(attempt));
        continue;
      }
      throw failure;
    }
  }

  /** One HTTP exchange under the login guard and the thread limit. Throws fetch errors as they are. */
  private async exchange(url: string, request: Send<unknown>, threadsKey: string, context: { entity?: string; operation: string }): Promise<Answer & { headers: Headers }> {
    const { coordinator, credentialKey, signal, usageKey } = this.options;
    const admission = await coordinator.admitLogin(this.user, credentialKey);
    if (!admission.ok) {
      await sleep(LOGIN_REFUSAL_DELAY_MS * (0.5 + Math.random()));
      throw this.loginRefused(admission, context);
    }
    let outcome: LoginOutcome = "inconclusive";
    try {
      const release = await coordinator.acquire(threadsKey, AUTOTASK_THREAD_LIMIT, this.started ? "follow-up" : "first", signal).catch(() => {
        throw shuttingDown(context);
      });
      this.started = true;
      const started = performance.now();
      try {
        if (signal?.aborted) throw shuttingDown(context);
        if (usageKey) coordinator.countRequests(usageKey, 1);
        const ofetch = await loadOfetch();
        const response = await ofetch.raw<string, "text">(url, {
          method: request.method,
          headers: this.headers(),
          body: request.body as Record<string, unknown> | undefined,
          timeout: this.options.timeoutMs,
          retry: 0,
          ignoreResponseError: true,
          responseType: "text",
          // A redirect would carry the credentials to a host nobody checked: never follow one.
          redirect: "manual",
        });
        const text = response._data ?? "";
        const answer = { status: response.status, contentType: response.headers.get("content-type") ?? "", text, json: parseJson(text), headers: response.headers };
        outcome = answer.status === 401 ? "rejected" : answer.status >= 200 && answer.status < 300 ? "verified" : "inconclusive";
        this.options.log.debug("autotask request", { method: request.method, path: pathOf(url), status: answer.status, ms: Math.round(performance.now() - started) });
        return answer;
      } finally {
        release();
      }
    } finally {
      await coordinator.settleLogin(this.user, credentialKey, outcome);
    }
  }

  /** The URL, if credentials may go there; else an untrusted-host error and nothing is sent. */
  private approve(url: string, zone: ZoneInfo, request: Send<unknown>): string {
    const name = /^https?:\/\//i.test(request.path) ? "Autotask's next-page URL" : zone.discovered ? "The zone lookup's answer" : "The configured API URL";
    const refusal = apiUrlRefusal(url, this.options.allowedHosts, name);
    if (!refusal) return url;
    throw new AutotaskError("untrusted-host", `Refused to send the request: ${refusal}. Credentials only go to approved Autotask hosts; nothing was sent.`, {
      entity: request.entity,
      operation: request.operation,
    });
  }

  private shaped<T>(answer: Answer, request: Send<T>, context: { entity?: string; operation: string; isWrite: boolean }): T {
    const parsed = answer.json === undefined ? undefined : request.answer.safeParse(answer.json);
    if (parsed?.success) return parsed.data;
    const mismatch = parsed ? `; ${firstMismatch(parsed.error)}` : "";
    const what = `${request.operation}${request.entity ? ` on ${request.entity}` : ""}`;
    const caveat = context.isWrite ? ` ${OUTCOME_UNKNOWN}` : "";
    return unexpected(`Autotask answered the ${what} with an unexpected body (${describeBody(this.clean(answer))}${mismatch}).${caveat}`, answer.status, context);
  }

  private redirected(answer: Answer & { headers: Headers }, url: string, context: { entity?: string; operation: string; isWrite: boolean }): AutotaskError {
    const target = hostOf(answer.headers.get("location"), url);
    const caveat = context.isWrite ? ` ${OUTCOME_UNKNOWN}` : "";
    return new AutotaskError(
      "unexpected-answer",
      `Autotask answered HTTP ${answer.status}, a redirect to ${target}; redirects are never followed, because the request carries the API user's credentials.${caveat}`,
      { status: answer.status, entity: context.entity, operation: context.operation },
    );
  }

  private loginRefused(admission: Extract<LoginAdmission, { ok: false }>, context: { entity?: string; operation: string }): AutotaskError {
    const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
    const user = this.options.credentials.username;
    if (admission.reason === "rejected") {
      return new AutotaskError(
        "unauthorized",
        `Autotask rejected this API secret for user ${user} moments ago (HTTP 401); it is not tried again for ${seconds} seconds, so repeated failures cannot lock the API user.`,
        { status: 401, retryAfterSeconds: seconds, ...context },
      );
    }
    return new AutotaskError(
      "rate-limited",
      `Several secrets not yet known to work were tried for API user ${user} lately; to keep Autotask from locking the user, such secrets are limited to a few a minute. Nothing was sent. Retry after ${seconds} seconds.`,
      { retryAfterSeconds: seconds, ...context },
    );
  }

  /** The answer with this request's own credentials masked: Autotask's error texts may echo them. */
  private clean<A extends Answer>(answer: A): A {
    return { ...answer, text: redactText(answer.text, this.secrets), json: redact(answer.json, this.secrets) };
  }

  /** During a 429 cool-down, a read waits when the wait is short; anything else fails with the wait time. */
  private async waitOutCooldown(key: string, isRead: boolean, context: { entity?: string; operation: string }): Promise<void> {
    const remaining = Math.max(0, (await this.options.coordinator.cooldownUntil(key)) - Date.now());
    if (remaining === 0) return;
    if (isRead && remaining <= this.options.maxRetryAfterWaitMs) {
      await sleep(remaining + Math.random() * 100);
      return;
    }
    const seconds = Math.ceil(remaining / 1000);
    throw new AutotaskError("rate-limited", `Autotask is rate-limiting this integration. Retry after ${seconds} seconds.`, {
      status: 429,
      retryAfterSeconds: seconds,
      entity: context.entity,
      operation: context.operation,
    });
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(5_000, this.options.retryBaseMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private headers(): Record<string, string> {
    const { username, secret, integrationCode, impersonationResourceId } = this.options.credentials;
    const headers: Record<string, string> = {
      ApiIntegrationCode: integrationCode,
      UserName: username,
      Secret: secret,
      Accept: "application/json",
      "User-Agent": `autotask-mcp/${VERSION}`,
    };
    if (impersonationResourceId) headers.ImpersonationResourceId = String(impersonationResourceId);
    return headers;
  }
}

/**
 * Joins a path onto the zone base. An absolute URL (nextPageUrl) must also stay on the zone's
 * origin — on top of the allowlist, which every URL passes.
 */
function resolveUrl(apiUrl: string, path: string): string {
  if (!/^https?:\/\//i.test(path)) return `${apiUrl}${path}`;
  if (!URL.canParse(path) || new URL(path).origin !== new URL(apiUrl).origin) {
    throw new AutotaskError("untrusted-host", "Autotask returned a next-page URL on another host; refusing to follow it (nothing was sent)", { operation: "next" });
  }
  return path;
}

function unexpected(message: string, status: number, context: { entity?: string; operation: string }): never {
  throw new AutotaskError("unexpected-answer", message, { status, entity: context.entity, operation: context.operation });
}

function shuttingDown(context: { entity?: string; operation: string }): AutotaskError {
  return new AutotaskError("unavailable", "This server is shutting down; the request was not sent to Autotask. Retry it (on another replica).", {
    entity: context.entity,
    operation: context.operation,
  });
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function retryAfter(header: string | null): number {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - Date.now()) / 1000));
  }
  return 30;
}

function transportError(error: unknown, request: Send<unknown>, timeoutMs: number): AutotaskError {
  const err = error as { name?: string; message?: string; cause?: { name?: string } };
  const timedOut = err.name === "TimeoutError" || err.cause?.name === "TimeoutError" || /timeout|timed out|aborted/i.test(err.message ?? "");
  const isWrite = !READ_OPERATIONS.has(request.operation);
  const caveat = isWrite ? " The request may have reached Autotask: check whether the change happened before trying again." : "";
  const context = { entity: request.entity, operation: request.operation };
  if (timedOut) {
    return new AutotaskError("timeout", `Autotask did not answer within ${Math.round(timeoutMs / 1000)} seconds.${caveat}`, context);
  }
  return new AutotaskError("network", `Could not reach Autotask: ${err.message ?? "network error"}.${caveat}`, context);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
