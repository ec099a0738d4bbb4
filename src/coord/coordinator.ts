/**
 * What must hold across every request the gateway sends to Autotask — and, with REDIS_URL, across
 * replicas: Autotask's thread limit, 429 cool-downs, the pressure of failed logins on an API user,
 * the hourly API budget, and the hosted sign-in/token rate limits. Keys are built by the callers
 * (src/autotask/gate.ts, budget.ts, hosted/rate-limit.ts) from hashes — never a secret, a user
 * name or an email — so an implementation only stores and counts.
 *
 * memory.ts keeps it in one process; redis.ts shares it between replicas and falls back to the
 * memory one, per process, while Redis cannot be reached.
 */

/** A call's follow-up requests go ahead of calls that have not sent anything yet. */
export type Priority = "follow-up" | "first";

/**
 * Whether a request with one set of credentials may go to Autotask now. `probe`: the credentials
 * are not yet known to work, and this request finds out (its outcome must be settled).
 * Refused: `rejected` — these very credentials got a 401 moments ago; `limited` — too many
 * unverified secrets for this API user lately (Autotask may lock a user after repeated failures).
 */
export type LoginAdmission = { ok: true; probe: boolean } | { ok: false; reason: "rejected" | "limited"; retryAfterMs: number };

/** What Autotask's answer said about the credentials: worked, 401, or nothing either way (timeout, 429, 5xx). */
export type LoginOutcome = "verified" | "rejected" | "inconclusive";

/** A tenant's API usage as Autotask's ThresholdInformation last reported it. */
export interface UsageReading {
  /** externalRequestThreshold: requests allowed per timeframe (10,000 per hour by default). */
  threshold: number;
  /** requestThresholdTimeframe, in minutes (60). */
  timeframeMinutes: number;
  /** currentTimeframeRequestCount at the time of reading. */
  used: number;
  /** When it was read (epoch ms). */
  readAt: number;
}

/** The last reading (if any) and the requests this deployment has sent for the tenant since. */
export interface UsageLedger {
  reading?: UsageReading;
  sentSince: number;
}

/** `memory`: one process (no REDIS_URL); `ok`: shared through Redis; `degraded`: Redis unreachable, per process for now. */
export type CoordinationState = "memory" | "ok" | "degraded";

export interface Coordinator {
  /**
   * Takes one of `limit` slots under `key`; when all are taken, waits in line — follow-ups first,
   * each priority in arrival order. Resolves to the release function (call it exactly once).
   * Rejects with `signal.reason` if the signal aborts while waiting (the server is shutting down).
   */
  acquire(key: string, limit: number, priority: Priority, signal?: AbortSignal): Promise<() => void>;

  /** Epoch milliseconds until which requests under `key` cool down after a 429; 0 when none. */
  cooldownUntil(key: string): Promise<number>;

  /** Extends the cool-down under `key` to at least `until` (epoch milliseconds). */
  coolDown(key: string, until: number): Promise<void>;

  /**
   * Admits a request for API user `user` (a hash of the user name) with credentials `fingerprint` (a
   * hash of user name, integration code, secret and API URL). Verified credentials pass at once. Unverified
   * ones pass one at a time per fingerprint (the others wait for its outcome) and take a token from
   * the user's small bucket, kept only when Autotask answers 401 — so no series of wrong secrets
   * can hammer Autotask with failed logins, and nothing else uses the bucket up.
   */
  admitLogin(user: string, fingerprint: string): Promise<LoginAdmission>;

  /** Records the outcome of an admitted request (every admitted request, probe or not). */
  settleLogin(user: string, fingerprint: string, outcome: LoginOutcome): Promise<void>;

  /** Whether Autotask accepted exactly these credentials lately (within a day), without asking it. */
  knownGood(user: string, fingerprint: string): Promise<boolean>;

  /**
   * Counts one hit under `key` (`<kind>:<id>`, e.g. `signIn:<hash>`) in a fixed window of `windowMs`
   * that starts with the first hit. Resolves to the hits so far in the window and when the window
   * ends (epoch ms). Each kind is counted apart: flooding one kind never evicts another's counts.
   */
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;

  /** Forgets the hits under `key`. */
  forgetHits(key: string): Promise<void>;

  /** Marks `key` for `ttlMs` (hashed ids only, like every key here: an address that signed in to an account). */
  mark(key: string, ttlMs: number): Promise<void>;

  /** Whether `key` is marked (see mark). */
  isMarked(key: string): Promise<boolean>;

  /** A tenant's last usage reading and the requests sent since. */
  usage(tenant: string): Promise<UsageLedger>;

  /** Stores a fresh reading for every replica; the count of requests sent since starts again at 0. */
  recordUsage(tenant: string, reading: UsageReading): Promise<void>;

  /** Counts requests sent to Autotask for a tenant (cheap: may be buffered for a moment). */
  countRequests(tenant: string, requests: number): void;

  /**
   * Claims the next ThresholdInformation read for a tenant for `ttlMs`: true for one caller
   * (across replicas), so the tenant is not polled by everyone at once.
   */
  claimUsageRead(tenant: string, ttlMs: number): Promise<boolean>;

  state(): CoordinationState;

  /** Stops timers and closes connections. */
  close(): Promise<void>;
}
