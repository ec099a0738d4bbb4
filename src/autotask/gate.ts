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
 * Keys carry no secret: the integration code is hashed, so a shared store (Redis) never holds one.
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
  const database = zone.ci !== undefined ? `ci:${zone.ci}` : `user:${username.trim().toLowerCase()}`;
  const integration = createHash("sha256").update(integrationCode).digest("hex").slice(0, 16);
  return { threads: `threads:${database}:${integration}:${endpoint.toLowerCase()}`, cooldown: `cooldown:${database}` };
}
