/** What the test tells the host page (browser/harness.ts) to show: shared by both sides. */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export interface OpenViewOptions {
  /** The view's HTML, as resources/read returned it. */
  html: string;
  toolInput: Record<string, unknown>;
  toolResult: CallToolResult;
  theme: "light" | "dark";
  /** Width of the view's frame in CSS pixels; its height follows the view's size-changed notifications. */
  width: number;
}

/** What the host page adds to its window. */
export interface HarnessWindow {
  openView(options: OpenViewOptions): Promise<void>;
  setTheme(theme: "light" | "dark"): void;
}
