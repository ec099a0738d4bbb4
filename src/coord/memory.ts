/**
 * The Coordinator for one process: slots, cool-downs, login state, rate-limit windows and usage
 * ledgers in memory. Everything is bounded: slot queues exist only while busy, the rest lives in
 * LRU maps. redis.ts also uses it as each replica's own gate (and its fallback while Redis is away).
 */
import { LruCache } from "../lru.ts";
import type { CoordinationState, Coordinator, LoginAdmission, LoginOutcome, Priority, UsageLedger, UsageReading } from "./coordinator.ts";

/**
 * Failed logins per API user: a burst of 4, then one every 10 s — at most 10 in any first minute, 6
 * a minute after. An unverified request takes a token; it is given back unless Autotask answers 401.
 */
export const LOGIN_BURST = 4;
export const LOGIN_REFILL_MS = 10_000;
/** How long a rejected secret is refused without asking Autotask again. */
export const REJECTED_PAUSE_MS = 10_000;
/** How long credentials that worked stay trusted without another success. */
export const VERIFIED_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_USERS = 10_000;
const MAX_FINGERPRINTS_PER_USER = 16;
const MAX_COOLDOWNS = 10_000;
const COOLDOWN_KEEP_MS = 60 * 60 * 1000;
const MAX_WINDOWS = 50_000;
const MAX_TENANTS = 10_000;
/** A usage reading is kept this long: past it, the hour it describes is over. */
export const USAGE_KEEP_MS = 2 * 60 * 60 * 1000;

interface Waiter {
  grant(): void;
}

interface Slots {
  inFlight: number;
  /** The limit the latest acquire asked for: a release hands over only below it (it may shrink). */
  limit: number;
  followUps: Waiter[];
  firsts: Waiter[];
}

interface UserLogins {
  tokens: number;
  refilledAt: number;
  /** Fingerprint -> trusted until. */
  verified: Map<string, number>;
  /** Fingerprint -> refused until. */
  rejected: Map<string, number>;
}

export class MemoryCoordinator implements Coordinator {
  private readonly slots = new Map<string, Slots>();
  private readonly cooldowns = new LruCache<string, number>(MAX_COOLDOWNS, COOLDOWN_KEEP_MS);
  private readonly logins: LruCache<string, UserLogins>;
  /** `user\nfingerprint` -> the probe in flight, which the others with the same credentials wait for. */
  private readonly probes = new Map<string, { settled: Promise<void>; settle(): void }>();
  /** Rate-limit windows, one bounded table per kind (the key's prefix before ":"), so flooding one kind cannot evict another's counts. */
  private readonly windows = new Map<string, LruCache<string, { count: number; resetAt: number }>>();
  private readonly ledgers: LruCache<string, UsageLedger>;
  private readonly marks: LruCache<string, true>;
  private readonly usageReads: LruCache<string, true>;

  constructor(
    private readonly now: () => number = Date.now,
    /** Rate-limit windows kept per kind (tests use a small table to show kinds never evict each other). */
    private readonly windowsPerKind = MAX_WINDOWS,
  ) {
    this.logins = new LruCache(MAX_USERS, VERIFIED_TTL_MS, now);
    this.marks = new LruCache(MAX_WINDOWS, 24 * 60 * 60 * 1000, now);
    this.ledgers = new LruCache(MAX_TENANTS, USAGE_KEEP_MS, now);
    this.usageReads = new LruCache(MAX_TENANTS, 60_000, now);
  }

  acquire(key: string, limit: number, priority: Priority, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let slots = this.slots.get(key);
    if (!slots) {
      slots = { inFlight: 0, limit, followUps: [], firsts: [] };
      this.slots.set(key, slots);
    }
    const held = slots;
    held.limit = limit;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.inFlight--;
      while (held.inFlight < held.limit) {
        const next = held.followUps.shift() ?? held.firsts.shift();
        if (!next) break;
        next.grant();
      }
      if (held.inFlight === 0 && held.followUps.length === 0 && held.firsts.length === 0) this.slots.delete(key);
    };
    if (held.inFlight < limit && held.followUps.length === 0 && held.firsts.length === 0) {
      held.inFlight++;
      return Promise.resolve(release);
    }
    const queue = priority === "follow-up" ? held.followUps : held.firsts;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          held.inFlight++;
          resolve(release);
        },
      };
      queue.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async cooldownUntil(key: string): Promise<number> {
    return this.cooldowns.get(key) ?? 0;
  }

  async coolDown(key: string, until: number): Promise<void> {
    this.cooldowns.set(key, Math.max(until, this.cooldowns.get(key) ?? 0));
  }

  async admitLogin(user: string, fingerprint: string): Promise<LoginAdmission> {
    for (;;) {
      const state = this.userLogins(user);
      const now = this.now();
      if ((state.verified.get(fingerprint) ?? 0) > now) return { ok: true, probe: false };
      const refusedUntil = state.rejected.get(fingerprint) ?? 0;
      if (refusedUntil > now) return { ok: false, reason: "rejected", retryAfterMs: refusedUntil - now };
      const probe = this.probes.get(`${user}\n${fingerprint}`);
      if (probe) {
        await probe.settled; // then look again: verified, rejected, or our turn to probe
        continue;
      }
      this.refill(state, now);
      if (state.tokens < 1) return { ok: false, reason: "limited", retryAfterMs: state.refilledAt + LOGIN_REFILL_MS - now };
      state.tokens -= 1;
      let settle!: () => void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      this.probes.set(`${user}\n${fingerprint}`, { settled, settle });
      return { ok: true, probe: true };
    }
  }

  async settleLogin(user: string, fingerprint: string, outcome: LoginOutcome): Promise<void> {
    const state = this.userLogins(user);
    if (outcome === "verified") {
      state.rejected.delete(fingerprint);
      remember(state.verified, fingerprint, this.now() + VERIFIED_TTL_MS);
    } else if (outcome === "rejected") {
      state.verified.delete(fingerprint);
      remember(state.rejected, fingerprint, this.now() + REJECTED_PAUSE_MS);
    }
    const key = `${user}\n${fingerprint}`;
    const probe = this.probes.get(key);
    if (probe) {
      this.probes.delete(key);
      // Only a 401 is a failed login: anything else gives the token back.
      if (outcome !== "rejected") state.tokens = Math.min(LOGIN_BURST, state.tokens + 1);
      probe.settle();
    }
  }

  async knownGood(user: string, fingerprint: string): Promise<boolean> {
    return (this.logins.get(user)?.verified.get(fingerprint) ?? 0) > this.now();
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const now = this.now();
    const table = this.windowTable(key);
    let window = table.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      table.set(key, window, windowMs);
    }
    window.count++;
    return { ...window };
  }

  async forgetHits(key: string): Promise<void> {
    this.windowTable(key).delete(key);
  }

  async mark(key: string, ttlMs: number): Promise<void> {
    this.marks.set(key, true, ttlMs);
  }

  async isMarked(key: string): Promise<boolean> {
    return this.marks.get(key) === true;
  }

  private windowTable(key: string): LruCache<string, { count: number; resetAt: number }> {
    const kind = key.slice(0, Math.max(0, key.indexOf(":")));
    let table = this.windows.get(kind);
    if (!table) this.windows.set(kind, (table = new LruCache(this.windowsPerKind, 24 * 60 * 60 * 1000, this.now)));
    return table;
  }

  async usage(tenant: string): Promise<UsageLedger> {
    const ledger = this.ledgers.get(tenant);
    return ledger ? { ...ledger } : { sentSince: 0 };
  }

  async recordUsage(tenant: string, reading: UsageReading): Promise<void> {
    this.ledgers.set(tenant, { reading, sentSince: 0 });
  }

  countRequests(tenant: string, requests: number): void {
    const ledger = this.ledgers.getOrSet(tenant, () => ({ sentSince: 0 }));
    ledger.sentSince += requests;
  }

  async claimUsageRead(tenant: string, ttlMs: number): Promise<boolean> {
    if (this.usageReads.get(tenant)) return false;
    this.usageReads.set(tenant, true, ttlMs);
    return true;
  }

  state(): CoordinationState {
    return "memory";
  }

  async close(): Promise<void> {}

  private userLogins(user: string): UserLogins {
    return this.logins.getOrSet(user, () => ({ tokens: LOGIN_BURST, refilledAt: this.now(), verified: new Map(), rejected: new Map() }));
  }

  private refill(state: UserLogins, now: number): void {
    const earned = Math.floor((now - state.refilledAt) / LOGIN_REFILL_MS);
    if (earned <= 0) return;
    state.tokens = Math.min(LOGIN_BURST, state.tokens + earned);
    state.refilledAt = state.tokens === LOGIN_BURST ? now : state.refilledAt + earned * LOGIN_REFILL_MS;
  }
}

/** Sets a per-user entry, dropping the oldest beyond a handful (a user has one or two secrets in use). */
function remember(map: Map<string, number>, key: string, until: number): void {
  map.delete(key);
  map.set(key, until);
  if (map.size > MAX_FINGERPRINTS_PER_USER) map.delete(map.keys().next().value!);
}
