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
import { viewLink } from "../ui/catalog.ts";
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
      // MCP Apps: hosts that render views show this one next to the result; others ignore _meta.
      ...(tool.ui ? { _meta: viewLink(tool.ui) } : {}),
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
  return collapseAnyOf(out);
}

/**
 * `anyOf: [{type: number, minimum: 0}, {type: string, pattern}]` says the same as
 * `{type: [number, string], minimum: 0, pattern}` — JSON Schema applies number keywords to numbers
 * and string keywords to strings only — in half the bytes. Collapsed when the branches have
 * distinct types and no keyword in common.
 */
function collapseAnyOf(node: Record<string, unknown>): Record<string, unknown> {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length < 2) return node;
  const types: string[] = [];
  const merged: Record<string, unknown> = {};
  for (const branch of branches as Array<Record<string, unknown>>) {
    const type = branch.type;
    if (type === undefined) return node;
    for (const t of [type].flat() as string[]) {
      if (types.includes(t)) return node;
      types.push(t);
    }
    for (const [key, value] of Object.entries(branch)) {
      if (key === "type") continue;
      if (key in merged || key in node) return node;
      merged[key] = value;
    }
  }
  const { anyOf: _anyOf, ...rest } = node;
  return { ...rest, type: types, ...merged };
}
