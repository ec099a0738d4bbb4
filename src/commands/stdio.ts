import { defineCommand } from "citty";
import { start } from "../boot.ts";
import { serveStdio } from "../mcp/stdio.ts";
import { loadConfig, sharedArgs, sharedOverrides } from "./_shared.ts";

export default defineCommand({
  meta: { name: "stdio", description: "Serve MCP over stdio (Claude Desktop, Claude Code, any MCP client)" },
  args: sharedArgs,
  async run({ args }) {
    const config = loadConfig(sharedOverrides(args));
    await serveStdio(await start(config));
  },
});
