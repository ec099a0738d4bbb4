/**
 * Header authentication with the real API's quirks: a wrong secret is 401, but an unknown user or a
 * wrong integration code is 500 (clients that only look for 401 miss those).
 */
import { ApiError } from "./http.ts";
import type { TenantDb } from "./store.ts";

export interface Caller {
  db: TenantDb;
  integrationCode: string;
  /** The resource writes are attributed to. */
  actorId: number;
  /** The API user's resource while impersonating, else null. */
  impersonatorId: number | null;
}

export interface AuthHeaders {
  username?: string;
  secret?: string;
  integrationCode?: string;
  impersonationResourceId?: string;
}

/** Header names are case-insensitive (Headers handles that); empty values count as absent. */
export function readAuthHeaders(headers: Headers): AuthHeaders {
  const get = (name: string) => headers.get(name)?.trim() || undefined;
  return {
    username: get("UserName"),
    secret: get("Secret"),
    integrationCode: get("ApiIntegrationCode"),
    impersonationResourceId: get("ImpersonationResourceId"),
  };
}

/** The database an API user name belongs to, and that user's secret. */
export function findTenantByUser(dbs: readonly TenantDb[], username: string): { db: TenantDb; secret: string } | undefined {
  const wanted = username.toLowerCase();
  for (const db of dbs) {
    const users = [{ username: db.tenant.username, secret: db.tenant.secret }, ...(db.tenant.apiUsers ?? [])];
    const user = users.find((candidate) => candidate.username.toLowerCase() === wanted);
    if (user) return { db, secret: user.secret };
  }
  return undefined;
}

export function authenticate(auth: AuthHeaders, dbs: readonly TenantDb[]): Caller {
  const { username, secret, integrationCode } = auth;
  if (!username || !secret) throw new ApiError(401, ["Unauthorized: the UserName and Secret headers are required."]);
  const user = findTenantByUser(dbs, username);
  if (!user) throw new ApiError(500, [`Unable to authenticate user ${username}: no active API user has that user name.`]);
  const { db } = user;
  if (secret !== user.secret) throw new ApiError(401, ["Unauthorized"]);
  if (!integrationCode) throw new ApiError(401, ["Unauthorized: the ApiIntegrationCode header is required."]);
  if (integrationCode !== db.tenant.integrationCode)
    throw new ApiError(500, [
      "Invalid integration code: the ApiIntegrationCode header does not match an active API tracking identifier for this database.",
    ]);
  const caller: Caller = { db, integrationCode, actorId: db.apiUserResourceId, impersonatorId: null };
  const impersonate = auth.impersonationResourceId;
  if (impersonate !== undefined) {
    const resource = /^\d+$/.test(impersonate) ? db.get("Resources", Number(impersonate)) : undefined;
    if (!resource || resource.isActive === false)
      throw new ApiError(500, [`Impersonation failed: resource ${impersonate} does not exist or is inactive.`]);
    caller.actorId = resource.id;
    caller.impersonatorId = db.apiUserResourceId;
  }
  return caller;
}
