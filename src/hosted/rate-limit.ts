/**
 * Rate limits for the endpoints an attacker would hammer: sign-in (password guessing), account
 * creation, client registration and the token endpoint. Fixed windows per key, counted by the
 * Coordinator: in this process, or shared by every replica through Redis (REDIS_URL), so adding
 * replicas does not multiply the attempts allowed. Keys are hashed before they are counted: an
 * email or address never reaches Redis.
 */
import { createHash } from "node:crypto";
import type { Coordinator } from "../coord/coordinator.ts";

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
  constructor(private readonly coordinator: Coordinator) {}

  /**
   * Counts one request for `key` under `limit`. Resolves to undefined when allowed, else the
   * seconds until the window ends (for Retry-After).
   */
  async hit(key: string, limit: Limit): Promise<number | undefined> {
    const { count, resetAt } = await this.coordinator.hit(hashed(key), limit.windowMs);
    if (count <= limit.max) return undefined;
    return Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
  }

  /** Forgets `key` (a successful sign-in clears that email's failures). */
  reset(key: string): Promise<void> {
    return this.coordinator.forgetHits(hashed(key));
  }
}

function hashed(key: string): string {
  const at = key.indexOf(":");
  // The kind stays readable (signin, token …); what identifies a person or a client is hashed.
  return `${key.slice(0, at)}:${createHash("sha256").update(key.slice(at + 1)).digest("hex").slice(0, 32)}`;
}
