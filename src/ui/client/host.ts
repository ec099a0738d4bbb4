/**
 * The views' one way to reach Autotask: our own tools, called through the host's MCP Apps bridge
 * (`tools/call` from the view, SEP-1865). The server validates and defaults every argument exactly
 * as for a model's call — a view never talks to Autotask or the network itself (its CSP forbids it).
 */
import type { App } from "@modelcontextprotocol/ext-apps";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export type Data = Record<string, any>;

/** A failed tool call. `outcomeUnknown`: no answer came back, so a write may or may not have happened. */
export class ToolCallError extends Error {
  override name = "ToolCallError";
  constructor(
    message: string,
    readonly outcomeUnknown: boolean,
  ) {
    super(message);
  }
}

export interface Host {
  /** The tool's structuredContent; throws ToolCallError with the tool's own error text. */
  call(name: string, args: Data): Promise<Data>;
}

export function hostOf(app: App): Host {
  return {
    async call(name, args) {
      let result: CallToolResult;
      try {
        result = await app.callServerTool({ name, arguments: args });
      } catch (error) {
        throw new ToolCallError(`No answer from ${name} (${error instanceof Error ? error.message : String(error)}).`, true);
      }
      if (result.isError) throw new ToolCallError(textOf(result) || `${name} failed.`, false);
      return (result.structuredContent ?? {}) as Data;
    },
  };
}

/** The text parts of a tool result, joined. */
export function textOf(result: CallToolResult): string {
  return result.content
    .map((part) => (part.type === "text" ? part.text : ""))
    .join("\n")
    .trim();
}
