/**
 * Rate limits for the endpoints an attacker would hammer: sign-in (password guessing), account
 * creation, client registration and the token endpoint. Fixed windows per key, in this process
 * (several replicas share theirs through the coordination layer once it exists).
 */
import { LruCache } from "../lru.ts";

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

/** The limits, per client address unless said otherwise. */
export const LIMITS = {
  signIn: { max: 20, windowMs: 60_000 },
  /** Per email address: failed sign-ins, so one account cannot be guessed at from many addresses. */
  signInEmail: { max: 10, windowMs: 15 * 60_000 },
  signUp: { max: 10, windowMs: 60 * 60_000 },
  register: { max: 30, windowMs: 60 * 60_000 },
  token: { max: 120, windowMs: 60_000 },
  connect: { max: 10, windowMs: 10 * 60_000 },
} satisfies Record<string, Limit>;

export class RateLimiter {
  private readonly windows = new LruCache<string, { start: number; count: number }>(50_000, 24 * 60 * 60_000);

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Counts one request for `key` under `limit`. Returns undefined when allowed, else the seconds
   * until the window ends (for Retry-After).
   */
  hit(key: string, limit: Limit): number | undefined {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= limit.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window, limit.windowMs);
    }
    window.count++;
    if (window.count <= limit.max) return undefined;
    return Math.max(1, Math.ceil((window.start + limit.windowMs - now) / 1000));
  }

  /** Forgets `key` (a successful sign-in clears that email's failures). */
  reset(key: string): void {
    this.windows.delete(key);
  }
}
