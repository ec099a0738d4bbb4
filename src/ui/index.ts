/**
 * The views as MCP resources (SEP-1865 "MCP Apps"): `ui://` URIs with the MIME type
 * `text/html;profile=mcp-app`, listed in resources/list and served by resources/read. Nothing here
 * depends on a request — no credentials, no Autotask call — so every transport and auth mode serves
 * the same bytes; the data reaches a view later, from the host, as the linked tool's result.
 */
import type { McpUiResourceMeta, RESOURCE_MIME_TYPE } from "@modelcontextprotocol/ext-apps";
import type { ReadResourceResult, Resource } from "@modelcontextprotocol/sdk/types.js";
import { DEFAULT_BRAND, type Brand } from "./brand.ts";
import { VIEW_IDS, VIEWS, type ViewId } from "./catalog.ts";
import { renderPage } from "./page.ts";

/** The MCP Apps HTML profile; typed against the official constant so the two cannot drift. */
const VIEW_MIME_TYPE: typeof RESOURCE_MIME_TYPE = "text/html;profile=mcp-app";

/**
 * What hosts read from a view resource (on the resources/read content item, and on the
 * resources/list entry as a fallback): no network origins of any kind — the views load nothing and
 * call only our own tools through the host — and a bordered card.
 */
const VIEW_META: { ui: McpUiResourceMeta } = {
  ui: { csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] }, prefersBorder: true },
};

export const VIEW_RESOURCES: Resource[] = VIEW_IDS.map((id) => ({
  uri: VIEWS[id].uri,
  name: id,
  title: VIEWS[id].title,
  description: VIEWS[id].description,
  mimeType: VIEW_MIME_TYPE,
  _meta: VIEW_META,
}));

let brand: Brand = DEFAULT_BRAND;
const pages = new Map<ViewId, string>();

/** Sets the brand for every view from now on (called once at start-up with the configured brand). */
export function brandViews(next: Brand): void {
  brand = next;
  pages.clear();
}

/** resources/read of a view, or undefined when `uri` names none (the caller reports unknown URIs). */
export async function readView(uri: string): Promise<ReadResourceResult | undefined> {
  const id = VIEW_IDS.find((view) => VIEWS[view].uri === uri);
  if (!id) return undefined;
  let html = pages.get(id);
  if (!html) {
    const { VIEW_SCRIPT } = await import("./view-script.ts");
    html = renderPage(id, brand, VIEW_SCRIPT);
    pages.set(id, html);
  }
  return { contents: [{ uri, mimeType: VIEW_MIME_TYPE, text: html, _meta: VIEW_META }] };
}
