/**
 * Small HTTP pieces the hosted routes share: form bodies, cookies, CSRF, OAuth error answers.
 */
import { timingSafeEqual } from "node:crypto";
import { readBody } from "../mcp/http-guard.ts";
import { randomToken } from "./crypto.ts";

const MAX_FORM_BYTES = 64 * 1024;

/**
 * A form body (application/x-www-form-urlencoded), at most 64 KiB; undefined when not a form or too
 * large. A body without Content-Length (chunked) is cut off as soon as it passes the limit.
 */
export async function readForm(request: Request): Promise<URLSearchParams | undefined> {
  const type = request.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return undefined;
  const body = await readBody(request, MAX_FORM_BYTES);
  return body.ok ? new URLSearchParams(body.text) : undefined;
}

/**
 * Cookies of a request by name (first one wins). A value that is not valid percent-encoding is
 * skipped: the browser may carry other sites' cookies for this host, and ours never look like that.
 */
export function readCookies(request: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    if (cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // URIError: malformed, not ours.
    }
  }
  return cookies;
}

export interface CookieNames {
  session: string;
  csrf: string;
  secure: boolean;
}

/**
 * Cookie names for an origin: on https the `__Host-` prefix (Secure, no Domain, Path=/: a sibling
 * subdomain cannot plant or read them); on plain http (local use) plain names without Secure.
 */
export function cookieNames(origin: string): CookieNames {
  const secure = origin.startsWith("https:");
  return secure ? { session: "__Host-atmcp_session", csrf: "__Host-atmcp_csrf", secure } : { session: "atmcp_session", csrf: "atmcp_csrf", secure };
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, Path=/; `maxAgeSeconds` 0 deletes. */
export function setCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

/**
 * Double-submit CSRF token: a random value in a cookie that a form repeats in a hidden field.
 * Another site can make a browser send our cookie but cannot read it to fill the field.
 */
export function csrfToken(request: Request, names: CookieNames): { token: string; setCookie?: string } {
  const existing = readCookies(request).get(names.csrf);
  if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return { token: existing };
  const token = randomToken("");
  return { token, setCookie: setCookie(names.csrf, token, 24 * 60 * 60, names.secure) };
}

/**
 * Why a form POST is refused as cross-site, or undefined: the hidden `csrf` field must equal the
 * cookie, and an Origin header, when sent, must be ours.
 */
export function csrfRefusal(request: Request, form: URLSearchParams, names: CookieNames, origin: string): string | undefined {
  const sentOrigin = request.headers.get("origin");
  if (sentOrigin !== null && sentOrigin !== origin) return "This form was sent from another site. Open the page again and retry.";
  const cookie = readCookies(request).get(names.csrf) ?? "";
  const field = form.get("csrf") ?? "";
  const equal = cookie.length > 0 && cookie.length === field.length && timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
  return equal ? undefined : "This form has expired or cookies are blocked. Open the page again and retry (cookies must be allowed for this site).";
}

/** An OAuth error answer (RFC 6749 §5.2): JSON, never cached. */
export function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error, error_description: description }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** A JSON answer that must not be cached (tokens, registrations). */
export function noStoreJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
}

/** A 303 See Other to `location` (after a form POST: the browser GETs it). */
export function seeOther(location: string, cookies: string[] = []): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 303, headers });
}
