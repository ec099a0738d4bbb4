/**
 * The Coordinator for several replicas: Autotask's thread limit, cool-downs, the failed-login guard,
 * the API budget and the hosted rate limits live in Redis (REDIS_URL), so N replicas hold them as
 * one server would. Keys are hashes (see coordinator.ts); every key starts with `atmcp:`.
 *
 * Each replica keeps its own MemoryCoordinator too, for two jobs:
 * - its gate in front of Redis: a request takes a local slot first (follow-ups ahead of first
 *   requests, as in one process), then a shared one;
 * - the fallback: when Redis cannot be reached, requests are served with the local gate — logged
 *   once, never refused wholesale. The local limit is then this replica's share of Autotask's
 *   (3 / the replicas seen lately, at least 1), so the replicas together stay near the limit; the
 *   first requests wait a moment (DEGRADE_GRACE_MS) for those let in through Redis to finish.
 *   Cool-downs and verified logins are written to both, so the fallback starts from what it knew.
 * When Redis answers again, new requests use it again. At either edge the replicas may briefly
 * exceed the limit together (they learn of it a tick apart): Autotask then answers 429, reads are
 * retried after its Retry-After, and a write is refused with the wait — never sent twice.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "../log.ts";
import type { CoordinationState, Coordinator, LoginAdmission, LoginOutcome, Priority, UsageLedger, UsageReading } from "./coordinator.ts";
import { LOGIN_BURST, LOGIN_REFILL_MS, MemoryCoordinator, REJECTED_PAUSE_MS, USAGE_KEEP_MS, VERIFIED_TTL_MS } from "./memory.ts";
import { CoordinationUnavailable, RedisLink } from "./redis-link.ts";
import { RedisSlots, type SlotTimes } from "./redis-slots.ts";
import { ADMIT, COOL_DOWN, COUNT, HIT, RECORD_USAGE, REPLICAS, SETTLE, USAGE } from "./redis-scripts.ts";

export interface RedisCoordinatorOptions {
  url: string;
  log: Logger;
  /** Key prefix; default `atmcp:`. */
  prefix?: string;
  /** How often waiters check their place, counts are flushed and a down link is probed. Default 1 s. */
  tickMs?: number;
  /** Slot lease and place-in-line lifetimes. Default 15 s each. */
  times?: Partial<SlotTimes>;
  /** A Redis command's deadline. Default 2 s. */
  commandTimeoutMs?: number;
}

/** An unverified secret's probe is given up (another may start) after this long: a request's default timeout and a margin. */
const PROBE_TTL_MS = 35_000;
/** While another request probes the same secret, check again this often. */
const PROBE_WAIT_MS = 100;
/** A verified secret's record is refreshed in Redis at most this often per replica. */
const VERIFIED_REFRESH_MS = 60_000;
/** A tenant's usage ledger is read from Redis at most this often per replica (it is an estimate anyway). */
const USAGE_CACHE_MS = 1_000;
/** A replica counts as live this long after its last heartbeat. */
const REPLICA_TTL_MS = 15_000;
/**
 * When Redis goes away, requests let in through it may still be running on other replicas (which
 * this one cannot see any more): new ones wait this long before the per-replica gate takes over.
 */
const DEGRADE_GRACE_MS = 2_000;

/** Connects (or starts degraded when Redis is down) and returns the coordinator. */
export async function openRedisCoordinator(options: RedisCoordinatorOptions): Promise<RedisCoordinator> {
  const coordinator = new RedisCoordinator(options);
  await coordinator.start();
  return coordinator;
}

export class RedisCoordinator implements Coordinator {
  private readonly local = new MemoryCoordinator();
  private readonly link: RedisLink;
  private readonly slots: RedisSlots;
  private readonly prefix: string;
  private readonly replica = randomBytes(6).toString("hex");
  private readonly times: SlotTimes;
  private readonly tickMs: number;
  private timer?: ReturnType<typeof setInterval>;
  private ticks = 0;
  /** Live replicas when last counted (this one included). */
  private replicas = 1;
  /** When Redis last went away (0: never, since this replica started). */
  private downAt = 0;
  /** Requests counted since the last flush, per tenant. */
  private pending = new Map<string, number>();
  /** `user\nfingerprint` -> when this replica last refreshed its verified record in Redis. */
  private readonly refreshed = new Map<string, number>();
  /** Tenant -> its ledger as last read from Redis (without this replica's pending counts), and when. */
  private readonly ledgers = new Map<string, { ledger: UsageLedger; at: number }>();

  private readonly log: Logger;

  constructor(options: RedisCoordinatorOptions) {
    this.log = options.log;
    this.prefix = options.prefix ?? "atmcp:";
    this.times = { leaseMs: options.times?.leaseMs ?? 15_000, waitTtlMs: options.times?.waitTtlMs ?? 15_000 };
    this.tickMs = options.tickMs ?? 1_000;
    this.link = new RedisLink({
      url: options.url,
      channel: `${this.prefix}grant:${this.replica}`,
      onMessage: (id) => this.slots.granted(id),
      onDown: () => {
        this.downAt = Date.now();
        this.slots.failAll();
      },
      log: options.log,
      commandTimeoutMs: options.commandTimeoutMs ?? 2_000,
    });
    this.slots = new RedisSlots(this.link, this.replica, this.prefix, this.times);
  }

  async start(): Promise<void> {
    await this.link.start();
    if (this.link.up) await this.heartbeat();
    this.timer = setInterval(() => void this.tick().catch((error: Error) => this.log.warn("coordination upkeep failed", { error: error.message })), this.tickMs);
    this.timer.unref?.();
  }

  state(): CoordinationState {
    return this.link.up ? "ok" : "degraded";
  }

  // ------------------------------------------------------------------------------------ thread limit

  async acquire(key: string, limit: number, priority: Priority, signal?: AbortSignal): Promise<() => void> {
    if (!this.link.up) await pause(this.downAt + DEGRADE_GRACE_MS - Date.now(), signal);
    const localLimit = this.link.up ? limit : this.share(limit);
    const releaseLocal = await this.local.acquire(key, localLimit, priority, signal);
    if (!this.link.up) {
      if (localLimit <= this.share(limit)) return releaseLocal;
      // Let in under the shared limit just as Redis went away: in line again for this replica's share.
      releaseLocal();
      return this.acquire(key, limit, priority, signal);
    }
    try {
      const releaseShared = await this.slots.acquire(key, limit, priority, signal);
      return () => {
        releaseShared();
        releaseLocal();
      };
    } catch (error) {
      releaseLocal();
      // Redis went away while waiting: in line again, at the per-replica gate.
      if (error instanceof CoordinationUnavailable) return this.acquire(key, limit, priority, signal);
      throw error;
    }
  }

  /** This replica's part of a limit while Redis is away. */
  private share(limit: number): number {
    return Math.max(1, Math.floor(limit / this.replicas));
  }

  // -------------------------------------------------------------------------------------- cool-downs

  async cooldownUntil(key: string): Promise<number> {
    const local = await this.local.cooldownUntil(key);
    const shared = await this.shared(() => this.link.send("GET", [this.prefix + key]), null);
    return Math.max(local, Number(shared ?? 0));
  }

  async coolDown(key: string, until: number): Promise<void> {
    await this.local.coolDown(key, until);
    await this.shared(() => this.link.run(COOL_DOWN, [this.prefix + key], [until]), null);
  }

  // ----------------------------------------------------------------------------------------- logins

  async admitLogin(user: string, fingerprint: string): Promise<LoginAdmission> {
    for (;;) {
      if (!this.link.up) return this.local.admitLogin(user, fingerprint);
      let answer: number[];
      try {
        answer = (await this.link.run(ADMIT, this.loginKeys(user, fingerprint), [LOGIN_BURST, LOGIN_REFILL_MS, PROBE_TTL_MS])) as number[];
      } catch (error) {
        if (error instanceof CoordinationUnavailable) continue;
        throw error;
      }
      if (answer[0] === 1) {
        // A probe's outcome must reach Redis (it releases the others waiting on it): no shortcut in settleLogin.
        if (answer[1] === 1) this.refreshed.delete(`${user}\n${fingerprint}`);
        return { ok: true, probe: answer[1] === 1 };
      }
      if (answer[0] === 0) return { ok: false, reason: answer[1] === 1 ? "rejected" : "limited", retryAfterMs: Number(answer[2]) };
      await Bun.sleep(PROBE_WAIT_MS); // another request (on any replica) is finding out whether this secret works
    }
  }

  async settleLogin(user: string, fingerprint: string, outcome: LoginOutcome): Promise<void> {
    await this.local.settleLogin(user, fingerprint, outcome);
    const key = `${user}\n${fingerprint}`;
    // A secret known to work: its shared record needs no refresh on every request.
    if (outcome === "verified" && Date.now() - (this.refreshed.get(key) ?? 0) < VERIFIED_REFRESH_MS) return;
    const done = await this.shared(() => this.link.run(SETTLE, this.loginKeys(user, fingerprint), [outcome, VERIFIED_TTL_MS, REJECTED_PAUSE_MS, LOGIN_BURST]), null);
    if (outcome === "verified" && done !== null) this.remember(key);
    else if (outcome === "rejected") this.refreshed.delete(key);
  }

  async knownGood(user: string, fingerprint: string): Promise<boolean> {
    const exists = await this.shared(() => this.link.send("EXISTS", [this.loginKeys(user, fingerprint)[0]!]), null);
    return exists === null ? this.local.knownGood(user, fingerprint) : Number(exists) === 1;
  }

  private loginKeys(user: string, fingerprint: string): string[] {
    const base = `${this.prefix}login:${user}`;
    return [`${base}:verified:${fingerprint}`, `${base}:rejected:${fingerprint}`, `${base}:probe:${fingerprint}`, `${base}:bucket`];
  }

  private remember(key: string): void {
    this.refreshed.set(key, Date.now());
    if (this.refreshed.size > 10_000) this.refreshed.delete(this.refreshed.keys().next().value!);
  }

  // ------------------------------------------------------------------------------------ rate limits

  async hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const answer = (await this.shared(() => this.link.run(HIT, [`${this.prefix}hits:${key}`], [windowMs]), null)) as number[] | null;
    return answer ? { count: Number(answer[0]), resetAt: Date.now() + Number(answer[1]) } : this.local.hit(key, windowMs);
  }

  async forgetHits(key: string): Promise<void> {
    await this.local.forgetHits(key);
    await this.shared(() => this.link.send("DEL", [`${this.prefix}hits:${key}`]), null);
  }

  async mark(key: string, ttlMs: number): Promise<void> {
    await this.local.mark(key, ttlMs);
    await this.shared(() => this.link.send("SET", [`${this.prefix}mark:${key}`, "1", "PX", String(Math.max(1, Math.round(ttlMs)))]), null);
  }

  async isMarked(key: string): Promise<boolean> {
    const answer = await this.shared(() => this.link.send("EXISTS", [`${this.prefix}mark:${key}`]), null);
    return answer === null ? this.local.isMarked(key) : Number(answer) === 1;
  }

  // ------------------------------------------------------------------------------------- API budget

  async usage(tenant: string): Promise<UsageLedger> {
    if (!this.link.up) return this.local.usage(tenant);
    let cached = this.ledgers.get(tenant);
    if (!cached || Date.now() - cached.at >= USAGE_CACHE_MS) {
      const answer = (await this.shared(() => this.link.run(USAGE, this.usageKeys(tenant), []), null)) as Array<string | null> | null;
      if (!answer) return this.local.usage(tenant);
      const [threshold, timeframeMinutes, used, readAt] = answer.slice(0, 4).map(Number) as [number, number, number, number];
      const sentSince = Number(answer[4] ?? 0);
      cached = { ledger: answer[0] === null ? { sentSince } : { reading: { threshold, timeframeMinutes, used, readAt }, sentSince }, at: Date.now() };
      this.ledgers.set(tenant, cached);
      if (this.ledgers.size > 10_000) this.ledgers.delete(this.ledgers.keys().next().value!);
    }
    return { ...cached.ledger, sentSince: cached.ledger.sentSince + (this.pending.get(tenant) ?? 0) };
  }

  async recordUsage(tenant: string, reading: UsageReading): Promise<void> {
    await this.local.recordUsage(tenant, reading);
    this.pending.delete(tenant);
    this.ledgers.set(tenant, { ledger: { reading, sentSince: 0 }, at: Date.now() });
    const { threshold, timeframeMinutes, used, readAt } = reading;
    await this.shared(() => this.link.run(RECORD_USAGE, this.usageKeys(tenant), [threshold, timeframeMinutes, used, readAt, USAGE_KEEP_MS]), null);
  }

  countRequests(tenant: string, requests: number): void {
    this.local.countRequests(tenant, requests);
    this.pending.set(tenant, (this.pending.get(tenant) ?? 0) + requests);
  }

  async claimUsageRead(tenant: string, ttlMs: number): Promise<boolean> {
    const answer = await this.shared(() => this.link.send("SET", [`${this.prefix}usage:${tenant}:claim`, "1", "NX", "PX", String(ttlMs)]), undefined);
    return answer === undefined ? this.local.claimUsageRead(tenant, ttlMs) : answer === "OK";
  }

  private usageKeys(tenant: string): string[] {
    return [`${this.prefix}usage:${tenant}`, `${this.prefix}usage:${tenant}:sent`];
  }

  // ---------------------------------------------------------------------------------------- upkeep

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.link.up) await this.flushCounts();
    this.slots.failAll();
    this.link.close();
  }

  /** Every tick: probe a down link; else waiters check in, counts go out, and every few ticks leases renew. */
  private async tick(): Promise<void> {
    await this.link.probe();
    if (!this.link.up) return;
    const renew = ++this.ticks % Math.max(1, Math.floor(this.times.leaseMs / 3 / this.tickMs)) === 0;
    await Promise.all([this.slots.tick(renew), this.flushCounts(), renew ? this.heartbeat() : undefined]);
  }

  /** Registers this replica and learns how many are live (for the fallback's share). */
  private async heartbeat(): Promise<void> {
    const live = await this.shared(() => this.link.run(REPLICAS, [`${this.prefix}replicas`], [this.replica, REPLICA_TTL_MS]), null);
    if (live !== null) this.replicas = Math.max(1, Number(live));
  }

  private async flushCounts(): Promise<void> {
    const pending = this.pending;
    this.pending = new Map();
    await Promise.all([...pending].map(([tenant, requests]) => this.shared(() => this.link.run(COUNT, [this.usageKeys(tenant)[1]!], [requests, USAGE_KEEP_MS]), null)));
  }

  /** Runs a Redis step; while Redis is unavailable, answers `fallback` instead (the caller uses its local state). */
  private async shared<T, F>(step: () => Promise<T>, fallback: F): Promise<T | F> {
    if (!this.link.up) return fallback;
    try {
      return await step();
    } catch (error) {
      if (error instanceof CoordinationUnavailable) return fallback;
      throw error;
    }
  }
}

/** Waits `ms` (nothing when ≤ 0); rejects with the signal's reason if it aborts first. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
