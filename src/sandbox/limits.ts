/**
 * Autotask's two limits: a request threshold per database over a rolling 60 minutes, and a thread limit
 * per (database, integration code, entity endpoint). Also records the highest concurrency seen per
 * (database, integration code) and per endpoint, which tests use to check that a client stays
 * within the limit.
 */
import { ApiError } from "./http.ts";

export const THRESHOLD_WINDOW_MINUTES = 60;
const WINDOW_MS = THRESHOLD_WINDOW_MINUTES * 60_000;

export class Limits {
  private readonly windows = new Map<string, number[]>();
  private readonly threads = new Map<string, number>();
  private readonly integrations = new Map<string, number>();
  private highest = 0;
  private highestPerEndpoint = 0;

  constructor(
    readonly threshold: number,
    readonly threadLimit: number,
  ) {}

  /** Requests counted for a tenant in the current window. */
  used(tenant: string, now = Date.now()): number {
    return this.window(tenant, now).length;
  }

  /** Counts one request, or refuses it with 429 and Retry-After once the tenant is over the threshold. */
  count(tenant: string, now = Date.now()): void {
    const window = this.window(tenant, now);
    if (window.length >= this.threshold) {
      const retryAfter = Math.max(1, Math.ceil(((window[0] ?? now) + WINDOW_MS - now) / 1000));
      throw new ApiError(
        429,
        [
          `API request threshold exceeded: ${this.threshold} requests per ${THRESHOLD_WINDOW_MINUTES} minutes. Retry after ${retryAfter} seconds.`,
        ],
        { "Retry-After": String(retryAfter) },
      );
    }
    window.push(now);
  }

  /** Admits a request to an endpoint; returns the release function, or throws 429 over the thread limit. */
  enter(tenant: string, integrationCode: string, endpoint: string): () => void {
    const integration = `${tenant}\u0000${integrationCode}`;
    const key = `${integration}\u0000${endpoint.toLowerCase()}`;
    const concurrent = (this.integrations.get(integration) ?? 0) + 1;
    this.integrations.set(integration, concurrent);
    this.highest = Math.max(this.highest, concurrent);
    const busy = this.threads.get(key) ?? 0;
    if (busy >= this.threadLimit) {
      this.integrations.set(integration, concurrent - 1);
      throw new ApiError(
        429,
        [`Thread limit exceeded: at most ${this.threadLimit} concurrent requests per integration code to ${endpoint}.`],
        { "Retry-After": "1" },
      );
    }
    this.threads.set(key, busy + 1);
    this.highestPerEndpoint = Math.max(this.highestPerEndpoint, busy + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.threads.set(key, (this.threads.get(key) ?? 1) - 1);
      this.integrations.set(integration, (this.integrations.get(integration) ?? 1) - 1);
    };
  }

  maxInFlight(): number {
    return this.highest;
  }

  maxInFlightPerEndpoint(): number {
    return this.highestPerEndpoint;
  }

  reset(): void {
    this.windows.clear();
    this.highest = 0;
    this.highestPerEndpoint = 0;
  }

  private window(tenant: string, now: number): number[] {
    let window = this.windows.get(tenant);
    if (!window) {
      window = [];
      this.windows.set(tenant, window);
    }
    let expired = 0;
    while (expired < window.length && (window[expired] ?? now) <= now - WINDOW_MS) expired++;
    if (expired > 0) window.splice(0, expired);
    return window;
  }
}
