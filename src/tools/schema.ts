/**
 * Tool schemas as MCP lists them: JSON Schema from the zod definitions, computed once per tool and
 * trimmed of what costs tokens and says nothing (`$schema`, ±2^53 integer bounds, `propertyNames`
 * of plain string keys). The title is listed once, at the top level, not again in the annotations.
 *
 * Integers are listed as `"type": "number"`, exactly as the original server declared its ids, so
 * schema-comparing clients see the same types; whole numbers are still enforced when a tool runs.
 */
import type { Tool as McpTool } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { Tool } from "./define.ts";

const listings = new WeakMap<Tool, McpTool>();

/** The tools/list entry for a tool (cached: the registry is immutable). */
export function toolListing(tool: Tool): McpTool {
  let listing = listings.get(tool);
  if (!listing) {
    listing = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: jsonSchema(tool.input, "input") as McpTool["inputSchema"],
      outputSchema: jsonSchema(tool.output, "output") as McpTool["outputSchema"],
      annotations: {
        readOnlyHint: tool.annotations.readOnly,
        destructiveHint: tool.annotations.destructive ?? false,
        idempotentHint: tool.annotations.idempotent ?? tool.annotations.readOnly,
        openWorldHint: false,
      },
    };
    listings.set(tool, listing);
  }
  return listing;
}

export function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const raw = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete raw.$schema;
  return trim(raw) as Record<string, unknown>;
}

const SAFE = Number.MAX_SAFE_INTEGER;

function trim(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(trim);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === "maximum" && value === SAFE) || (key === "minimum" && value === -SAFE)) continue;
    if (key === "propertyNames" && JSON.stringify(value) === '{"type":"string"}') continue;
    out[key] = key === "type" && value === "integer" ? "number" : trim(value);
  }
  return out;
}
