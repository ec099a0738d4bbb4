/**
 * The views' browser code (src/ui/client/, with the MCP Apps `App` client of
 * @modelcontextprotocol/ext-apps) as one string, inlined here when the server is bundled. Loaded
 * lazily by index.ts: from source the bundling runs on the first view read, not on every start.
 */
import { bundleViewScript } from "./bundle.ts" with { type: "macro" };

export const VIEW_SCRIPT: string = bundleViewScript();
