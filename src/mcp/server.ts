/**
 * buildServer(ctx): the ONE factory both transports use. It wires the registry to a low-level MCP
 * Server (official SDK, v2 line) for one context — stdio builds it once per connection, HTTP once
 * per request. The SDK's serving entries decide the protocol era around it: a 2025-era client
 * (initialize → initialized → …, 2024-11-05 … 2025-11-25) and a 2026-07-28 client (no handshake,
 * `_meta` envelope on every request, `server/discover`) get the same instance shape, so the same
 * tools, resources, prompts, annotations and output schemas.
 *
 * Building is cheap: the tools and listings a selection serves are computed once, and the SDK's
 * default JSON Schema validator builds its Ajv engines lazily (this server never asks it to
 * validate anything), so a per-request server no longer pays for an Ajv instance.
 */
import { Server, type Tool as McpTool } from "@modelcontextprotocol/server";
import type { ToolContext } from "../context.ts";
import { VERSION } from "../version.ts";
import type { Tool } from "../tools/define.ts";
import { resolveSelection, type ToolSelection } from "../tools/index.ts";
import { getPrompt, PROMPTS } from "./prompts.ts";
import { readResource, RESOURCE_TEMPLATES, RESOURCES } from "./resources.ts";
import { errorResult, runTool } from "../tools/run.ts";
import { toolListing } from "../tools/schema.ts";
import { CONVENTIONS } from "../tools/conventions.ts";

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

/** Per resolved selection: its callable tools by name and its tools/list entries. */
const surfaces = new WeakMap<object, { byName: Map<string, Tool>; listing: McpTool[] }>();

/** What a selection serves, computed once per distinct selection (the registry is immutable). */
function surfaceOf(selection: ToolSelection): { byName: Map<string, Tool>; listing: McpTool[] } {
  const resolved = resolveSelection(selection);
  let surface = surfaces.get(resolved);
  if (!surface) {
    surface = { byName: new Map(resolved.callable.map((tool) => [tool.name, tool])), listing: resolved.listed.map(toolListing) };
    surfaces.set(resolved, surface);
  }
  return surface;
}

/**
 * A fresh, unconnected server for one context. The low-level `Server` (which the SDK marks
 * deprecated in favour of `McpServer`) is deliberate: our tools validate their own arguments
 * (case-insensitive names, errors that name the field — tools/run.ts) and list precomputed JSON
 * Schemas, where `McpServer.registerTool` would re-validate with its own messages and rebuild 107
 * registrations per request.
 */
export function buildServer(ctx: ToolContext, options: ServerOptions): Server {
  const { byName, listing } = surfaceOf(options.selection);

  const server = new Server(
    { name: options.name ?? "autotask-mcp", title: "Autotask PSA", version: options.version ?? VERSION },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS },
  );

  server.setRequestHandler("tools/list", () => ({ tools: listing }));

  server.setRequestHandler("tools/call", async (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      const hidden = options.selection.readOnly ? " (read-only: write tools are disabled unless AUTOTASK_WRITE_ALLOWLIST names them)" : "";
      return errorResult(`Unknown tool "${request.params.name}"${hidden}. Call tools/list for the available tools.`);
    }
    return runTool(tool, request.params.arguments, ctx, { timeoutMs: options.toolTimeoutMs, untrustedMarkers: options.untrustedMarkers });
  });

  server.setRequestHandler("resources/list", () => ({ resources: RESOURCES }));
  server.setRequestHandler("resources/templates/list", () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  server.setRequestHandler("resources/read", (request) => readResource(request.params.uri, ctx));
  server.setRequestHandler("prompts/list", () => ({ prompts: PROMPTS }));
  server.setRequestHandler("prompts/get", (request) => getPrompt(request.params.name, request.params.arguments ?? {}));

  return server;
}
