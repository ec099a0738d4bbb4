/**
 * What every hosted route works with: the store, people, connections, clients, limits and the
 * audit log. Built once by startHosted(); passed, never imported as a module-level singleton.
 */
import type { Logger } from "../log.ts";
import type { Store } from "../store/types.ts";
import type { Accounts } from "./accounts.ts";
import type { Clients } from "./clients.ts";
import type { Connections } from "./connection.ts";
import type { Endpoints } from "./metadata.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { CookieNames } from "./web.ts";

export interface HostedDeps {
  log: Logger;
  store: Store;
  accounts: Accounts;
  connections: Connections;
  clients: Clients;
  limiter: RateLimiter;
  /** Public URLs (the origin is known once the server listens when MCP_PUBLIC_URL is unset). */
  endpoints(): Endpoints;
  cookies(): CookieNames;
  /**
   * One audit line: who did what (ids, client, address), never a secret, password or token.
   * Events: sign-up, sign-in, sign-in-failed, sign-out, credentials-saved, credentials-refused,
   * credentials-deleted, resource-linked, resource-assigned, consent, consent-denied, token-issued, token-refreshed,
   * refresh-replayed, code-replayed, token-revoked, grant-revoked, client-registered,
   * invite-created, invite-used, member-removed.
   */
  audit(event: string, fields: Record<string, unknown>): void;
  now(): number;
}

/** One request as the hosted routes see it. */
export interface HostedRequest {
  request: Request;
  url: URL;
  /** Path without a trailing slash. */
  path: string;
  /** The client's address (for rate limits and the audit log). */
  address: string;
}
