/**
 * The list methods' answers — tools/list for any selection, resources/list,
 * resources/templates/list — without loading a tool. A build inlines the listings computed from the
 * registry (listings.ts, via listings-precomputed.ts), so the binary and the Node bundle answer
 * initialize, server/discover and every list request without evaluating the tool modules and their
 * zod schemas: that work, and its memory, waits for the first tools/call. Run from source, the
 * listings are computed from the registry on the first list request. test/listings.test.ts checks
 * that what is listed here is exactly what the registry's own selection lists.
 */
import type { Tool as McpTool } from "@modelcontextprotocol/server";
import type { Logger } from "../log.ts";
import { applySelection, reachKey, selectionKey, type ToolSelection } from "../tools/selection.ts";
import type { Listings } from "./listings.ts";
import { PRECOMPUTED } from "./listings-precomputed.ts";

let loaded: Promise<Listings> | undefined;

/** The listings: the build's, or computed from the registry once (a server run from source: logged, with the time it took). */
export function listings(log: Logger): Promise<Listings> {
  loaded ??= PRECOMPUTED !== undefined ? Promise.resolve(JSON.parse(PRECOMPUTED) as Listings) : fromRegistry(log);
  return loaded;
}

async function fromRegistry(log: Logger): Promise<Listings> {
  const started = performance.now();
  const computed = (await import("./listings.ts")).computeListings();
  log.debug("listings computed from the tool registry", { ms: Math.round(performance.now() - started) });
  return computed;
}

const toolLists = new WeakMap<Listings, Map<string, McpTool[]>>();

/** The tools/list entries of `selection` in `all` (cached per distinct selection). */
export function listTools(all: Listings, selection: ToolSelection): McpTool[] {
  let cache = toolLists.get(all);
  if (!cache) toolLists.set(all, (cache = new Map()));
  const key = selectionKey(selection);
  let tools = cache.get(key);
  if (!tools) {
    const { listed } = applySelection(all.tools, selection, (callable) => {
      const meta = all.meta[reachKey(callable)];
      if (!meta) throw new Error(`the listings lack the "${reachKey(callable)}" meta-tools`); // computeListings makes all three
      return meta;
    });
    tools = listed.map((tool) => tool.listing);
    cache.set(key, tools);
  }
  return tools;
}
