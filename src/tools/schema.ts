/**
 * Tool schemas as MCP lists them: JSON Schema from the zod definitions, computed once per tool and
 * trimmed of what costs tokens and tells a model nothing (see `trim`). Every tool's schema is read
 * in every conversation, so a byte here is paid ~100 times over (bench/tools-list.ts measures it).
 * The title is listed once, at the top level, not again in the annotations; a read-only tool lists
 * only the hints that mean something for it (MCP: destructiveHint and idempotentHint are meaningful
 * only when readOnlyHint is false).
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
      annotations: tool.annotations.readOnly
        ? { readOnlyHint: true, openWorldHint: false }
        : {
            readOnlyHint: false,
            destructiveHint: tool.annotations.destructive ?? false,
            idempotentHint: tool.annotations.idempotent ?? false,
            openWorldHint: false,
          },
      // MCP Apps: hosts that render views show this one next to the result; others ignore _meta.
      ...(tool.ui ? { _meta: viewLink(tool.ui) } : {}),
    };
    listings.set(tool, listing);
  }
  return listing;
}

const listedAs = new WeakMap<object, Record<string, unknown>>();

/**
 * Lists `schema` as `listing` rather than in full: for a shape another tool already lists in full
 * (autotask_count's filter is autotask_query's), so the model reads it once. Validation is untouched:
 * the tool still parses with `schema`.
 */
export function listAs<T extends z.ZodType>(schema: T, listing: Record<string, unknown>): T {
  listedAs.set(schema, listing);
  return schema;
}

export function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const raw = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override(ctx) {
      const listing = listedAs.get(ctx.zodSchema);
      if (!listing) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
      Object.assign(ctx.jsonSchema, listing);
    },
  }) as Record<string, unknown>;
  delete raw.$schema;
  return withoutUnusedDefs(trim(raw, io) as Record<string, unknown>);
}

/** `$defs` only a replaced listing referred to (see listAs) are dropped with it. */
function withoutUnusedDefs(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = schema.$defs as Record<string, unknown> | undefined;
  if (!defs) return schema;
  const { $defs: _defs, ...rest } = schema;
  const used = Object.keys(defs).filter((name) => JSON.stringify([rest, ...Object.entries(defs).filter(([other]) => other !== name)]).includes(`"#/$defs/${name}"`));
  return used.length ? { ...rest, $defs: Object.fromEntries(used.map((name) => [name, defs[name]])) } : rest;
}

/** A bound no real call reaches (page 10,000, ±2^53): listing it says nothing. */
const UNREACHED = 10_000;

/**
 * Drops what costs tokens and tells a model nothing; zod still enforces all of it when a tool runs,
 * and the error names the bound. Everything dropped only widens what the listing admits, so a
 * client that validates against it never refuses what the server accepts.
 * - `$schema`, `propertyNames` of plain string keys, `additionalProperties: {}` (the default);
 * - bounds no call reaches, `minimum` 0 or 1 (ids; pages start at 1, as the conventions say),
 *   `minLength: 1`, `maxLength` (inputs: a text over its limit is refused with the limit named);
 * - outputs list the result's own fields with their types and which are always there; records
 *   and lists nested in it (rows, `page`, an item, `items`) are listed by type only, their fields
 *   being in the result itself (and paging in the conventions). `additionalProperties: false` goes
 *   too: the server writes results, a client only reads them.
 * Kept: enums, `const`, patterns. pageSize's 500 is in
 * the conventions, so args.ts lists it without its bound.
 */
function trim(node: unknown, io: "input" | "output", depth = 0): unknown {
  if (Array.isArray(node)) return node.map((item) => trim(item, io, depth));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (io === "output" && depth > 0 && (key === "properties" || key === "required" || key === "items")) continue;
    if (key === "properties" || key === "$defs") {
      // Keys here are names, not keywords.
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, schema]) => [name, trim(schema, io, depth + 1)]));
      continue;
    }
    if (dropped(key, value, io)) continue;
    out[key] = key === "type" && value === "integer" ? "number" : trim(value, io, depth);
  }
  return collapseAnyOf(out);
}

function dropped(key: string, value: unknown, io: "input" | "output"): boolean {
  switch (key) {
    case "maximum":
      return (value as number) >= UNREACHED;
    case "minimum":
      return (value as number) <= -UNREACHED || (io === "input" && (value === 0 || value === 1));
    case "minLength":
      return io === "input" && value === 1;
    case "maxLength":
      return io === "input";
    case "propertyNames":
      return JSON.stringify(value) === '{"type":"string"}';
    case "additionalProperties":
      return JSON.stringify(value) === "{}" || (io === "output" && value === false);
    default:
      return false;
  }
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
