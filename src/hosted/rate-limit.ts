/**
 * Rate limits for what an attacker would hammer: sign-in (password guessing), account creation,
 * client registration, the token and authorization endpoints, and fetching client metadata
 * documents (each one an outbound request a stranger chooses). Fixed windows, in this process
 * (several replicas share theirs through the coordination layer once it exists).
 *
 * Each limit keeps its own bounded table, so flooding one (registrations from many addresses, say)
 * cannot evict another's counts (the sign-in failures of an account under attack). Limits counted
 * per address count an IPv6 address by its /64 (see address.ts).
 */
import { addressKey } from "../address.ts";
import { LruCache } from "../lru.ts";

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

/** Keys kept per limit; the least recently counted go first (their windows start over). */
const KEYS_PER_LIMIT = 20_000;

export class RateLimiter {
  private readonly tables = new Map<LimitName, LruCache<string, { start: number; count: number }>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly keysPerLimit = KEYS_PER_LIMIT,
  ) {}

  /**
   * Counts one request for `key` (an address, account id or email, as the limit says) under the
   * limit `name`. Returns undefined when allowed, else the seconds until the window ends (for
   * Retry-After).
   */
  hit(name: LimitName, key: string): number | undefined {
    const limit: Limit = LIMITS[name];
    const table = this.table(name);
    const id = limit.per === "address" ? addressKey(key) : key;
    const now = this.now();
    let window = table.get(id);
    if (!window || now - window.start >= limit.windowMs) {
      window = { start: now, count: 0 };
      table.set(id, window, limit.windowMs);
    }
    window.count++;
    if (window.count <= limit.max) return undefined;
    return Math.max(1, Math.ceil((window.start + limit.windowMs - now) / 1000));
  }

  /** Forgets `key` under `name` (a successful sign-in clears its failures). */
  reset(name: LimitName, key: string): void {
    this.table(name).delete(LIMITS[name].per === "address" ? addressKey(key) : key);
  }

  private table(name: LimitName): LruCache<string, { start: number; count: number }> {
    let table = this.tables.get(name);
    if (!table) {
      table = new LruCache(this.keysPerLimit, LIMITS[name].windowMs, this.now);
      this.tables.set(name, table);
    }
    return table;
  }
}
