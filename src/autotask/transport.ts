/**
 * Sending one request to Autotask: through the tenant's gate (3 in flight, 401 pause, 429
 * cool-down), with the auth headers, a timeout, and retries. Reads — GETs and query/count POSTs,
 * which change nothing — are retried with exponential backoff and jitter on 429/502/503/504,
 * timeouts and network errors. Writes are sent once: a create that timed out may have happened,
 * so it is reported, never repeated.
 */
import { ofetch } from "ofetch";
import type { Credentials } from "../config.ts";
import type { Logger } from "../log.ts";
import { VERSION } from "../version.ts";
import type { Operation } from "./entities.ts";
import { AutotaskError, fromResponse } from "./errors.ts";
import type { TenantGate } from "./gate.ts";
import type { ZoneInfo } from "./zone.ts";

export interface Send {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path below V1.0/ (or an absolute nextPageUrl on the same zone). */
  path: string;
  body?: unknown;
  entity?: string;
  operation: Operation | "info" | "threshold" | "next";
}

const READ_OPERATIONS = new Set<Send["operation"]>(["query", "count", "get", "info", "threshold", "next"]);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export interface TransportOptions {
  credentials: Credentials;
  /** A non-reversible fingerprint of the credentials (secret included): what a 401 pause is keyed by. */
  credentialKey: string;
  gate: TenantGate;
  /** The zone base URL, resolved once per client. */
  zone(): Promise<ZoneInfo>;
  log: Logger;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff step; each retry doubles it (with full jitter), capped at 5 s. */
  retryBaseMs: number;
  /** Longest Retry-After a read waits out before giving up with a rate-limited error. */
  maxRetryAfterWaitMs: number;
}

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  async send<T>(request: Send): Promise<T> {
    const { gate, credentialKey } = this.options;
    gate.checkAuthPause(credentialKey);
    const zone = await this.options.zone();
    const url = resolveUrl(zone.apiUrl, request.path);
    const isRead = READ_OPERATIONS.has(request.operation);
    const context = { entity: request.entity, operation: request.operation };

    for (let attempt = 0; ; attempt++) {
      const canRetry = isRead && attempt < this.options.maxRetries;
      await this.waitOutCooldown(isRead, context);
      const started = performance.now();
      let response;
      try {
        response = await gate.run(() =>
          ofetch.raw(url, {
            method: request.method,
            headers: this.headers(),
            body: request.body as Record<string, unknown> | undefined,
            timeout: this.options.timeoutMs,
            retry: 0,
            ignoreResponseError: true,
            responseType: "json",
          }),
        );
      } catch (error) {
        const failure = transportError(error, request, this.options.timeoutMs);
        this.options.log.debug("autotask request failed", { method: request.method, path: pathOf(url), attempt, error: failure.message });
        if (canRetry) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw failure;
      }
      const ms = Math.round(performance.now() - started);
      this.options.log.debug("autotask request", { method: request.method, path: pathOf(url), status: response.status, ms, attempt });
      if (response.ok) {
        gate.noteAuthSuccess(credentialKey);
        return (response._data ?? {}) as T;
      }
      const retryAfterSeconds = response.status === 429 ? retryAfter(response.headers.get("retry-after")) : undefined;
      const failure = fromResponse(response.status, response._data, { ...context, retryAfterSeconds });
      if (response.status === 401) gate.noteAuthFailure(credentialKey, failure);
      if (response.status === 429) gate.noteRateLimited(retryAfterSeconds!);
      if (canRetry && RETRY_STATUSES.has(response.status)) {
        if (response.status !== 429) await sleep(this.backoff(attempt));
        continue;
      }
      throw failure;
    }
  }

  /** During a 429 cool-down, a read waits when the wait is short; anything else fails with the wait time. */
  private async waitOutCooldown(isRead: boolean, context: { entity?: string; operation: string }): Promise<void> {
    const remaining = this.options.gate.cooldownRemainingMs();
    if (remaining === 0) return;
    if (isRead && remaining <= this.options.maxRetryAfterWaitMs) {
      await sleep(remaining + Math.random() * 100);
      return;
    }
    const seconds = Math.ceil(remaining / 1000);
    throw new AutotaskError("rate-limited", `Autotask is rate-limiting this integration. Retry after ${seconds} seconds.`, {
      status: 429,
      retryAfterSeconds: seconds,
      ...context,
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
 * Joins a path onto the zone base. An absolute URL (nextPageUrl) must stay on the zone's origin:
 * the request carries the tenant's secret, so a response must never be able to send it elsewhere.
 */
function resolveUrl(apiUrl: string, path: string): string {
  if (!/^https?:\/\//i.test(path)) return `${apiUrl}${path}`;
  if (new URL(path).origin !== new URL(apiUrl).origin) {
    throw new AutotaskError("validation", "Autotask returned a next-page URL on another host; refusing to follow it");
  }
  return path;
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

function transportError(error: unknown, request: Send, timeoutMs: number): AutotaskError {
  const err = error as { name?: string; message?: string; cause?: { name?: string } };
  const timedOut = err.name === "TimeoutError" || err.cause?.name === "TimeoutError" || /timeout|timed out|aborted/i.test(err.message ?? "");
  const isWrite = !READ_OPERATIONS.has(request.operation);
  const caveat = isWrite
    ? " The request may have reached Autotask: check whether the change happened before trying again."
    : "";
  const context = { entity: request.entity, operation: request.operation };
  if (timedOut) {
    return new AutotaskError("timeout", `Autotask did not answer within ${Math.round(timeoutMs / 1000)} seconds.${caveat}`, context);
  }
  return new AutotaskError("network", `Could not reach Autotask: ${err.message ?? "network error"}.${caveat}`, context);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
