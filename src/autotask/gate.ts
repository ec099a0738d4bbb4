/**
 * The keys Autotask's limits are counted under, for the Coordinator (src/coord/) every request
 * passes through.
 *
 * - Thread limit: 3 concurrent requests per integration code per object endpoint, per database
 *   (README §7, [docs]). The database is the zone answer's `ci`, so API users of one database share
 *   the limit, and Tickets and Companies calls do not queue behind each other. With a configured
 *   API URL there is no zone answer: the API user name (one user belongs to one database) stands
 *   in for the database — a narrower key, never a wider one.
 * - 429 cool-down: per database, since the request threshold is counted per database.
 * - Failed logins: per API user name, whatever secret is tried (see Coordinator.admitLogin).
 *
 * Keys carry no secret and no name: the integration code and user name are hashed, so a shared
 * store (Redis) never holds either.
 */
import { createHash } from "node:crypto";
import type { ZoneInfo } from "./zone.ts";

export const AUTOTASK_THREAD_LIMIT = 3;

export interface GateKeys {
  /** Thread-limit slots: database + integration code + endpoint. */
  threads: string;
  /** 429 cool-down: database. */
  cooldown: string;
}

/** The keys for one request to `endpoint` (an entity name such as "Tickets", or "ThresholdInformation"). */
export function gateKeys(zone: ZoneInfo, username: string, integrationCode: string, endpoint: string): GateKeys {
  const database = zone.ci !== undefined ? `ci:${zone.ci}` : `user:${userKey(username)}`;
  return { threads: `threads:${database}:${digest(integrationCode)}:${endpoint.toLowerCase()}`, cooldown: `cooldown:${database}` };
}

/** An API user name as the login guard counts it: case and surrounding spaces do not matter; hashed. */
export function userKey(username: string): string {
  return digest(username.trim().toLowerCase());
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
