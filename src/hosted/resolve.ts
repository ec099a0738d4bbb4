/**
 * The hosted auth resolver: `Authorization: Bearer <access token>` on an MCP path → the person's
 * Credentials (their team's connection, opened, acting as their Autotask resource), or a 401 with
 * the RFC 9728 challenge that starts a client's OAuth flow, or a 403 for a teammate who has no
 * resource chosen. Makes no Autotask call.
 */
import type { Credentials } from "../config.ts";
import { DecryptError, hashToken } from "./crypto.ts";
import type { HostedDeps } from "./deps.ts";

export type Resolution =
  | { ok: true; credentials: Credentials; account: string }
  | { ok: false; status: 401 | 403 | 500; message: string; headers: Record<string, string> };

// Writing last use on every request would turn each read into a write; once a minute is enough.
const TOUCH_EVERY_MS = 60_000;

export async function resolveBearer(deps: HostedDeps, request: Request, path: string): Promise<Resolution> {
  const endpoints = deps.endpoints();
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) {
    return {
      ok: false,
      status: 401,
      message: `Unauthorized: sign in with OAuth (this server is its own authorization server; see ${endpoints.resourceMetadataUrl(path)})`,
      headers: { "WWW-Authenticate": endpoints.challenge(path) },
    };
  }
  const refuse = (description: string): Resolution => ({
    ok: false,
    status: 401,
    message: `Unauthorized: ${description}`,
    headers: { "WWW-Authenticate": endpoints.challenge(path, { code: "invalid_token", description }) },
  });
  const found = await deps.store.resolveAccess(hashToken(match[1]!));
  const now = deps.now();
  if (!found || found.token.expiresAt <= now) return refuse("the access token is unknown or expired");
  if (found.grant.revokedAt !== null) return refuse("the access token was revoked");
  // RFC 8707: the token must have been issued for this server's MCP endpoint.
  if (!endpoints.resources.includes(found.grant.resource)) return refuse(`the access token was issued for another resource (${found.grant.resource})`);
  if (!found.connection) return refuse("this account has no Autotask connection any more; sign in again to connect one");
  // Only the owner may act as the API user itself; a teammate always acts as their own resource
  // (one who cleared it must choose again), or their writes would carry nobody's name.
  if (found.account.role !== "owner" && !found.account.resourceId) {
    return {
      ok: false,
      status: 403,
      message: `Forbidden: choose your Autotask resource on ${endpoints.origin}/account first (a teammate acts as their own Autotask resource; only the owner may act as the API user)`,
      headers: {},
    };
  }
  let credentials: Credentials;
  try {
    credentials = await deps.connections.credentials(found.connection, found.account);
  } catch (error) {
    if (!(error instanceof DecryptError)) throw error;
    deps.log.error("stored credentials cannot be opened", { connection: found.connection.id, error: error.message });
    return { ok: false, status: 500, message: "The stored Autotask credentials cannot be decrypted with this server's key; the operator must restore AUTOTASK_MCP_ENCRYPTION_KEY", headers: {} };
  }
  if (found.grant.lastUsedAt === null || now - found.grant.lastUsedAt > TOUCH_EVERY_MS) await deps.store.touchGrant(found.grant.id, now);
  return { ok: true, credentials, account: found.account.id };
}
