/**
 * buildServer(ctx): the ONE factory both transports use. It wires the registry to a low-level MCP
 * Server for one context — stdio builds it once, stateless HTTP once per request. Building is cheap:
 * tool listings are precomputed per tool and per selection.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { ToolContext } from "../context.ts";
import { VERSION } from "../version.ts";
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
}

const INSTRUCTIONS = CONVENTIONS;

/**
 * The SDK builds an Ajv instance per Server unless given one (~45 µs, a third of a stateless HTTP
 * request's CPU). It holds compiled schemas only, nothing about a tenant, so one serves all.
 */
const sharedValidator = new AjvJsonSchemaValidator();

export function buildServer(ctx: ToolContext, options: ServerOptions): Server {
  const { listed, callable } = resolveSelection(options.selection);
  const byName = new Map(callable.map((tool) => [tool.name, tool]));
  const listing = listed.map(toolListing);

  const server = new Server(
    { name: "autotask-mcp", title: "Autotask PSA", version: VERSION },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS, jsonSchemaValidator: sharedValidator },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listing }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      const hidden = options.selection.readOnly ? " (this server is read-only: write tools are disabled)" : "";
      return errorResult(`Unknown tool "${request.params.name}"${hidden}. Call tools/list for the available tools.`);
    }
    return runTool(tool, request.params.arguments, ctx, { timeoutMs: options.toolTimeoutMs });
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => readResource(request.params.uri, ctx));
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => getPrompt(request.params.name, request.params.arguments ?? {}));

  return server;
}
