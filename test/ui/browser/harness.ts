/**
 * A minimal MCP Apps host page for the view tests, built on the official host side
 * (`AppBridge` of @modelcontextprotocol/ext-apps): it loads a view's HTML into a sandboxed iframe
 * (scripts only — no same origin, no forms — as hosts do), answers ui/initialize with a host
 * context (theme, locale, time zone), sends the tool input and result, follows size changes, and
 * forwards the view's tools/call to `window.hostCallTool`, which the test binds to a real MCP
 * client of the real server.
 */
import { AppBridge, PostMessageTransport, type McpUiHostContext } from "@modelcontextprotocol/ext-apps/app-bridge";
import type { CallToolRequest, CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { HarnessWindow, OpenViewOptions } from "../harness-types.ts";

declare global {
  interface Window extends HarnessWindow {
    /** Bound by the test (Playwright exposeFunction): performs the call on the real server. */
    hostCallTool(params: CallToolRequest["params"]): Promise<CallToolResult>;
  }
}

let bridge: AppBridge | undefined;
let context: McpUiHostContext = {};

window.openView = async (options: OpenViewOptions) => {
  await bridge?.close();
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.setAttribute("title", "MCP App view");
  frame.style.cssText = `width:${options.width}px;height:120px;border:0;display:block`;
  document.body.style.cssText = `margin:0;background:${options.theme === "dark" ? "#1c1d21" : "#ffffff"}`;
  document.body.replaceChildren(frame);
  context = { theme: options.theme, locale: "en-GB", timeZone: "UTC", displayMode: "inline", platform: "web" };
  const current = new AppBridge(null, { name: "autotask-mcp view tests", version: "1.0.0" }, { serverTools: {} }, { hostContext: context });
  bridge = current;
  current.oncalltool = (params) => window.hostCallTool(params);
  current.onsizechange = ({ height }) => {
    if (height) frame.style.height = `${Math.ceil(height)}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    current.oninitialized = () => resolve();
  });
  // Listen before the view loads: it says ui/initialize as soon as its script runs.
  await current.connect(new PostMessageTransport(frame.contentWindow!, frame.contentWindow!));
  frame.srcdoc = options.html;
  await initialized;
  await current.sendToolInput({ arguments: options.toolInput });
  await current.sendToolResult(options.toolResult);
};

window.setTheme = (theme) => {
  document.body.style.background = theme === "dark" ? "#1c1d21" : "#ffffff";
  context = { ...context, theme };
  bridge?.setHostContext(context);
};
