/**
 * What a ToolSelection picks out of a list of tools, read from the facts every tool declares
 * (toolset, annotations) and nothing else. The registry applies it to its tools (index.ts); a built
 * server applies it to the precomputed tools/list entries (../mcp/listings.ts) without loading a
 * tool module. One rule for both, so the two can only agree.
 */
import type { ToolAnnotations } from "./define.ts";
import type { Toolset } from "./toolsets.ts";

export interface ToolSelection {
  readOnly: boolean;
  toolsets: Toolset[] | "all";
  lazy: boolean;
}

/** The facts of a tool a selection reads. */
export interface Selectable {
  toolset: Toolset;
  annotations: ToolAnnotations;
}

/** One string per distinct selection (toolsets in any order name the same selection). */
export function selectionKey(selection: ToolSelection): string {
  return `${selection.readOnly}|${selection.lazy}|${selection.toolsets === "all" ? "all" : [...selection.toolsets].sort().join(",")}`;
}

/**
 * The tools a selection may call and the tools it lists. Read-only removes every write tool;
 * toolsets narrow to those toolsets plus `core`; lazy mode lists only the meta-tools (`metaOf`
 * gives them for the selected tools, which they can still reach, so they are callable too).
 */
export function applySelection<T extends Selectable>(tools: readonly T[], selection: ToolSelection, metaOf: (callable: T[]) => T[]): { callable: T[]; listed: T[] } {
  const callable = tools.filter(
    (tool) =>
      (!selection.readOnly || tool.annotations.readOnly) &&
      (selection.toolsets === "all" || tool.toolset === "core" || selection.toolsets.includes(tool.toolset)),
  );
  if (!selection.lazy) return { callable, listed: callable };
  const meta = metaOf(callable);
  return { callable: [...callable, ...meta], listed: meta };
}

/** What a tool that can run any of `reachable` may do: as safe as the most dangerous of them (the meta-tools' annotations). */
export function reachAnnotations(reachable: readonly Selectable[]): ToolAnnotations {
  return {
    readOnly: reachable.every((tool) => tool.annotations.readOnly),
    destructive: reachable.some((tool) => tool.annotations.destructive),
  };
}

/** How far a tool that can run any of `reachable` reaches, in one word (reachAnnotations as a key). */
export function reachKey(reachable: readonly Selectable[]): "read-only" | "writes" | "destructive" {
  const { readOnly, destructive } = reachAnnotations(reachable);
  return readOnly ? "read-only" : destructive ? "destructive" : "writes";
}
