/** The README tool table, generated from the registry (a test fails when README.md drifts). */
import type { Tool } from "./define.ts";
import { metaTools } from "./meta.ts";
import { TOOLSETS } from "./toolsets.ts";

/**
 * Every tool by toolset, then the lazy-loading meta-tools on their own. The meta-tools are told
 * apart by being metaTools' own, not by category: six real tools keep the original's category
 * "meta" (checklist items, update_project, get_invoice_details) and belong in their toolsets.
 */
export function toolsMarkdown(tools: Tool[]): string {
  const lazyNames = new Set(metaTools([]).map((tool) => tool.name));
  const lines: string[] = [];
  for (const toolset of Object.keys(TOOLSETS) as Array<keyof typeof TOOLSETS>) {
    const inSet = tools.filter((tool) => tool.toolset === toolset && !lazyNames.has(tool.name));
    if (inSet.length === 0) continue;
    lines.push(`**${toolset}** — ${TOOLSETS[toolset]}`, "", "| tool | what it does | kind |", "|---|---|---|");
    for (const tool of inSet) {
      const kind = tool.annotations.readOnly ? "read" : tool.annotations.destructive ? "delete (needs `confirm: true`)" : "write";
      lines.push(`| \`${tool.name}\` | ${tool.title} | ${kind} |`);
    }
    lines.push("");
  }
  const meta = tools.filter((tool) => lazyNames.has(tool.name));
  if (meta.length) {
    lines.push("**lazy loading** — listed instead of everything else when `LAZY_LOADING=true`", "", "| tool | what it does |", "|---|---|");
    for (const tool of meta) lines.push(`| \`${tool.name}\` | ${tool.title} |`);
    lines.push("");
  }
  return `${lines.join("\n")}`;
}
