import { defineCommand } from "citty";
import { allTools } from "../tools/index.ts";
import { toolListing } from "../tools/schema.ts";
import { toolsMarkdown } from "../tools/markdown.ts";

export default defineCommand({
  meta: { name: "tools", description: "List the tools (names and descriptions, full schemas with --json, README table with --markdown)" },
  args: {
    json: { type: "boolean", description: "Print every tool with its input and output schema as JSON" },
    markdown: { type: "boolean", description: "Print the README tool table" },
  },
  run({ args }) {
    const tools = allTools();
    if (args.json) {
      process.stdout.write(`${JSON.stringify(tools.map(toolListing), null, 2)}\n`);
    } else if (args.markdown) {
      process.stdout.write(toolsMarkdown(tools));
    } else {
      const width = Math.max(...tools.map((tool) => tool.name.length));
      for (const tool of tools) {
        const mode = tool.annotations.readOnly ? "read " : tool.annotations.destructive ? "DEL  " : "write";
        process.stdout.write(`${tool.name.padEnd(width)}  ${mode}  ${tool.title}\n`);
      }
      process.stdout.write(`\n${tools.length} tools\n`);
    }
  },
});
