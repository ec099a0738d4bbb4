/**
 * This replica's side of the distributed semaphore (the scripts are in redis-scripts.ts): slots
 * held under a lease that is renewed while the request runs, places in line that are renewed while
 * they wait, and grants that arrive on this replica's channel. A waiter also checks its place on
 * every tick, so a lost message costs at most a tick, and that check sweeps lapsed leases: a
 * crashed replica's slots return within a lease.
 */
import type { Priority } from "./coordinator.ts";
import { CoordinationUnavailable, type RedisLink } from "./redis-link.ts";
import { ACQUIRE, POLL, RELEASE, RENEW } from "./redis-scripts.ts";

export interface SlotTimes {
  /** How long a slot stays held without a renewal (a crashed replica's slots return after it). */
  leaseMs: number;
  /** How long a place in line stays without a renewal. */
  waitTtlMs: number;
}

interface Waiter {
  key: string;
  limit: number;
  priority: Priority;
  grant(): void;
  fail(error: Error): void;
}

export class RedisSlots {
  private sequence = 0;
  /** Slot id -> its key and limit, while held. */
  private readonly held = new Map<string, { key: string; limit: number }>();
  private readonly waiting = new Map<string, Waiter>();

  /**
   * @param replica this replica's id: slot ids are `<replica>.<n>`, grants arrive on `<prefix>grant:<replica>`
   * @param prefix the prefix of every Redis key
   */
  constructor(
    private readonly link: RedisLink,
    private readonly replica: string,
    private readonly prefix: string,
    private readonly times: SlotTimes,
  ) {}

  /** The grant channel of this replica. */
  get channel(): string {
    return `${this.prefix}grant:${this.replica}`;
  }

  /**
   * Takes one of `limit` slots under `key` across every replica, waiting in line when none is free.
   * Rejects with CoordinationUnavailable when Redis cannot be reached, with `signal.reason` on abort.
   */
  acquire(key: string, limit: number, priority: Priority, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = `${this.replica}.${++this.sequence}`;
    return new Promise((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        this.waiting.delete(id);
        this.giveBack(id, key, limit);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        key,
        limit,
        priority,
        grant: () => {
          if (settled) return;
          settled = true;
          this.waiting.delete(id);
          signal?.removeEventListener("abort", onAbort);
          this.held.set(id, { key, limit });
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.held.delete(id);
            this.giveBack(id, key, limit);
          });
        },
        fail: (error) => {
          if (settled) return;
          settled = true;
          this.waiting.delete(id);
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      // Known before Redis answers: a grant may arrive on the channel before the script's reply.
      this.waiting.set(id, waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.enqueue(id, waiter);
    });
  }

  /** A grant from the channel. */
  granted(id: string): void {
    this.waiting.get(id)?.grant();
  }

  /** Every tick: waiters check their place (and sweep lapsed slots); `renew`: held leases are extended. */
  async tick(renew: boolean): Promise<void> {
    const checks: Array<Promise<unknown>> = [];
    for (const [id, waiter] of this.waiting) {
      checks.push(
        this.link.run(POLL, this.keys(waiter.key), [id, waiter.limit, this.times.leaseMs, this.times.waitTtlMs, this.prefix, this.keyTtl]).then(
          (state) => {
            if (state === 1) waiter.grant();
            else if (state === -1) this.enqueue(id, waiter); // lost (Redis restarted): back in line
          },
          (error: Error) => waiter.fail(error),
        ),
      );
    }
    if (renew) {
      for (const [id, { key }] of this.held) checks.push(this.link.run(RENEW, this.keys(key), [id, this.times.leaseMs, this.keyTtl]).catch(() => {}));
    }
    await Promise.all(checks);
  }

  /** Redis went away: every waiter falls back to the per-process gate. Held slots lapse on their own. */
  failAll(): void {
    for (const waiter of this.waiting.values()) waiter.fail(new CoordinationUnavailable("Redis became unavailable while waiting for a slot"));
  }

  private enqueue(id: string, waiter: Waiter): void {
    const args = [id, waiter.limit, this.times.leaseMs, waiter.priority === "follow-up" ? 0 : 1, this.times.waitTtlMs, this.prefix, this.keyTtl];
    this.link.run(ACQUIRE, this.keys(waiter.key), args).then(
      (taken) => {
        if (taken === 1) waiter.grant();
      },
      (error: Error) => waiter.fail(error),
    );
  }

  /**
   * Releases a slot or a place in line; a failure is left to the lease. A slot passed to a waiter of
   * this replica is taken at once from the answer (its message arrives later and finds no one).
   */
  private giveBack(id: string, key: string, limit: number): void {
    this.link.run(RELEASE, this.keys(key), [id, limit, this.times.leaseMs, this.prefix, this.keyTtl]).then(
      (granted) => {
        for (const next of granted as string[]) this.granted(next);
      },
      () => {},
    );
  }

  private keys(key: string): string[] {
    const base = `${this.prefix}${key}`;
    return [`${base}:held`, `${base}:line`, `${base}:line-ttl`];
  }

  /** Idle semaphore keys disappear after this. */
  private get keyTtl(): number {
    return 4 * Math.max(this.times.leaseMs, this.times.waitTtlMs);
  }
}
