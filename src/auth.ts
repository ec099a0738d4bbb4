/**
 * The auth resolver: (mode, request headers | environment) -> Credentials, or a reason why not.
 * Pure: no I/O, no shared state. Both transports call it; the result feeds the per-request context.
 */
import { apiUrlRefusal } from "./autotask/allowlist.ts";
import type { Config, Credentials } from "./config.ts";
import { MAX_RESOURCE_ID, missingEnvCredentials } from "./config.ts";

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
 * An `X-API-URL` must pass the allowlist (the same rule the client applies to every URL it sends
 * credentials to) before anything is sent there: the request carries the tenant's secret, so an
 * open redirect would hand secrets to whoever names the host.
 *
 * The resource to act as (`ImpersonationResourceId` on every request to Autotask) comes from
 * `X-Impersonation-Resource-Id`, else X_IMPERSONATION_RESOURCE_ID, else
 * AUTOTASK_IMPERSONATION_RESOURCE_ID. A malformed header is refused (400), not dropped: acting as
 * the API user instead of the named resource would misattribute every change.
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
    const refusal = apiUrlRefusal(apiUrl, config.allowedApiHosts);
    if (refusal) return { ok: false, status: 400, message: refusal };
  }
  const impersonation = headers.get("x-impersonation-resource-id")?.trim();
  const impersonationResourceId = impersonation ? resourceIdOf(impersonation) : (fallback.impersonationResourceId ?? config.env.impersonationResourceId);
  if (impersonationResourceId === undefined && impersonation) return { ok: false, status: 400, message: malformedImpersonation(impersonation) };
  return {
    ok: true,
    credentials: {
      username: username!,
      secret: secret!,
      integrationCode: integrationCode!,
      ...(apiUrl ? { apiUrl } : {}),
      ...(impersonationResourceId ? { impersonationResourceId } : {}),
    },
  };
}

/**
 * Env and hosted mode: X-Impersonation-Resource-Id is honoured in gateway mode only, so here any
 * value is refused (a malformed one with the gateway's words). In env mode the operator's
 * credentials act as AUTOTASK_IMPERSONATION_RESOURCE_ID or the API user, in hosted mode as the
 * signed-in person: whoever reaches the server may not choose whom changes are attributed to, and
 * ignoring the header would attribute them to someone other than the caller named.
 */
export function impersonationHeaderRefusal(config: Config, headers: Headers): string | undefined {
  const value = headers.get("x-impersonation-resource-id")?.trim();
  if (!value || config.authMode === "gateway") return undefined;
  if (resourceIdOf(value) === undefined) return malformedImpersonation(value);
  const actor = config.authMode === "oauth" ? "you, as the person signed in" : config.env.impersonationResourceId ? `resource ${config.env.impersonationResourceId} (AUTOTASK_IMPERSONATION_RESOURCE_ID)` : "the API user";
  return `X-Impersonation-Resource-Id is honoured in gateway mode only: this server (AUTH_MODE=${config.authMode}) acts as ${actor}. Leave the header out.`;
}

function malformedImpersonation(value: string): string {
  return `X-Impersonation-Resource-Id must be a resource id (a whole number from 1 to ${MAX_RESOURCE_ID}), got ${JSON.stringify(value.slice(0, 40))}; leave the header out to act as the API user`;
}

function resourceIdOf(raw: string): number | undefined {
  const value = Number(raw);
  return /^\d+$/.test(raw) && value >= 1 && value <= MAX_RESOURCE_ID ? value : undefined;
}
