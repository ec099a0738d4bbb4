/**
 * The auth resolver: (mode, request headers | environment) -> Credentials, or a reason why not.
 * Pure: no I/O, no shared state. Both transports call it; the result feeds the per-request context.
 */
import type { Config, Credentials } from "./config.ts";
import { missingEnvCredentials } from "./config.ts";

export type AuthResult =
  | { ok: true; credentials: Credentials }
  | { ok: false; status: 400 | 401; message: string };

const GATEWAY_HEADERS = {
  username: ["X-API-Key", "X_API_KEY"],
  secret: ["X-API-Secret", "X_API_SECRET"],
  integrationCode: ["X-Integration-Code", "X_INTEGRATION_CODE"],
} as const;

/** Env mode: the configured credentials, or the names of the variables that are missing. */
export function resolveEnvCredentials(config: Config): AuthResult {
  const missing = missingEnvCredentials(config);
  if (missing.length > 0) {
    return {
      ok: false,
      status: 401,
      message: `Autotask credentials are not configured: set ${missing.join(", ")} in the server's environment (for Claude Desktop: the "env" block of this server in claude_desktop_config.json).`,
    };
  }
  return { ok: true, credentials: config.env as Credentials };
}

/**
 * Gateway mode: credentials from this request's headers, each falling back to its X_… variable.
 * An `X-API-URL` must pass the allowlist before anything is sent there: the request carries the
 * tenant's secret, so an open redirect would hand secrets to whoever names the host.
 */
export function resolveGatewayCredentials(config: Config, headers: Headers): AuthResult {
  const fallback = config.gatewayDefaults;
  const username = headers.get("x-api-key")?.trim() || fallback.username;
  const secret = headers.get("x-api-secret")?.trim() || fallback.secret;
  const integrationCode = headers.get("x-integration-code")?.trim() || fallback.integrationCode;
  const missing = [
    !username && GATEWAY_HEADERS.username[0],
    !secret && GATEWAY_HEADERS.secret[0],
    !integrationCode && GATEWAY_HEADERS.integrationCode[0],
  ].filter(Boolean);
  if (missing.length > 0) {
    return { ok: false, status: 401, message: `Unauthorized: Missing credentials (${missing.join(", ")} header${missing.length > 1 ? "s" : ""})` };
  }
  const apiUrl = headers.get("x-api-url")?.trim() || fallback.apiUrl;
  if (apiUrl) {
    const refusal = checkApiUrl(apiUrl, config.allowedApiHosts);
    if (refusal) return { ok: false, status: 400, message: refusal };
  }
  return { ok: true, credentials: { username: username!, secret: secret!, integrationCode: integrationCode!, ...(apiUrl ? { apiUrl } : {}) } };
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

/**
 * Returns why `apiUrl` is refused, or undefined when allowed. Allowed: https to a host matching one
 * of `patterns` (`*.autotask.net`, `host`, `host:port`); plain http only to a loopback host that is
 * listed explicitly (local simulators).
 */
export function checkApiUrl(apiUrl: string, patterns: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return `X-API-URL is not a valid URL`;
  }
  if (url.username || url.password) return "X-API-URL must not contain user info";
  const host = url.hostname.toLowerCase();
  const matched = patterns.some((pattern) => hostMatches(pattern.trim().toLowerCase(), host, url.port));
  if (!matched) {
    return `X-API-URL host "${url.host}" is not allowed (allowed: ${patterns.join(", ")}; set AUTOTASK_ALLOWED_API_HOSTS to change)`;
  }
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK.has(host)) return undefined;
  return "X-API-URL must use https";
}

function hostMatches(pattern: string, host: string, port: string): boolean {
  const [patternHost, patternPort] = splitHostPort(pattern);
  if (patternPort !== undefined && patternPort !== port) return false;
  if (patternHost.startsWith("*.")) {
    const suffix = patternHost.slice(1); // ".autotask.net"
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return host === patternHost;
}

function splitHostPort(pattern: string): [string, string | undefined] {
  // URL.hostname keeps IPv6 brackets ("[::1]"), so patterns are compared in that form.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(pattern);
  if (bracketed) return [`[${bracketed[1]}]`, bracketed[2]];
  const parts = pattern.split(":");
  if (parts.length > 2) return [`[${pattern}]`, undefined];
  if (parts.length === 2) return [parts[0]!, parts[1]];
  return [pattern, undefined];
}
