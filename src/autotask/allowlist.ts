/**
 * Which hosts may receive an API user's credentials: the ONE rule for a gateway request's
 * `X-API-URL` (checked by the auth resolver) and for every URL the client sends credentials to
 * (checked by the transport at the moment of sending: entity calls, next-page URLs, zone-derived
 * bases, attachments).
 *
 * Allowed: https to a host matching one of the patterns (`*.autotask.net`, `host`, `host:port`;
 * AUTOTASK_ALLOWED_API_HOSTS); plain http only to a loopback host that is listed explicitly (local
 * simulators). No user info in the URL.
 */

const LOOPBACK = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

/**
 * Why `url` is refused, or undefined when it is allowed. `name` says what the URL is in the
 * message ("X-API-URL", "the zone lookup's answer" …).
 */
export function apiUrlRefusal(url: string, patterns: readonly string[], name = "X-API-URL"): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${name} is not a valid URL`;
  }
  if (parsed.username || parsed.password) return `${name} must not contain user info`;
  const host = parsed.hostname.toLowerCase();
  const matched = patterns.some((pattern) => hostMatches(pattern.trim().toLowerCase(), host, parsed.port));
  if (!matched) {
    return `${name} host "${parsed.host}" is not allowed (allowed: ${patterns.join(", ")}; set AUTOTASK_ALLOWED_API_HOSTS to change)`;
  }
  if (parsed.protocol === "https:") return undefined;
  if (parsed.protocol === "http:" && LOOPBACK.has(host)) return undefined;
  return `${name} must use https`;
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
