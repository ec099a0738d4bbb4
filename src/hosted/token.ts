/**
 * The token endpoint (RFC 6749 §3.2, OAuth 2.1), revocation (RFC 7009) and registration (RFC 7591).
 *
 * Tokens are opaque random values stored only as SHA-256 hashes, not signed JWTs: every request
 * must load the person's connection from the store anyway, and a stored token can be revoked at
 * once (a removed teammate, a revoked client), which a self-contained token cannot until it expires.
 * - access tokens live 1 hour and are bound to the grant, so to one client and one resource;
 * - refresh tokens rotate on every use; presenting one a second time is taken as theft
 *   (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2) and revokes the whole grant, every token of that family.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readBody } from "../mcp/http-guard.ts";
import type { GrantRecord } from "../store/types.ts";
import { ClientError } from "./clients.ts";
import { hashToken, randomToken } from "./crypto.ts";
import type { HostedDeps, HostedRequest } from "./deps.ts";
import { noStoreJson, oauthError, readForm } from "./web.ts";

export const ACCESS_TOKEN_TTL_MS = 60 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60_000;
export const ACCESS_PREFIX = "atmcp_at_";
const REFRESH_PREFIX = "atmcp_rt_";
const MAX_REGISTRATION_BYTES = 16 * 1024;

async function issue(deps: HostedDeps, grant: GrantRecord, now: number): Promise<Response> {
  const access = randomToken(ACCESS_PREFIX);
  const refresh = randomToken(REFRESH_PREFIX);
  await deps.store.saveToken({ hash: hashToken(access), kind: "access", grantId: grant.id, expiresAt: now + ACCESS_TOKEN_TTL_MS, consumedAt: null });
  await deps.store.saveToken({ hash: hashToken(refresh), kind: "refresh", grantId: grant.id, expiresAt: now + REFRESH_TOKEN_TTL_MS, consumedAt: null });
  return noStoreJson({ access_token: access, token_type: "Bearer", expires_in: ACCESS_TOKEN_TTL_MS / 1000, refresh_token: refresh, scope: grant.scope });
}

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) == code_challenge, compared in constant time. */
function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** POST /token. */
export async function handleToken(deps: HostedDeps, req: HostedRequest): Promise<Response> {
  if (req.request.method !== "POST") return oauthError(405, "invalid_request", "use POST", { Allow: "POST" });
  const wait = await deps.limiter.hit("token", req.address);
  if (wait) return oauthError(429, "slow_down", `too many token requests; retry in ${wait} s`, { "Retry-After": String(wait) });
  const form = await readForm(req.request);
  if (!form) return oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
  const clientId = form.get("client_id");
  if (!clientId) return oauthError(401, "invalid_client", "client_id is required (public clients authenticate with client_id and PKCE)");
  const resource = form.get("resource");
  const now = deps.now();
  const grantType = form.get("grant_type");

  if (grantType === "authorization_code") {
    const code = form.get("code") ?? "";
    const taken = code ? await deps.store.takeCode(hashToken(code), now) : undefined;
    if (!taken) return oauthError(400, "invalid_grant", "the authorization code is unknown or expired");
    const { code: record, firstUse } = taken;
    if (!firstUse) {
      // RFC 6749 §4.1.2: a code used twice revokes what was issued from it.
      await deps.store.revokeGrant(record.grantId, now);
      deps.audit("code-replayed", { grant: record.grantId, client: clientId, address: req.address });
      return oauthError(400, "invalid_grant", "the authorization code was already used; its tokens are revoked");
    }
    if (record.expiresAt <= now) return oauthError(400, "invalid_grant", "the authorization code has expired");
    if (record.clientId !== clientId) return oauthError(400, "invalid_grant", "the authorization code was issued to another client");
    const grant = await deps.store.grantById(record.grantId);
    if (!grant || grant.revokedAt !== null) return oauthError(400, "invalid_grant", "the authorization was revoked");
    // RFC 6749 §4.1.3: required and identical when the authorization request included it; when it
    // did not (the one registered URI was used), one sent here must still be the URI the code went to.
    const redirectUri = form.get("redirect_uri");
    if (record.redirectUri ? redirectUri !== record.redirectUri : redirectUri !== null && redirectUri !== grant.redirectUri) {
      return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request");
    }
    if (!pkceMatches(form.get("code_verifier") ?? "", record.codeChallenge)) return oauthError(400, "invalid_grant", "code_verifier does not match the code_challenge (PKCE S256)");
    if (resource && resource !== record.resource) return oauthError(400, "invalid_target", `resource must be ${record.resource}, as in the authorization request`);
    deps.audit("token-issued", { account: grant.accountId, client: clientId, grant: grant.id });
    return issue(deps, grant, now);
  }

  if (grantType === "refresh_token") {
    const token = form.get("refresh_token") ?? "";
    const hash = hashToken(token);
    const record = token ? await deps.store.tokenByHash(hash) : undefined;
    if (!record || record.kind !== "refresh") return oauthError(400, "invalid_grant", "the refresh token is unknown, expired or revoked");
    const grant = await deps.store.grantById(record.grantId);
    if (!grant || grant.revokedAt !== null) return oauthError(400, "invalid_grant", "the authorization was revoked");
    if (grant.clientId !== clientId) return oauthError(400, "invalid_grant", "the refresh token was issued to another client");
    if (!(await deps.store.consumeRefresh(hash, now))) {
      await deps.store.revokeGrant(grant.id, now);
      deps.audit("refresh-replayed", { account: grant.accountId, client: clientId, grant: grant.id, address: req.address });
      return oauthError(400, "invalid_grant", "the refresh token was already used; every token of this authorization is revoked, sign in again");
    }
    if (record.expiresAt <= now) return oauthError(400, "invalid_grant", "the refresh token has expired");
    if (resource && resource !== grant.resource) return oauthError(400, "invalid_target", `resource must be ${grant.resource}`);
    const scope = form.get("scope");
    if (scope && scope.split(" ").some((s) => s && !grant.scope.split(" ").includes(s))) return oauthError(400, "invalid_scope", `scope may not exceed ${grant.scope}`);
    deps.audit("token-refreshed", { account: grant.accountId, client: clientId, grant: grant.id });
    return issue(deps, grant, now);
  }

  return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
}

/**
 * POST /revoke (RFC 7009). Answers 200 for unknown tokens too (§2.2). A refresh token revokes its
 * whole grant; an access token only itself.
 */
export async function handleRevoke(deps: HostedDeps, req: HostedRequest): Promise<Response> {
  if (req.request.method !== "POST") return oauthError(405, "invalid_request", "use POST", { Allow: "POST" });
  const form = await readForm(req.request);
  if (!form) return oauthError(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
  const token = form.get("token");
  if (!token) return oauthError(400, "invalid_request", "token is required");
  const clientId = form.get("client_id");
  if (!clientId) return oauthError(401, "invalid_client", "client_id is required");
  const record = await deps.store.tokenByHash(hashToken(token));
  if (!record) return new Response(null, { status: 200, headers: { "Cache-Control": "no-store" } });
  const grant = await deps.store.grantById(record.grantId);
  if (grant && grant.clientId !== clientId) return oauthError(400, "unauthorized_client", "the token was issued to another client");
  const now = deps.now();
  if (record.kind === "refresh") await deps.store.revokeGrant(record.grantId, now);
  else await deps.store.deleteToken(record.hash);
  deps.audit("token-revoked", { account: grant?.accountId, client: clientId, grant: record.grantId, kind: record.kind });
  return new Response(null, { status: 200, headers: { "Cache-Control": "no-store" } });
}

/** POST /register (RFC 7591 §3). */
export async function handleRegister(deps: HostedDeps, req: HostedRequest): Promise<Response> {
  if (req.request.method !== "POST") return oauthError(405, "invalid_request", "use POST", { Allow: "POST" });
  const wait = await deps.limiter.hit("register", req.address);
  if (wait) return oauthError(429, "slow_down", `too many registrations; retry in ${wait} s`, { "Retry-After": String(wait) });
  const read = await readBody(req.request, MAX_REGISTRATION_BYTES);
  if (!read.ok) return oauthError(400, "invalid_client_metadata", "the registration request is larger than 16 KiB");
  let body: unknown;
  try {
    body = JSON.parse(read.text);
  } catch {
    return oauthError(400, "invalid_client_metadata", "the body must be a JSON object of client metadata");
  }
  try {
    const registered = await deps.clients.register(body, deps.now());
    deps.audit("client-registered", { client: registered.client_id, name: registered.client_name, address: req.address });
    return noStoreJson(registered, 201);
  } catch (error) {
    if (error instanceof ClientError) return oauthError(400, error.code, error.message);
    throw error;
  }
}
