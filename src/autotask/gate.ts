/**
 * The per-tenant gate every Autotask request passes through.
 *
 * - At most 3 requests in flight per tenant (Autotask's thread limit for an integration code);
 *   callers beyond that wait their turn in order — they queue, they do not fail.
 * - After a 401 those credentials pause briefly: repeated bad logins can lock the API user, so calls
 *   with the same rejected secret fail at once instead of hammering Autotask. The pause is keyed by
 *   a fingerprint of the credentials, so a caller sending a wrong secret cannot pause a tenant
 *   whose requests carry the right one.
 * - After a 429 the tenant cools down for the Retry-After period; reads wait it out when it is short,
 *   everything else gets a rate-limited error with the seconds to wait.
 */
import { AutotaskError } from "./errors.ts";

export const AUTOTASK_THREAD_LIMIT = 3;
const AUTH_PAUSE_MS = 10_000;
const MAX_PAUSED_CREDENTIALS = 16;

export class TenantGate {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** Rejected credentials (by fingerprint) and until when they pause; a handful at most. */
  private readonly authFailures = new Map<string, { error: AutotaskError; until: number }>();
  private cooldownUntil = 0;
  /** Highest concurrency seen; exposed for tests and diagnostics. */
  peakInFlight = 0;

  constructor(
    readonly limit = AUTOTASK_THREAD_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `task` holding one of the tenant's slots. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Throws the remembered auth error while these credentials are paused after a 401. */
  checkAuthPause(fingerprint: string): void {
    const failure = this.authFailures.get(fingerprint);
    if (!failure) return;
    if (failure.until > this.now()) throw failure.error;
    this.authFailures.delete(fingerprint);
  }

  noteAuthFailure(fingerprint: string, error: AutotaskError): void {
    if (this.authFailures.size >= MAX_PAUSED_CREDENTIALS) this.authFailures.delete(this.authFailures.keys().next().value!);
    this.authFailures.set(fingerprint, { error, until: this.now() + AUTH_PAUSE_MS });
  }

  noteAuthSuccess(fingerprint: string): void {
    this.authFailures.delete(fingerprint);
  }

  /** Milliseconds left in a 429 cool-down (0 when none). */
  cooldownRemainingMs(): number {
    return Math.max(0, this.cooldownUntil - this.now());
  }

  noteRateLimited(retryAfterSeconds: number): void {
    this.cooldownUntil = Math.max(this.cooldownUntil, this.now() + retryAfterSeconds * 1000);
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.limit) {
      this.take();
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.take();
        resolve();
      }),
    );
  }

  private take(): void {
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }
}
