/**
 * Entry point of the views' browser code (bundled by ../bundle.ts into every view page). Connects to
 * the host with the official MCP Apps `App` client (ui/initialize over postMessage), follows the
 * host's theme, style variables, locale and time zone, and hands the linked tool's result to the
 * view the page names in `<html data-view>`. Size changes reach the host by the App's autoResize.
 */
import { App, applyDocumentTheme, applyHostStyleVariables, type McpUiHostContext } from "@modelcontextprotocol/ext-apps";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ViewId } from "../catalog.ts";
import { h, replace } from "./dom.ts";
import { useLocale } from "./format.ts";
import { hostOf, textOf, type Data } from "./host.ts";
import { showQueue } from "./queue-board.ts";
import { showTicket } from "./ticket-card.ts";
import { showTimeSheet } from "./time-sheet.ts";

const view = document.documentElement.dataset.view as ViewId;
const root = document.getElementById("view")!;
const app = new App({ name: `autotask-mcp ${view}`, version: "1.0.0" }, {}, { autoResize: true });
const host = hostOf(app);
let input: Data = {};

function applyContext(context: McpUiHostContext | undefined): void {
  const dark = context?.theme ? context.theme === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  applyDocumentTheme(dark ? "dark" : "light");
  if (context?.styles?.variables) applyHostStyleVariables(context.styles.variables);
  useLocale(context?.locale, context?.timeZone);
}

function show(result: CallToolResult): void {
  if (result.isError) {
    replace(root, h("p", { class: "message error", role: "alert" }, textOf(result) || "The tool call failed."));
    return;
  }
  const data = (result.structuredContent ?? {}) as Data;
  if (view === "ticket-card") void showTicket(host, root, data, input);
  else if (view === "queue-board") showQueue(host, root, data);
  else showTimeSheet(root, data);
}

// Handlers first: the host may send the tool's input and result right after the handshake.
app.ontoolinput = (params) => {
  input = (params.arguments ?? {}) as Data;
};
app.ontoolresult = show;
app.ontoolcancelled = () => replace(root, h("p", { class: "muted", role: "status" }, "The tool call was cancelled."));
app.onhostcontextchanged = () => applyContext(app.getHostContext());

applyContext(undefined);
app.connect().then(
  () => applyContext(app.getHostContext()),
  (error: unknown) => replace(root, h("p", { class: "message error", role: "alert" }, `Could not connect to the host: ${error instanceof Error ? error.message : String(error)}`)),
);
