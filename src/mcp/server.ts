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

export interface ServerOptions {
  selection: ToolSelection;
  /** Upper bound for one tool call. */
  toolTimeoutMs?: number;
}

const INSTRUCTIONS = [
  "Tools for Kaseya Autotask PSA (tickets, companies, contacts, time entries, projects, contracts, quotes, invoices).",
  "IDs come from search tools: find a company with autotask_search_companies before creating its tickets, a resource with autotask_search_resources before assigning.",
  "Results show names next to IDs. Searches return 25 rows per page by default; when `page.hasMore` is true, ask for `page.nextPage`.",
  "Picklist values (status, priority, queue, note visibility …) are tenant-specific: use autotask_list_picklist or autotask_describe_entity rather than guessing numbers.",
].join(" ");

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
