/**
 * stdio wiring. stdout carries only JSON-RPC; everything else goes to stderr. Without credentials the
 * server still starts and lists its tools — a Claude Desktop user would otherwise only see "server
 * disconnected" — and every tool call explains which variables to set.
 *
 * The SDK's serveStdio owns the protocol era of the connection: an `initialize` opening pins a
 * 2025-era server, a `server/discover` or `_meta`-envelope opening a 2026-07-28 one. Both come from
 * buildServer() with this process's one context.
 *
 * The client closing stdin is the normal way a stdio server is told to go, but not a reason to drop
 * what it already asked: a piped `initialize` + `tools/call` followed by EOF must still get both
 * answers, and a write cut off half-way would leave its outcome unknown. So on EOF the server reads
 * nothing more, lets the requests it has read finish (at most the tool-call timeout), then exits.
 * (The SDK's own transport closes at EOF and drops what is running.)
 */
import { PassThrough } from "node:stream";
import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from "@modelcontextprotocol/server";
import { serveStdio as serveMcpStdio, StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { resolveEnvCredentials } from "../auth.ts";
import { serverOptions, type Started } from "../boot.ts";
import { buildServer } from "./server.ts";

export async function serveStdio({ config, log, runtime, stop }: Started): Promise<void> {
  if (config.authMode !== "env") log.warn(`AUTH_MODE=${config.authMode} has no effect over stdio; using credentials from the environment`);
  const auth = resolveEnvCredentials(config);
  if (!auth.ok) log.warn(auth.message);
  const ctx = auth.ok ? runtime.contextFor(auth.credentials) : runtime.unconfigured(auth.message);
  const options = serverOptions(config);

  // The SDK transport reads a stream that never ends by itself: EOF on stdin is handled below.
  const input = new PassThrough();
  process.stdin.pipe(input, { end: false });
  const wire = new AnsweredTransport(new StdioServerTransport(input, process.stdout));
  const connection = serveMcpStdio(() => buildServer(ctx, options), {
    transport: wire,
    onerror: (error) => log.debug("mcp stdio error", { error: error.message }),
  });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await connection.close().catch(() => {});
    await stop();
    process.exit(0);
  };
  let ended = false;
  const endOfInput = async () => {
    if (closing || ended) return;
    ended = true;
    process.stdin.unpipe(input);
    // A tool call answers by its timeout at the latest (with "outcome unknown" for a write); a
    // second more lets that answer be written.
    const waitMs = config.http.toolTimeoutMs + 1000;
    const unanswered = await wire.whenAnswered(waitMs);
    if (unanswered > 0) log.warn(`stdin closed: ${unanswered} request(s) still unanswered after ${waitMs / 1000} s are dropped; a write among them may or may not have reached Autotask`);
    await shutdown();
  };
  process.stdin.on("end", endOfInput);
  process.stdin.on("close", endOfInput);
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  log.info("autotask-mcp ready on stdio", { tenant: ctx.tenant, sandbox: config.sandbox || undefined });
}

type Id = string | number;

const requestId = (message: JSONRPCMessage): Id | undefined =>
  "method" in message && "id" in message ? (message.id as Id) : undefined;
const responseId = (message: JSONRPCMessage): Id | undefined =>
  !("method" in message) && "id" in message && ("result" in message || "error" in message) ? (message.id as Id) : undefined;

/**
 * A transport that knows which of the client's requests are still unanswered: each request read
 * is pending until a response with its id is sent. Everything else passes through unchanged.
 */
class AnsweredTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  private readonly pending = new Set<Id>();
  private idle?: () => void;

  constructor(private readonly inner: Transport) {}

  start(): Promise<void> {
    this.inner.onmessage = (message, extra) => {
      const id = requestId(message);
      if (id !== undefined) this.pending.add(id);
      this.onmessage?.(message, extra);
    };
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => this.onclose?.();
    return this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    try {
      await this.inner.send(message, options);
    } finally {
      const id = responseId(message);
      if (id !== undefined && this.pending.delete(id) && this.pending.size === 0) this.idle?.();
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Resolves once every request read so far is answered, or after `timeoutMs`: how many are not. */
  whenAnswered(timeoutMs: number): Promise<number> {
    if (this.pending.size === 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.pending.size), timeoutMs);
      this.idle = () => {
        clearTimeout(timer);
        resolve(0);
      };
    });
  }
}
