/**
 * One way to serve a fetch handler: Bun.serve under Bun (the binary, the tests), node:http under
 * Node (the npm package run by `npx -y autotask-mcp` on Node 20 without Bun). Both the HTTP
 * transport and the sandbox use it, so both work wherever the CLI runs.
 *
 * Requests the HTTP parser itself refuses never reach `fetch`. node:http lets us answer them (a
 * JSON 400, or 501 for an unknown method such as BREW, 405 for CONNECT). Bun.serve closes the
 * connection on a method outside its table without calling anything (oven-sh/bun#6556); serving
 * through node:http under Bun would answer those too, but halves tool-call throughput, so Bun
 * keeps Bun.serve.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Readable } from "node:stream";

export interface ServeOptions {
  port: number;
  hostname: string;
  /** Seconds an idle connection is kept (a client sending its request slowly counts as idle). */
  idleTimeoutSeconds: number;
  /**
   * `keepOpen()` lifts the idle timeout for this request (a slow tool call must not be cut);
   * `address` is the peer's IP address (for rate limits).
   */
  fetch(request: Request, control: { keepOpen(): void; address: string }): Promise<Response>;
  /** The answer when `fetch` throws. */
  error(error: Error): Response;
}

export interface Served {
  port: number;
  hostname: string;
  /** Stops accepting; with `force`, closes open connections too. Resolves when closed. */
  stop(force?: boolean): Promise<void>;
}

export function serve(options: ServeOptions): Promise<Served> {
  return typeof Bun !== "undefined" ? Promise.resolve(serveWithBun(options)) : serveWithNode(options);
}

function serveWithBun(options: ServeOptions): Served {
  const server = Bun.serve({
    port: options.port,
    hostname: options.hostname,
    development: false,
    // Explicit: with development:false Bun otherwise binds with SO_REUSEPORT, and a second server
    // on a busy port would start silently and share its traffic instead of failing.
    reusePort: false,
    idleTimeout: options.idleTimeoutSeconds,
    fetch: (request, server) => options.fetch(request, { keepOpen: () => server.timeout(request, 0), address: server.requestIP(request)?.address ?? "" }),
    error: options.error,
  });
  return {
    port: server.port!,
    hostname: server.hostname ?? options.hostname,
    stop: (force) => server.stop(force ?? false),
  };
}

async function serveWithNode(options: ServeOptions): Promise<Served> {
  const server = createServer((req, res) => void answer(req, res, options));
  server.on("clientError", (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === "HPE_INVALID_METHOD") refuseRaw(socket, 501, "Not Implemented: unknown HTTP method");
    else if (error.code !== "ECONNRESET") refuseRaw(socket, 400, "Bad Request: malformed HTTP request");
  });
  server.on("connect", (_req: IncomingMessage, socket: Socket) => refuseRaw(socket, 405, "Method not allowed: CONNECT (this server is not a proxy)"));
  server.requestTimeout = 0; // bounded by the tool-call timeout instead
  server.keepAliveTimeout = options.idleTimeoutSeconds * 1000;
  server.on("connection", (socket) => socket.setTimeout(options.idleTimeoutSeconds * 1000, () => socket.destroy()));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    hostname: options.hostname,
    stop: (force) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if (force) server.closeAllConnections();
        else server.closeIdleConnections();
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, options: ServeOptions): Promise<void> {
  let response: Response;
  try {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${authorityOf(req.headers.host)}${req.url ?? "/"}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      // Required by Node's fetch for streamed request bodies.
      ...(hasBody ? { duplex: "half" } : {}),
    } as RequestInit);
    response = await options.fetch(request, { keepOpen: () => req.socket.setTimeout(0), address: req.socket.remoteAddress ?? "" });
  } catch (error) {
    response = options.error(error as Error);
  }
  res.statusCode = response.status;
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") res.setHeader(key, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  if (!response.body) {
    res.end();
    return;
  }
  try {
    for await (const chunk of response.body) {
      if (res.destroyed) break;
      res.write(chunk);
    }
    res.end();
  } catch {
    res.destroy(); // the body failed mid-stream: the client sees a broken connection, as intended
  }
}

/**
 * Whether a Host header is a plain authority, `host[:port]` (RFC 9110 §7.2): no user info
 * (`localhost@evil.test`), path, query, fragment or space, and a host a URL can carry.
 */
export function isPlainAuthority(host: string): boolean {
  return host !== "" && !/[\s@/?#\\]/.test(host) && URL.canParse(`http://${host}/`);
}

/**
 * The Host header when it is a plain authority, else "localhost": a malformed Host must not make
 * the Request unconstructible here — the handler reads the header itself and refuses it.
 */
function authorityOf(host: string | undefined): string {
  return host && isPlainAuthority(host) ? host : "localhost";
}

/** A JSON refusal written straight to a socket the HTTP parser gave up on. */
function refuseRaw(socket: Socket, status: number, message: string): void {
  if (!socket.writable) return;
  const body = JSON.stringify({ error: message });
  const reason = status === 501 ? "Not Implemented" : status === 405 ? "Method Not Allowed" : "Bad Request";
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
