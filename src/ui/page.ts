/**
 * One view as a self-contained HTML document: inline CSS and JS, no external asset, and a
 * Content-Security-Policy that allows exactly the one inline script and the one inline style
 * (by SHA-256 hash, CSP Level 2), images only from data: URLs, and no network at all.
 *
 * The host applies its own policy from the resource's `_meta.ui.csp` as well (SEP-1865); this one
 * travels with the document, so it holds in any host, and it also stops inline event handlers —
 * a second wall behind the views' rule of building the DOM from text, never from markup.
 */
import { createHash } from "node:crypto";
import { textColorOn, type Brand } from "./brand.ts";
import { VIEWS, type ViewId } from "./catalog.ts";
import { VIEW_CSS } from "./styles.ts";

/** HTML text/attribute escaping for the few server-side values in the template (brand, titles). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Inline script text that cannot end its <script> element early: `</script` and `<!--` only occur
 * inside string or regex literals of the bundle, where `<\/` and `<\!` mean the same characters.
 */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The brand's accent colours as CSS custom properties, with a legible text colour for each. */
function brandCss(brand: Brand): string {
  return [
    `:root{--brand:${brand.color};--on-brand:${textColorOn(brand.color)}}`,
    `:root[data-theme=dark]{--brand:${brand.colorDark};--on-brand:${textColorOn(brand.colorDark)}}`,
  ].join("\n");
}

/** The complete document for one view. `script` is the bundled browser code (view-script.ts). */
export function renderPage(view: ViewId, brand: Brand, script: string): string {
  const js = inlineScript(script);
  const css = `${VIEW_CSS}\n${brandCss(brand)}`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    "img-src data:",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const logo = brand.logo ? `<img class="brand-logo" src="${escapeHtml(brand.logo)}" alt="">` : "";
  return `<!doctype html>
<html lang="en" data-view="${view}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(VIEWS[view].title)} · ${escapeHtml(brand.name)}</title>
<style>${css}</style>
</head>
<body>
<header class="brand">${logo}<span class="brand-name">${escapeHtml(brand.name)}</span></header>
<main id="view" tabindex="-1"><p class="muted" role="status">Waiting for data from the assistant…</p></main>
<script type="module">${js}</script>
</body>
</html>
`;
}
