/**
 * HTML for the hosted pages: a tagged template that escapes every interpolated value (only values
 * made by `html` itself pass through raw), the page shell, and the security headers every page
 * carries — a strict CSP (no scripts at all, styles only from our own stylesheet), no framing,
 * no cross-site referrer, no caching. (Referrer-Policy is same-origin, not no-referrer: under
 * no-referrer Chrome sends `Origin: null` on form posts and the CSRF check could not tell us apart.)
 * The pages work without JavaScript: plain forms, 303 redirects.
 */
import { STYLESHEET_PATH } from "./style.ts";

/** Markup that is already safe (produced by `html`). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

type Value = Html | string | number | boolean | null | undefined | Value[];

function render(value: Value): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false || value === true) return "";
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\`` — interpolations are escaped; arrays are joined; null/false vanish. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new Html(out);
}

export interface PageOptions {
  title: string;
  body: Html;
  status?: number;
  /** Extra origins a form on this page may post to or be redirected to (the client's redirect URI). */
  formTargets?: string[];
  headers?: Headers;
  /** A wider column (tables). */
  wide?: boolean;
}

/** A complete HTML response with the security headers. */
export function page({ title, body, status = 200, formTargets = [], headers, wide = false }: PageOptions): Response {
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · Autotask MCP</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main${wide ? html` class="wide"` : html``}>
<p class="brand" aria-hidden="true">Autotask MCP</p>
${body}
</main>
</body>
</html>
`;
  const response = new Response(document.value, { status, headers });
  response.headers.set("Content-Type", "text/html; charset=utf-8");
  for (const [name, value] of Object.entries(securityHeaders(formTargets))) response.headers.set(name, value);
  return response;
}

/** CSP and friends. form-action must name the redirect target: browsers apply it to the redirect after a POST. */
export function securityHeaders(formTargets: string[] = []): Record<string, string> {
  return {
    "Content-Security-Policy": `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'${formTargets.map((target) => ` ${target}`).join("")}; frame-ancestors 'none'; base-uri 'none'`,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
  };
}

/** A labelled input. */
export function field(options: { name: string; label: string; type?: string; value?: string; autocomplete?: string; hint?: string; required?: boolean }): Html {
  const id = `f-${options.name}`;
  return html`<div class="field">
<label for="${id}">${options.label}</label>
<input id="${id}" name="${options.name}" type="${options.type ?? "text"}" value="${options.value ?? ""}" autocomplete="${options.autocomplete ?? "off"}"${options.required === false ? html`` : html` required`}${options.hint ? html` aria-describedby="${id}-hint"` : html``}>
${options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : ""}
</div>`;
}

/** Hidden inputs, one per entry. */
export function hidden(values: Record<string, string | undefined>): Html {
  return html`${Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}

/** A message box: an error (role=alert, read out at once) or a notice. */
export function notice(text: string | undefined, kind: "error" | "ok" = "error"): Html {
  if (!text) return html``;
  return kind === "error" ? html`<p class="notice error" role="alert">${text}</p>` : html`<p class="notice ok" role="status">${text}</p>`;
}
