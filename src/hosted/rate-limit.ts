/**
 * Rate limits for what an attacker would hammer: sign-in (password guessing), account creation,
 * client registration, the token and authorization endpoints, and fetching client metadata
 * documents (each one an outbound request a stranger chooses). Fixed windows, counted by the
 * Coordinator: in this process, or shared by every replica through Redis (REDIS_URL), so adding
 * replicas does not multiply the attempts allowed.
 *
 * Each limit is counted apart (the Coordinator keeps one table per kind), so flooding one
 * (registrations from many addresses, say) cannot evict another's counts (the sign-in failures of an
 * account under attack). Limits counted per address count an IPv6 address by its /64 (address.ts).
 * Keys are hashed before they are counted: an email or address never reaches Redis.
 */
import { createHash } from "node:crypto";
import { addressKey } from "../address.ts";
import type { Coordinator } from "../coord/coordinator.ts";

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
  /** What the key is: a client address (counted by addressKey), or another value used as is. */
  per: "address" | "account" | "email";
}

export const LIMITS = {
  signIn: { max: 20, windowMs: 60_000, per: "address" },
  /**
   * Per email address: sign-in attempts, so one account cannot be guessed at from many addresses.
   * The key is the email alone for addresses that have not signed in to it lately, the email and
   * address for one that has (see Accounts.signIn): guessing elsewhere never locks the owner out
   * where they usually sign in.
   */
  signInEmail: { max: 10, windowMs: 15 * 60_000, per: "email" },
  signUp: { max: 10, windowMs: 60 * 60_000, per: "address" },
  register: { max: 30, windowMs: 60 * 60_000, per: "address" },
  token: { max: 120, windowMs: 60_000, per: "address" },
  /** /authorize pages: each may read the store, fetch a client document or list Autotask resources. */
  authorize: { max: 60, windowMs: 60_000, per: "address" },
  /** Client ID metadata documents fetched (cache misses only): outbound requests to URLs a stranger names. */
  clientDocument: { max: 20, windowMs: 10 * 60_000, per: "address" },
  connect: { max: 10, windowMs: 10 * 60_000, per: "account" },
} satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

export class RateLimiter {
  constructor(private readonly coordinator: Coordinator) {}

  /**
   * Counts one request for `key` (an address, account id or email, as the limit says) under the
   * limit `name`. Resolves to undefined when allowed, else the seconds until the window ends (for
   * Retry-After).
   */
  async hit(name: LimitName, key: string): Promise<number | undefined> {
    const limit: Limit = LIMITS[name];
    const { count, resetAt } = await this.coordinator.hit(this.id(name, key), limit.windowMs);
    if (count <= limit.max) return undefined;
    return Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
  }

  /** Forgets `key` under `name` (a successful sign-in clears its failures). */
  reset(name: LimitName, key: string): Promise<void> {
    return this.coordinator.forgetHits(this.id(name, key));
  }

  /**
   * Remembers that `address` signed in to `email` (for 30 days, across replicas through the
   * coordinator): such an address gets a sign-in count of its own (see Accounts.signIn).
   */
  rememberPlace(email: string, address: string): Promise<void> {
    return this.coordinator.mark(placeKey(email, address), KNOWN_PLACE_MS);
  }

  /** Whether `address` signed in to `email` within the last 30 days. */
  knowsPlace(email: string, address: string): Promise<boolean> {
    return this.coordinator.isMarked(placeKey(email, address));
  }

  /** `<limit>:<hash>`: the kind stays readable; what identifies a person or a client is hashed. */
  private id(name: LimitName, key: string): string {
    const counted = LIMITS[name].per === "address" ? addressKey(key) : key;
    return `${name}:${createHash("sha256").update(counted).digest("hex").slice(0, 32)}`;
  }
}

/** How long an address that signed in to an email counts as that person's. */
const KNOWN_PLACE_MS = 30 * 24 * 60 * 60_000;

function placeKey(email: string, address: string): string {
  return `place:${createHash("sha256").update(`${email}\n${addressKey(address)}`).digest("hex").slice(0, 32)}`;
}
