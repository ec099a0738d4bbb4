/**
 * How the views are branded: a name, an accent colour per theme and an optional logo. Values come
 * from the environment (MCP_UI_BRAND_*, validated in config.ts with the parsers below) and are
 * process-wide: one operator runs the server, whatever tenant a request is for.
 *
 * Only shapes that cannot carry markup or CSS are accepted — a hex colour, a base64 image data URL —
 * so a brand value can never break out of the page template or load anything from the network.
 */
export interface Brand {
  /** Shown in each view's header and page title. */
  name: string;
  /** Accent colour in the light theme, `#rrggbb`. */
  color: string;
  /** Accent colour in the dark theme, `#rrggbb`. */
  colorDark: string;
  /** `data:image/…;base64,…` shown beside the name; absent: no logo. */
  logo?: string;
}

export const DEFAULT_BRAND: Brand = { name: "Autotask PSA", color: "#1f5fbf", colorDark: "#8ab4f8" };

/** `#rgb` or `#rrggbb` (any case) as lower-case `#rrggbb`; undefined for anything else. */
export function parseHexColor(raw: string): string | undefined {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(raw.trim());
  if (!match) return undefined;
  const hex = match[1]!.toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex}`;
}

/** Image types a browser renders from an <img> without running anything (SVG in <img> runs no script). */
const LOGO_TYPES = ["png", "jpeg", "gif", "webp", "svg+xml"];

/** Base64 characters of at most this many bytes: the logo is inlined into every view. */
const MAX_LOGO_BYTES = 64 * 1024;

/** A base64 image data URL of an allowed type and size, unchanged; undefined for anything else. */
export function parseLogoDataUrl(raw: string): string | undefined {
  const match = /^data:image\/([a-z+]+);base64,([A-Za-z0-9+/]+={0,2})$/.exec(raw.trim());
  if (!match || !LOGO_TYPES.includes(match[1]!) || match[2]!.length > Math.ceil(MAX_LOGO_BYTES / 3) * 4) return undefined;
  return raw.trim();
}

/**
 * Black or white, whichever reads better on `background` (#rrggbb), by the WCAG 2.x contrast ratio
 * (relative luminance, https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio): buttons in any brand
 * colour keep legible labels.
 */
export function textColorOn(background: string): "#000000" | "#ffffff" {
  const l = luminance(background);
  return (1.05 / (l + 0.05) >= (l + 0.05) / 0.05) ? "#ffffff" : "#000000";
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
