/**
 * What the tool list costs a model: tools/list as the real CLI serves it over stdio, per tool and in
 * total, against the goals of issue 8 (what a model reads ≤ 60 KB, the whole result ≤ 100 KB, with
 * every tool of the original's newest versions; test/registry.test.ts keeps the bounds).
 * "Model-visible" is the JSON of {name, description, inputSchema}: what a client puts in front of
 * the model.
 *
 *   node_modules/.bin/bun bench/tools-list.ts
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";

const root = new URL("../", import.meta.url).pathname;
const GOAL_MODEL_KB = 60;
const GOAL_FULL_KB = 100;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const kb = (n: number) => (n / 1024).toFixed(1);
const tokens = (n: number) => Math.round(n / 4); // rough: ~4 bytes per token for JSON
const modelVisible = (tool: Tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });

async function listing(env: Record<string, string>): Promise<{ tools: Tool[]; instructions: string }> {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [`${root}src/cli.ts`, "stdio"], env: { LOG_LEVEL: "error", ...env }, cwd: root }));
  const { tools } = await client.listTools();
  const instructions = client.getInstructions() ?? "";
  await client.close();
  return { tools, instructions };
}

const selections = [
  ["all tools", {}],
  ["read-only", { AUTOTASK_READ_ONLY: "true" }],
  ["one toolset (tickets)", { AUTOTASK_TOOLSETS: "tickets" }],
  ["lazy loading", { LAZY_LOADING: "true" }],
] as const;
const listings = [];
for (const [name, env] of selections) listings.push({ name, ...(await listing(env)) });
const { tools, instructions } = listings[0]!;

// 1. Per tool, largest first.
console.log("\nPer tool (bytes of JSON): model-visible = {name, description, inputSchema}; full = the tools/list entry");
console.log("| tool | model-visible | description | input schema | output schema | full |");
console.log("|---|---:|---:|---:|---:|---:|");
const rows = tools
  .map((tool) => ({
    name: tool.name,
    model: bytes(modelVisible(tool)),
    description: Buffer.byteLength(tool.description ?? ""),
    input: bytes(tool.inputSchema),
    output: bytes(tool.outputSchema ?? {}),
    full: bytes(tool),
  }))
  .sort((a, b) => b.model - a.model);
for (const row of rows) console.log(`| ${row.name} | ${row.model} | ${row.description} | ${row.input} | ${row.output} | ${row.full} |`);

// 2. Totals against the goals.
const model = bytes(tools.map(modelVisible));
const full = bytes({ tools });
const descriptions = rows.reduce((sum, row) => sum + row.description, 0);
console.log("\nTotals, all tools");
console.log("| | bytes | KB | ~tokens | goal | per tool |");
console.log("|---|---:|---:|---:|---:|---:|");
console.log(`| model-visible | ${model} | ${kb(model)} | ${tokens(model)} | ≤ ${GOAL_MODEL_KB} KB | ${(model / tools.length / 1024).toFixed(2)} KB |`);
console.log(`| of which descriptions | ${descriptions} | ${kb(descriptions)} | ${tokens(descriptions)} | | ${Math.round(descriptions / tools.length)} B |`);
console.log(`| full tools/list | ${full} | ${kb(full)} | ${tokens(full)} | ≤ ${GOAL_FULL_KB} KB | ${(full / tools.length / 1024).toFixed(2)} KB |`);
console.log(`| server instructions (the conventions, once) | ${Buffer.byteLength(instructions)} | ${kb(Buffer.byteLength(instructions))} | ${tokens(Buffer.byteLength(instructions))} | | |`);

// 3. What each way of serving costs.
console.log("\nWhat the tool list costs per conversation (tools/list result; ~tokens at 4 bytes/token)");
console.log("| listing | tools | model-visible | full | ~tokens (full) | vs all |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const entry of listings) {
  const entryFull = bytes({ tools: entry.tools });
  console.log(`| ${entry.name} | ${entry.tools.length} | ${kb(bytes(entry.tools.map(modelVisible)))} KB | ${kb(entryFull)} KB | ${tokens(entryFull)} | ${(entryFull / full).toFixed(2)} |`);
}
