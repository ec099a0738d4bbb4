/**
 * The checks an HTTP request passes before any MCP work: DNS-rebinding protection (Host and Origin
 * on loopback binds, Origin on every bind), the optional bearer token, content type, and a bounded body read. Every refusal is a JSON
 * body (JSON-RPC error shape on /mcp) — never an HTML page or a stack trace.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isPlainAuthority } from "../serve.ts";

/** A JSON-RPC error response with an HTTP status (id null: the request was not understood or not allowed). */
export function rpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** JSON-RPC error codes used at the HTTP layer. */
export const RPC = { parseError: -32700, invalidRequest: -32600, internalError: -32603, serverError: -32000 } as const;

// ---------------------------------------------------------------------------------------------
// DNS rebinding: a web page on evil.example can re-point its name at 127.0.0.1 and then talk to a
// server on this machine "same-origin". Its requests still carry Host: evil.example (and its
// Origin), so a loopback-bound server refuses any Host or Origin that does not name a loopback host.

/** Whether an address to bind (or a host name) is loopback-only. */
export function isLoopbackHost(host: string): boolean {
  let name = host.trim().toLowerCase();
  if (name.startsWith("[") && name.endsWith("]")) name = name.slice(1, -1);
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (name === "::1" || name === "0:0:0:0:0:0:0:1") return true;
  const v4 = name.startsWith("::ffff:") ? name.slice(7) : name;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Why a request is refused by the Host/Origin check, or undefined when both name a loopback host or
 * one of `allowedHosts` (MCP_HTTP_ALLOWED_HOSTS: the public name a proxy forwards, say).
 */
export function rebindingRefusal(headers: Headers, allowedHosts: readonly string[] = []): string | undefined {
  const host = headers.get("host");
  if (!host || !isAllowedName(hostnameOf(`http://${host}`), allowedHosts)) {
    return `Forbidden: Host header ${JSON.stringify(host ?? "")} is not a local address or one of MCP_HTTP_ALLOWED_HOSTS (DNS-rebinding protection)`;
  }
  return originRefusal(headers, allowedHosts);
}

/**
 * Why a request is refused by the Origin check alone, or undefined when it sends no Origin (curl,
 * SDK clients, proxies) or one naming a loopback host or one of `allowedHosts`. Applies on every
 * bind: the MCP transport spec says servers MUST validate Origin, and a browser page (DNS
 * rebinding, or a site calling a server on 0.0.0.0 directly) always sends one.
 */
export function originRefusal(headers: Headers, allowedHosts: readonly string[] = []): string | undefined {
  const origin = headers.get("origin");
  if (origin !== null && !isAllowedName(hostnameOf(origin), allowedHosts)) {
    return `Forbidden: Origin ${JSON.stringify(origin)} is not a local origin or one of MCP_HTTP_ALLOWED_HOSTS (DNS-rebinding protection)`;
  }
  return undefined;
}

function isAllowedName(name: string | undefined, allowedHosts: readonly string[]): boolean {
  return name !== undefined && (isLoopbackHost(name) || allowedHosts.includes(name.toLowerCase()));
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * `Authorization: Bearer <token>` against the configured token. Both sides are hashed first so the
 * comparison is constant-time whatever their lengths.
 */
export function bearerMatches(authorization: string | null, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(authorization ?? "");
  const given = match?.[1] ?? "";
  const equal = timingSafeEqual(digest(given), digest(token));
  return equal && given.length > 0;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Whether a Content-Type header names JSON (`application/json`, parameters such as charset allowed). */
export function isJsonContentType(header: string | null): boolean {
  if (!header) return false;
  return header.split(";", 1)[0]!.trim().toLowerCase() === "application/json";
}

export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

/**
 * Reads the body as text, refusing more than `maxBytes`: a declared Content-Length over the limit
 * is refused without reading, a chunked body as soon as it passes the limit.
 */
export async function readBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, tooLarge: true };
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        void reader.cancel().catch(() => {});
        return { ok: false, tooLarge: true };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return { ok: true, text: new TextDecoder().decode(bytes) };
}

// ---------------------------------------------------------------------------------------------
// Malformed requests and oversized answers.

/** Why the Host header is malformed (`localhost@evil.test`), or undefined when it is absent or well-formed. */
export function hostHeaderRefusal(headers: Headers): string | undefined {
  const host = headers.get("host");
  if (host === null || isPlainAuthority(host)) return undefined;
  return `Bad Request: malformed Host header ${JSON.stringify(host.slice(0, 100))}`;
}

/** Methods this server knows (RFC 9110 §9); anything else is 501 Not Implemented. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"]);

export function isKnownMethod(method: string): boolean {
  return KNOWN_METHODS.has(method);
}

/**
 * The answer, or a JSON-RPC error when its body is larger than `maxBytes`. A JSON answer is
 * already complete in memory, so it is measured as a whole; an event stream is cut off (the
 * connection breaks) once it passes the limit.
 */
export async function capAnswer(response: Response, maxBytes: number): Promise<Response> {
  if (!response.body) return response;
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > maxBytes) {
      return rpcError(500, RPC.internalError, `The answer (${bytes.byteLength} bytes) is larger than this server sends (${maxBytes} bytes): ask for less (fewer messages per request, a smaller pageSize)`);
    }
    return new Response(bytes, { status: response.status, headers: response.headers });
  }
  let sent = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      sent += chunk.byteLength;
      if (sent > maxBytes) controller.error(new Error(`answer larger than ${maxBytes} bytes`));
      else controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(limit), { status: response.status, headers: response.headers });
}

/** "tools/call ×3, tools/list": what an access log line says about a batch, at most a few names. */
export function summarize(names: string[], max = 5): string | undefined {
  if (names.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const parts = [...counts].slice(0, max).map(([name, count]) => (count > 1 ? `${name}×${count}` : name));
  if (counts.size > max) parts.push(`+${counts.size - max} more`);
  return parts.join(",");
}
