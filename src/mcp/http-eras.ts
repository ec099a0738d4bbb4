/**
 * POST /mcp after the guards, in either protocol era, from the one factory (buildServer).
 *
 * - 2026-07-28 requests (a `_meta` envelope naming the revision, `server/discover`, `Mcp-Method` /
 *   `Mcp-Name` routing headers, no handshake) go to the official SDK's `createMcpHandler`. It checks
 *   the envelope, the `MCP-Protocol-Version` header and that `Mcp-Method`/`Mcp-Name` agree with the
 *   body (a 400 with JSON-RPC error -32020 otherwise), builds a server for the request and answers
 *   one JSON document (SSE only if a handler emitted a message before its result; ours never do).
 * - 2025-era requests (no envelope: initialize, the seed's lenient curls, batches) keep the
 *   stateless Streamable HTTP transport exactly as before: JSON unless the client accepts
 *   `text/event-stream`. The SDK's own legacy fallback always streams, which would turn the curl
 *   examples' answers into SSE, so 2025 traffic is routed around it by the SDK's own rule (see
 *   servesCurrentEra) — the composition its documentation gives for keeping a legacy wiring.
 *
 * Nothing is shared between requests except the SDK handler, which holds no tenant state: the
 * request's context reaches the factory through the Request object the SDK hands back to it. A
 * 2026-07-28 `subscriptions/listen` is acknowledged and completed at once (this server announces
 * no list changes), so no stream outlives its request or holds up a drain.
 */
import { createMcpHandler, isLegacyRequest, PROTOCOL_VERSION_META_KEY, WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";
import type { ToolContext } from "../context.ts";
import { buildServer, type ServerOptions } from "./server.ts";

type Message = Record<string, unknown>;

/** Headers the MCP layer never sees: credentials stay in the auth resolver. */
const PRIVATE_HEADERS = ["authorization", "x-api-key", "x-api-secret", "x-integration-code", "x-api-url", "cookie"];

/** JSON-RPC HeaderMismatch (MCP 2026-07-28, Streamable HTTP: headers disagree with the body). */
const HEADER_MISMATCH = -32020;

export interface McpCall {
  request: Request;
  /** The parsed, normalised body (see normalizeMessages). */
  body: Message | Message[];
  ctx: ToolContext;
  /** The server to build: this request's tool selection, timeouts, markers, name. */
  options: ServerOptions;
  onError?: (error: Error) => void;
}

/**
 * The POST /mcp handler of one HTTP server: answers a request whose body passed the HTTP guards.
 * `onError` receives what the SDK's 2026-07-28 handler reports (rejected requests, serving
 * failures): reporting only, the client already has its answer.
 */
export function createMcpHandling(onError?: (error: Error) => void): (call: McpCall) => Promise<Response> {
  const exchanges = new Map<Request, { ctx: ToolContext; options: ServerOptions }>();
  const modern = createMcpHandler(
    ({ requestInfo }) => {
      const exchange = requestInfo && exchanges.get(requestInfo);
      if (!exchange) throw new Error("no context for this request");
      return buildServer(exchange.ctx, exchange.options);
    },
    { legacy: "reject", ...(onError && { onerror: onError }) },
  );

  return async (call) => {
    const request = sdkRequestOf(call.request);
    const options = call.options;
    if (await servesCurrentEra(request, call.body)) {
      exchanges.set(request, { ctx: call.ctx, options });
      try {
        return await modern.fetch(request, { parsedBody: call.body });
      } finally {
        exchanges.delete(request);
      }
    }
    const mismatch = routingHeaderMismatch(call.request.headers, call.body);
    if (mismatch) {
      const id = Array.isArray(call.body) ? null : (call.body.id ?? null);
      const message = `Bad Request: the request headers and body disagree: ${mismatch}`;
      return Response.json({ jsonrpc: "2.0", error: { code: HEADER_MISMATCH, message }, id }, { status: 400 });
    }
    return handleLegacy(call, request, options);
  };
}

/** The first revision of the 2026 era (revisions are ISO dates, so later ones sort after it). */
const CURRENT_ERA = "2026-07-28";

/**
 * Whether the SDK's 2026-07-28 handler serves this request, by the SDK's own rule (isLegacyRequest):
 * it is the handler's when a message claims the `_meta` envelope (carries its protocol-version key)
 * or the MCP-Protocol-Version header names a 2026 revision; everything else is 2025-era. The rule is
 * applied here directly because the SDK's full classification, run before the handler runs it
 * again, costs a 2026 request about a tenth of its CPU; only the case where the SDK looks deeper —
 * an `initialize` that also claims the envelope — is left to isLegacyRequest.
 */
async function servesCurrentEra(request: Request, body: Message | Message[]): Promise<boolean> {
  const version = request.headers.get("mcp-protocol-version")?.trim();
  const messages = Array.isArray(body) ? body : [body];
  const claimed = (version !== undefined && version >= CURRENT_ERA) || messages.some(claimsEnvelope);
  if (!claimed) return false;
  return Array.isArray(body) || body.method !== "initialize" || !(await isLegacyRequest(request, body));
}

function claimsEnvelope(message: Message): boolean {
  const params = message.params;
  const meta = typeof params === "object" && params !== null ? (params as Message)._meta : undefined;
  return typeof meta === "object" && meta !== null && PROTOCOL_VERSION_META_KEY in meta;
}

/**
 * What the SDK sees: no credential headers, so nothing below the auth resolver can read a secret,
 * and the Accept/Content-Type the 2025 transport insists on (how to answer is decided from the
 * client's own Accept in handleLegacy).
 */
function sdkRequestOf(request: Request): Request {
  const headers = new Headers(request.headers);
  for (const name of PRIVATE_HEADERS) headers.delete(name);
  headers.set("accept", "application/json, text/event-stream");
  headers.set("content-type", "application/json");
  return new Request(request.url, { method: "POST", headers });
}

/** A 2025-era exchange: a fresh server and stateless transport, answered as JSON or SSE per Accept. */
async function handleLegacy(call: McpCall, request: Request, options: ServerOptions): Promise<Response> {
  // SSE only for clients that asked for it; curl and plain HTTP clients get one JSON document.
  const stream = (call.request.headers.get("accept") ?? "").includes("text/event-stream");
  const server = buildServer(call.ctx, options);
  if (call.onError) server.onerror = call.onError;
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: !stream });
  await server.connect(transport);
  const response = await transport.handleRequest(request, { parsedBody: call.body });
  // A JSON answer is complete here; an SSE stream ends (and is released) after its last message.
  if (!stream) void server.close().catch(() => {});
  return response;
}

/** Which body field `Mcp-Name` mirrors, per method (MCP 2026-07-28, Streamable HTTP standard headers). */
const NAME_SOURCE: Record<string, string> = { "tools/call": "name", "prompts/get": "name", "resources/read": "uri" };

/**
 * Routing headers on a 2025-era request must not lie either: a gateway that routes or authorises
 * on `Mcp-Method`/`Mcp-Name` would otherwise pass one call and let the body make another. The
 * 2025 revisions define no such headers, so they are only checked when present (the SDK checks
 * 2026-07-28 requests, where they are required). Returns what disagrees, or undefined.
 */
function routingHeaderMismatch(headers: Headers, body: Message | Message[]): string | undefined {
  const methodHeader = headers.get("mcp-method")?.trim();
  const nameHeader = headers.get("mcp-name")?.trim();
  if (methodHeader === undefined && nameHeader === undefined) return undefined;
  if (Array.isArray(body)) return "Mcp-Method/Mcp-Name name one request, but the body is a batch";
  const method = body.method;
  if (methodHeader !== undefined && methodHeader !== method) {
    return `the body names method ${String(method)} but the Mcp-Method header names ${methodHeader}`;
  }
  const field = typeof method === "string" ? NAME_SOURCE[method] : undefined;
  const params = body.params as Message | undefined;
  const value = field && typeof params === "object" && params !== null ? params[field] : undefined;
  if (nameHeader !== undefined && typeof value === "string" && decodeHeaderValue(nameHeader) !== value) {
    return `the body carries params.${field}=${JSON.stringify(value)} but the Mcp-Name header names ${JSON.stringify(nameHeader)}`;
  }
  return undefined;
}

/** Header values that are not plain ASCII travel as `=?base64?…?=` (MCP 2026-07-28, Streamable HTTP). */
function decodeHeaderValue(value: string): string {
  const encoded = /^=\?base64\?(.*)\?=$/i.exec(value);
  return encoded ? Buffer.from(encoded[1]!, "base64").toString("utf8") : value;
}
