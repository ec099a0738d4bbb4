/**
 * What must hold across every request the gateway sends to Autotask — and, once several replicas
 * share it (a Redis implementation), across replicas: Autotask's thread limit, 429 cool-downs, and
 * the pressure of failed logins on an API user. The Autotask transport is the only user; keys are
 * built there (src/autotask/gate.ts, no secrets in them), so an implementation only stores and counts.
 *
 * memory.ts is the one-process implementation.
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
   * Admits a request for API user `user` (lower case) with credentials `fingerprint` (a hash of
   * user name, integration code, secret and API URL). Verified credentials pass at once. Unverified
   * ones pass one at a time per fingerprint (the others wait for its outcome) and take a token from
   * the user's small bucket, kept only when Autotask answers 401 — so no series of wrong secrets
   * can hammer Autotask with failed logins, and nothing else uses the bucket up.
   */
  admitLogin(user: string, fingerprint: string): Promise<LoginAdmission>;

  /** Records the outcome of an admitted request (every admitted request, probe or not). */
  settleLogin(user: string, fingerprint: string, outcome: LoginOutcome): Promise<void>;
}
