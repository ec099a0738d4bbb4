/**
 * The listings: what the list methods answer — every tool's tools/list entry with the facts a
 * selection reads, the lazy-loading meta-tools, the resources — computed from the registry.
 * scripts/build.ts computes them at build time and inlines them into the binary and the Node bundle
 * (listings-precomputed.ts); a server run from source computes them on its first list request
 * (lists.ts). Importing this module loads every tool.
 */
import type { Resource, ResourceTemplateType as ResourceTemplate, Tool as McpTool } from "@modelcontextprotocol/server";
import type { Tool } from "../tools/define.ts";
import { TOOLS } from "../tools/index.ts";
import { metaTools } from "../tools/meta.ts";
import { toolListing } from "../tools/schema.ts";
import { reachKey, type Selectable } from "../tools/selection.ts";
import { RESOURCE_TEMPLATES, RESOURCES } from "./resources.ts";

/** A tool's tools/list entry, with the facts a selection reads. */
export interface ListedTool extends Selectable {
  listing: McpTool;
  whenReadOnly?: ListedTool;
}

export interface Listings {
  /** Every tool of the registry, in its order. */
  tools: ListedTool[];
  /**
   * The lazy-loading meta-tools by how far they reach (reachKey of a selection's callable tools):
   * they are listed alike for every selection but for the annotations that say so.
   */
  meta: Partial<Record<ReturnType<typeof reachKey>, ListedTool[]>>;
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
}

function listed(tool: Tool): ListedTool {
  return {
    name: tool.name,
    toolset: tool.toolset,
    annotations: tool.annotations,
    listing: toolListing(tool),
    ...(tool.whenReadOnly ? { whenReadOnly: listed(tool.whenReadOnly) } : {}),
  };
}

/**
 * The listings of this registry. A selection reaches only read tools, or writes but no
 * destructive tool, or a destructive one: the same reach as all read tools, all non-destructive
 * tools or all tools, so the meta-tools computed for those three serve every selection.
 */
export function computeListings(): Listings {
  const meta: Listings["meta"] = {};
  for (const reach of [TOOLS.filter((tool) => tool.annotations.readOnly), TOOLS.filter((tool) => !tool.annotations.destructive), TOOLS]) {
    meta[reachKey(reach)] ??= metaTools(reach).map(listed);
  }
  return { tools: TOOLS.map(listed), meta, resources: RESOURCES, resourceTemplates: RESOURCE_TEMPLATES };
}
