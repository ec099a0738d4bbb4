/**
 * buildServer(ctx): the ONE factory both transports use. It wires the registry to a low-level MCP
 * Server (official SDK, v2 line) for one context — stdio builds it once per connection, HTTP once
 * per request. The SDK's serving entries decide the protocol era around it: a 2025-era client
 * (initialize → initialized → …, 2024-11-05 … 2025-11-25) and a 2026-07-28 client (no handshake,
 * `_meta` envelope on every request, `server/discover`) get the same instance shape, so the same
 * tools, resources, prompts, annotations and output schemas.
 *
 * Building is cheap, and so is starting: the list methods answer from the listings (lists.ts,
 * precomputed in a build), and the tool registry with its zod schemas (tool-calls.ts) and the
 * resource readers load on the first request that runs one. The SDK's default JSON Schema validator
 * builds its Ajv engines lazily (this server never asks it to validate anything).
 */
import { Server } from "@modelcontextprotocol/server";
import type { ToolContext } from "../context.ts";
import type { Logger } from "../log.ts";
import { VERSION } from "../version.ts";
import { CONVENTIONS } from "../tools/conventions.ts";
import type { ToolSelection } from "../tools/selection.ts";
import { listings, listTools } from "./lists.ts";
import { getPrompt, PROMPTS } from "./prompts.ts";

export interface ServerOptions {
  selection: ToolSelection;
  /** Upper bound for one tool call. */
  toolTimeoutMs?: number;
  /** Mark outsiders' text as data in tool results (AUTOTASK_UNTRUSTED_MARKERS); default on. */
  untrustedMarkers?: boolean;
  /** What the server calls itself to clients (MCP_SERVER_NAME, MCP_SERVER_VERSION); default autotask-mcp and the package version. */
  name?: string;
  version?: string;
}

const INSTRUCTIONS = CONVENTIONS;

let toolCalls: Promise<typeof import("./tool-calls.ts")> | undefined;

/** The registry, loaded once, by the first tools/call of the process (logged: that call pays for it). */
function loadToolCalls(log: Logger): Promise<typeof import("./tool-calls.ts")> {
  if (!toolCalls) {
    const started = performance.now();
    toolCalls = import("./tool-calls.ts").then((module) => {
      log.debug("tool registry loaded", { ms: Math.round(performance.now() - started) });
      return module;
    });
  }
  return toolCalls;
}

/**
 * A fresh, unconnected server for one context. The low-level `Server` (which the SDK marks
 * deprecated in favour of `McpServer`) is deliberate: our tools validate their own arguments
 * (case-insensitive names, errors that name the field — tools/run.ts) and list precomputed JSON
 * Schemas, where `McpServer.registerTool` would re-validate with its own messages and rebuild 107
 * registrations per request.
 */
export function buildServer(ctx: ToolContext, options: ServerOptions): Server {
  const server = new Server(
    { name: options.name ?? "autotask-mcp", title: "Autotask PSA", version: options.version ?? VERSION },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS },
  );

  server.setRequestHandler("tools/list", async () => ({ tools: listTools(await listings(ctx.log), options.selection) }));
  server.setRequestHandler("tools/call", async (request) =>
    (await loadToolCalls(ctx.log)).callTool(request.params.name, request.params.arguments, ctx, options.selection, {
      timeoutMs: options.toolTimeoutMs,
      untrustedMarkers: options.untrustedMarkers,
    }),
  );

  server.setRequestHandler("resources/list", async () => ({ resources: (await listings(ctx.log)).resources }));
  server.setRequestHandler("resources/templates/list", async () => ({ resourceTemplates: (await listings(ctx.log)).resourceTemplates }));
  server.setRequestHandler("resources/read", async (request) => (await import("./resources.ts")).readResource(request.params.uri, ctx));
  server.setRequestHandler("prompts/list", () => ({ prompts: PROMPTS }));
  server.setRequestHandler("prompts/get", (request) => getPrompt(request.params.name, request.params.arguments ?? {}));

  return server;
}
