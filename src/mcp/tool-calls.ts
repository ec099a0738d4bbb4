/**
 * tools/call, the registry's side of the server: buildServer loads this module on the first
 * tools/call (the list methods never need it, lists.ts), so a process that has only listed has not
 * evaluated a tool module yet.
 */
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ToolContext } from "../context.ts";
import type { Tool } from "../tools/define.ts";
import { resolveSelection } from "../tools/index.ts";
import { errorResult, runTool, type RunOptions } from "../tools/run.ts";
import type { ToolSelection } from "../tools/selection.ts";

/** Per resolved selection: its callable tools by name. */
const callables = new WeakMap<object, Map<string, Tool>>();

/** Runs tool `name` of `selection` with `args` (as the client sent them) for `ctx` (time limit, untrusted markers: RunOptions). */
export function callTool(name: string, args: unknown, ctx: ToolContext, selection: ToolSelection, options: RunOptions = {}): Promise<CallToolResult> {
  const resolved = resolveSelection(selection);
  let byName = callables.get(resolved);
  if (!byName) callables.set(resolved, (byName = new Map(resolved.callable.map((tool) => [tool.name, tool]))));
  const tool = byName.get(name);
  if (!tool) {
    const hidden = selection.readOnly ? " (read-only: write tools are disabled unless AUTOTASK_WRITE_ALLOWLIST names them)" : "";
    return Promise.resolve(errorResult(`Unknown tool "${name}"${hidden}. Call tools/list for the available tools.`));
  }
  return runTool(tool, args, ctx, options);
}
