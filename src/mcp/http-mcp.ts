/**
 * One POST /mcp, after the guards: the seed's lenient curl requests made valid and the per-request
 * tool selection headers (the exchange itself, in either protocol era: http-eras.ts).
 *
 * Lenient requests. The guide's curl examples send `{"method": "tools/list"}` with no Accept header,
 * no `jsonrpc` and no `id`. Such a message is completed (`jsonrpc: "2.0"`, an id for anything that is
 * not a `notifications/…` method) and, whenever the client did not say it accepts
 * `text/event-stream`, answered as plain JSON. No initialize is needed: every request gets a fresh
 * stateless server, which answers tools/list and tools/call without a handshake. Strict MCP clients
 * are untouched: they send both Accept types and get the SDK's full Streamable HTTP behaviour
 * (SSE stream, MCP-Protocol-Version checks).
 */
import { PROTOCOL_VERSION_META_KEY } from "@modelcontextprotocol/server";
import { parseBool, parseToolsets } from "../config.ts";
import { writeAllowlistProblem, type Selectable, type ToolSelection } from "../tools/selection.ts";
import { TOOLSET_NAMES } from "../tools/toolsets.ts";

type Message = Record<string, unknown>;

export type Normalized =
  | { ok: true; body: Message | Message[]; lenient: boolean; methods: string[]; tools: string[] }
  | { ok: false; message: string };

/**
 * JSON-RPC batches came with MCP 2025-03-26 and went with 2025-06-18 (changelog: "Remove support
 * for JSON-RPC batching"). Where they are allowed they are bounded: a tools/list answer is ~150 KB
 * and a tool call may make several Autotask requests, so an unbounded batch turns a few KB into
 * many MB (100 tools/list: 4.8 KB in, 15.4 MB out) and hundreds of Autotask requests.
 */
const BATCHES_REMOVED_IN = "2025-06-18";
export const MAX_BATCH_MESSAGES = 10;
/** Messages in one batch that may reach Autotask (each tool call can make several requests). */
export const MAX_BATCH_AUTOTASK_CALLS = 3;
const REACHES_AUTOTASK = new Set(["tools/call", "resources/read"]);

/**
 * Completes lenient JSON-RPC messages in place and checks that each one is a message at all, and
 * that a batch is allowed (protocol version from the MCP-Protocol-Version header, a message's
 * `_meta` or an initialize request; none given means the 2025-03-26 default) and within bounds.
 */
export function normalizeMessages(parsed: unknown, headers: Headers): Normalized {
  const batch = Array.isArray(parsed);
  const messages = (batch ? parsed : [parsed]) as unknown[];
  if (messages.length === 0) return { ok: false, message: "Invalid Request: empty batch" };
  if (batch) {
    const refusal = batchRefusal(messages, headers);
    if (refusal) return { ok: false, message: refusal };
  }
  const usedIds = new Set(messages.map((m) => (isObject(m) ? m.id : undefined)).filter((id) => id !== undefined && id !== null));
  let nextId = 1;
  let lenient = false;
  const methods: string[] = [];
  const tools: string[] = [];
  for (const message of messages) {
    if (!isObject(message)) return { ok: false, message: 'Invalid Request: a JSON-RPC message must be an object such as {"method": "tools/list"}' };
    const isResponse = "result" in message || "error" in message;
    if (typeof message.method !== "string" && !isResponse) {
      return { ok: false, message: 'Invalid Request: missing "method" (for example {"method": "tools/list"})' };
    }
    if (message.jsonrpc === undefined) {
      message.jsonrpc = "2.0";
      lenient = true;
    }
    if (typeof message.method !== "string") continue;
    methods.push(message.method);
    if ((message.id === undefined || message.id === null) && !message.method.startsWith("notifications/")) {
      while (usedIds.has(nextId)) nextId++;
      message.id = nextId;
      usedIds.add(nextId);
      lenient = true;
    }
    if (message.method === "tools/call" && isObject(message.params) && typeof message.params.name === "string") {
      tools.push(message.params.name);
    }
  }
  return { ok: true, body: batch ? (messages as Message[]) : (messages[0] as Message), lenient, methods, tools };
}

function batchRefusal(messages: unknown[], headers: Headers): string | undefined {
  const version = protocolVersion(messages, headers);
  if (version && version >= BATCHES_REMOVED_IN) {
    return `Invalid Request: JSON-RPC batches are not part of MCP protocol version ${version} (removed in ${BATCHES_REMOVED_IN}); send one message per POST`;
  }
  if (messages.length > MAX_BATCH_MESSAGES) {
    return `Invalid Request: a batch may hold at most ${MAX_BATCH_MESSAGES} messages (got ${messages.length}); send the rest in further requests`;
  }
  const heavy = messages.filter((m) => isObject(m) && typeof m.method === "string" && REACHES_AUTOTASK.has(m.method)).length;
  if (heavy > MAX_BATCH_AUTOTASK_CALLS) {
    return `Invalid Request: a batch may hold at most ${MAX_BATCH_AUTOTASK_CALLS} tools/call or resources/read messages (got ${heavy}); send the rest in further requests`;
  }
  return undefined;
}

/** The protocol version a request speaks: the header, else a message's `_meta` (2026-07-28) or an initialize's. */
function protocolVersion(messages: unknown[], headers: Headers): string | undefined {
  const header = headers.get("mcp-protocol-version")?.trim();
  if (header) return header;
  for (const message of messages) {
    if (!isObject(message) || !isObject(message.params)) continue;
    const meta = message.params._meta;
    const fromMeta = isObject(meta) ? meta[PROTOCOL_VERSION_META_KEY] : undefined;
    if (typeof fromMeta === "string") return fromMeta;
    if (message.method === "initialize" && typeof message.params.protocolVersion === "string") return message.params.protocolVersion;
  }
  return undefined;
}

function isObject(value: unknown): value is Message {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------

export type SelectionResult = { ok: true; selection: ToolSelection } | { ok: false; message: string };

/**
 * `X-MCP-Readonly`, `X-MCP-Write-Allowlist` and `X-MCP-Toolsets` narrow the configured selection
 * for one request; they can never widen it. Read-only stays read-only, and `X-MCP-Readonly: true`
 * turns off every write, the server's allowlist included. `X-MCP-Write-Allowlist` (comma list of
 * write tools) makes the request read-only except for the tools it names that the server lets
 * write (all of them, or those of AUTOTASK_WRITE_ALLOWLIST). Toolsets are intersected.
 *
 * `tools` gives the facts of every tool (the listings, lists.ts), read only when a request names
 * an allowlist: checking one loads no tool module in a build, and nothing at all otherwise.
 */
export async function requestSelection(base: ToolSelection, headers: Headers, tools: () => Promise<readonly Selectable[]>): Promise<SelectionResult> {
  let selection = base;
  const readOnly = headers.get("x-mcp-readonly")?.trim().toLowerCase();
  if (readOnly) {
    const value = parseBool(readOnly);
    if (value === undefined) return { ok: false, message: `X-MCP-Readonly must be true or false, got ${JSON.stringify(readOnly)}` };
    if (value) selection = { ...selection, readOnly: true, writeAllowlist: [] };
  }
  const allowlist = headers.get("x-mcp-write-allowlist")?.trim();
  if (allowlist) {
    const names = [...new Set(allowlist.split(",").map((name) => name.trim()).filter(Boolean))];
    const problem = writeAllowlistProblem(names, await tools());
    if (problem) return { ok: false, message: `X-MCP-Write-Allowlist: ${problem}` };
    const serverAllows = (name: string) => !base.readOnly || (base.writeAllowlist ?? []).includes(name);
    selection = { ...selection, readOnly: true, writeAllowlist: names.filter(serverAllows) };
  }
  const toolsets = headers.get("x-mcp-toolsets")?.trim().toLowerCase();
  if (toolsets) {
    const wanted = parseToolsets(toolsets);
    if (wanted === undefined) {
      const unknown = toolsets.split(",").map((name) => name.trim()).filter((name) => name && !(TOOLSET_NAMES as string[]).includes(name));
      return {
        ok: false,
        message: `X-MCP-Toolsets: unknown toolset${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => JSON.stringify(n)).join(", ")}; allowed: all, ${TOOLSET_NAMES.join(", ")}`,
      };
    }
    if (wanted === "all") return { ok: true, selection };
    const narrowed = base.toolsets === "all" ? wanted : base.toolsets.filter((name) => wanted.includes(name));
    selection = { ...selection, toolsets: narrowed };
  }
  return { ok: true, selection };
}
