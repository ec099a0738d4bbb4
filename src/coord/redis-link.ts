/**
 * The connection to Redis behind the shared coordinator, on Bun's built-in client (Bun.RedisClient:
 * nothing to install, compiled into the binary and the container image; it pipelines commands sent
 * in the same tick and, without the offline queue, fails a command at once while disconnected).
 * The gateway's npm bundle on Node refuses REDIS_URL with one line (coord/index.ts).
 *
 * Two connections: one for commands (scripts, by SHA), one subscribed to this replica's channel,
 * where slot grants arrive. Every command has a deadline. The first failure marks the link down —
 * one warning — and from then a probe every tick reconnects; when Redis answers again the link is up
 * (one line) and callers use it again. While down, every call throws CoordinationUnavailable at once,
 * so callers fall back to the per-process gate instead of waiting.
 */
import { within } from "../deadline.ts";
import type { Logger } from "../log.ts";
import type { Script } from "./redis-scripts.ts";

type RedisClient = InstanceType<typeof Bun.RedisClient>;

/** Redis cannot be reached (or did not answer in time): use the per-process fallback. */
export class CoordinationUnavailable extends Error {
  override name = "CoordinationUnavailable";
}

export interface RedisLinkOptions {
  url: string;
  /** The channel grants for this replica arrive on. */
  channel: string;
  onMessage(message: string): void;
  /** Called once each time the link goes down. */
  onDown(): void;
  log: Logger;
  /** A command's deadline; past it the link counts as down. */
  commandTimeoutMs: number;
}

export class RedisLink {
  private client?: RedisClient;
  private subscriber?: RedisClient;
  private isUp = false;
  /** Set once the link was down (or never came up): the next success is announced. */
  private wasDown = false;
  private probing?: Promise<void>;
  private closed = false;
  /** host:port only: REDIS_URL may carry a password. */
  readonly where: string;

  constructor(private readonly options: RedisLinkOptions) {
    const url = new URL(options.url);
    this.where = url.host || url.pathname;
  }

  get up(): boolean {
    return this.isUp;
  }

  /** Connects; when Redis cannot be reached, starts down (and keeps trying through probe()). */
  async start(): Promise<void> {
    await this.probe();
    if (this.isUp) return;
    this.wasDown = true;
    this.options.log.warn(`Redis at ${this.where} (REDIS_URL) cannot be reached: Autotask's limits are kept per replica until it can`);
  }

  /** Runs a script (by SHA; its source once when Redis does not know it yet). */
  async run(script: Script, keys: string[], args: Array<string | number>): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args.map(String)];
    return this.command(async (client) => {
      try {
        return await client.send("EVALSHA", [script.sha, ...tail]);
      } catch (error) {
        if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
        return client.send("EVAL", [script.source, ...tail]);
      }
    });
  }

  /** Sends one plain command. */
  send(command: string, args: string[]): Promise<unknown> {
    return this.command((client) => client.send(command, args));
  }

  /**
   * While down: reconnects and, once Redis answers, marks the link up. While up: checks that the
   * grant subscription is still connected. Called every tick by the coordinator.
   */
  probe(): Promise<void> {
    this.probing ??= this.reconnect().finally(() => (this.probing = undefined));
    return this.probing;
  }

  close(): void {
    this.closed = true;
    this.isUp = false;
    this.client?.close();
    this.subscriber?.close();
  }

  private async command<T>(send: (client: RedisClient) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!this.isUp || !client) throw new CoordinationUnavailable(`Redis at ${this.where} is unavailable`);
    try {
      return await deadline(send(client), this.options.commandTimeoutMs);
    } catch (error) {
      this.down(error as Error);
      throw new CoordinationUnavailable(`Redis at ${this.where} is unavailable: ${(error as Error).message}`);
    }
  }

  private down(error: Error): void {
    if (!this.isUp || this.closed) return;
    this.isUp = false;
    this.wasDown = true;
    this.options.log.warn(`Redis at ${this.where} became unreachable (${error.message}): Autotask's limits are kept per replica until it is back`);
    this.options.onDown();
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    if (this.isUp) {
      // A dropped connection is noticed here even when no request needed Redis meanwhile.
      if (!this.client?.connected) this.down(new Error("the connection was closed"));
      else if (!this.subscriber?.connected) await this.subscribe().catch((error: Error) => this.down(error));
      return;
    }
    try {
      if (!this.client?.connected) {
        this.client?.close();
        this.client = newClient(this.options.url);
        await deadline(this.client.connect(), this.options.commandTimeoutMs);
      }
      await deadline(this.client.send("PING", []), this.options.commandTimeoutMs);
      await this.subscribe();
    } catch {
      return; // still down; the next tick tries again
    }
    if (this.closed) return;
    this.isUp = true;
    if (this.wasDown) this.options.log.info(`Redis at ${this.where} is reachable: Autotask's limits are shared between replicas again`);
    this.wasDown = false;
  }

  /** A fresh subscriber connection on this replica's channel (a dropped one may not resubscribe by itself). */
  private async subscribe(): Promise<void> {
    this.subscriber?.close();
    this.subscriber = newClient(this.options.url);
    await deadline(this.subscriber.connect(), this.options.commandTimeoutMs);
    await deadline(
      this.subscriber.subscribe(this.options.channel, (message) => this.options.onMessage(message)),
      this.options.commandTimeoutMs,
    );
  }
}

function newClient(url: string): RedisClient {
  // No offline queue: while disconnected a command fails at once and the caller falls back. No
  // reconnecting of its own either: probe() replaces a dropped connection, on its own schedule.
  return new Bun.RedisClient(url, { enableOfflineQueue: false, autoReconnect: false, connectionTimeout: 2_000 });
}

/** `promise`, or a rejection after `ms`. */
function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return within(promise, ms, () => {
    throw new Error(`no answer within ${ms} ms`);
  });
}
