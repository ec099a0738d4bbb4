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
  /** While read-only: the write tools that stay enabled (AUTOTASK_WRITE_ALLOWLIST, X-MCP-Write-Allowlist). */
  writeAllowlist?: readonly string[];
  toolsets: Toolset[] | "all";
  lazy: boolean;
}

/** The facts of a tool a selection reads. */
export interface Selectable {
  name: string;
  toolset: Toolset;
  annotations: ToolAnnotations;
  /** What stands in for a write tool in read-only mode (autotask_raw_request, reads only), if anything. */
  whenReadOnly?: Selectable;
}

/** One string per distinct selection (toolsets and allowlisted names in any order name the same selection). */
export function selectionKey(selection: ToolSelection): string {
  const toolsets = selection.toolsets === "all" ? "all" : [...selection.toolsets].sort().join(",");
  return `${selection.readOnly}|${[...(selection.writeAllowlist ?? [])].sort().join(",")}|${selection.lazy}|${toolsets}`;
}

/**
 * The tools a selection may call and the tools it lists. Read-only removes every write tool but
 * those the write allowlist names, putting its read-only stand-in where a tool has one; toolsets
 * narrow to those toolsets plus `core`; lazy mode lists only the meta-tools (`metaOf` gives them
 * for the selected tools, which they can still reach — and nothing else, so autotask_execute_tool
 * cannot run a write the selection refuses).
 */
export function applySelection<T extends Selectable>(tools: readonly T[], selection: ToolSelection, metaOf: (callable: T[]) => T[]): { callable: T[]; listed: T[] } {
  const allowlist = selection.writeAllowlist ?? [];
  const callable = tools
    .filter((tool) => selection.toolsets === "all" || tool.toolset === "core" || selection.toolsets.includes(tool.toolset))
    .flatMap((tool): T[] => {
      if (tool.annotations.readOnly || !selection.readOnly || allowlist.includes(tool.name)) return [tool];
      return tool.whenReadOnly ? [tool.whenReadOnly as T] : [];
    });
  if (!selection.lazy) return { callable, listed: callable };
  const meta = metaOf(callable);
  return { callable: [...callable, ...meta], listed: meta };
}

/**
 * Why a write allowlist cannot be used — names no tool of `tools` has, or tools that do not write
 * (read-only mode never hides them) — or undefined when every name is a write tool. Names are exact.
 */
export function writeAllowlistProblem(names: readonly string[], tools: readonly Selectable[]): string | undefined {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const unknown = names.filter((name) => !byName.has(name));
  const reads = names.filter((name) => byName.get(name)?.annotations.readOnly);
  const problems = [
    unknown.length > 0 && `unknown tool${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`,
    reads.length > 0 && `${reads.join(", ")} ${reads.length > 1 ? "do" : "does"} not write (read-only mode keeps every read tool)`,
  ].filter(Boolean);
  return problems.length > 0 ? `${problems.join("; ")}. Name write tools (autotask_create_…, autotask_update_…, autotask_delete_…, autotask_raw_request); \`autotask-mcp tools\` lists them.` : undefined;
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
