/**
 * Per-request context and the process-wide runtime that hands it out.
 *
 * The runtime holds only what is safe to share: the zone resolver (keyed by user name) and bounded
 * per-tenant state — the request gate (3 in flight, pauses) and the metadata/name caches. It never
 * holds credentials. Each request gets a fresh client bound to its own credentials; the context is
 * passed down to the tools, never stored.
 *
 * Two keys, on purpose: the gate is keyed by user name + integration code (that is what Autotask
 * limits), the data caches and the 401 pause also by the secret's hash and API URL — so a caller
 * who knows another tenant's user name but not its secret never gets an answer out of that
 * tenant's cache, and cannot pause it by sending a wrong secret.
 */
import { createHash } from "node:crypto";
import { AutotaskClient } from "./autotask/client.ts";
import { TenantGate } from "./autotask/gate.ts";
import { TenantCache } from "./autotask/tenant-cache.ts";
import { ZoneResolver } from "./autotask/zone.ts";
import type { Config, Credentials } from "./config.ts";
import type { Logger } from "./log.ts";
import { LruCache } from "./lru.ts";

export interface ToolContext {
  /** Short, non-reversible tenant id for logs (hash of user name + integration code). */
  readonly tenant: string;
  readonly client: AutotaskClient;
  readonly cache: TenantCache;
  readonly log: Logger;
}

/** Thrown when a tool needs Autotask but this context has no usable credentials. */
export class MissingCredentialsError extends Error {
  override name = "MissingCredentialsError";
}

const TENANT_TTL_MS = 60 * 60 * 1000;
const MAX_TENANTS = 1000;

export class Runtime {
  readonly zones: ZoneResolver;
  private readonly gates = new LruCache<string, TenantGate>(MAX_TENANTS, TENANT_TTL_MS);
  private readonly caches = new LruCache<string, TenantCache>(MAX_TENANTS, TENANT_TTL_MS);

  constructor(
    readonly config: Config,
    readonly log: Logger,
  ) {
    this.zones = new ZoneResolver(config.zoneLookupUrl, config.requestTimeoutMs);
  }

  /** A context for one set of credentials: a new client sharing the tenant's gate and caches. */
  contextFor(credentials: Credentials): ToolContext {
    const tenant = tenantId(credentials);
    const gate = this.gates.getOrSet(tenant, () => new TenantGate());
    const credentialKey = cacheKey(credentials);
    const cache = this.caches.getOrSet(credentialKey, () => new TenantCache());
    const log = this.log.withSecrets([credentials.secret, credentials.integrationCode]).child({ tenant });
    const client = new AutotaskClient({
      credentials,
      credentialKey,
      zones: this.zones,
      gate,
      timeoutMs: this.config.requestTimeoutMs,
      maxRetries: this.config.maxRetries,
      log,
    });
    return { tenant, client, cache, log };
  }

  /**
   * A context whose every Autotask call fails with `reason` — for a stdio server started without
   * credentials: it still lists its tools, and each call explains what to configure.
   */
  unconfigured(reason: string): ToolContext {
    const fail = (): never => {
      throw new MissingCredentialsError(reason);
    };
    return {
      tenant: "unconfigured",
      get client(): AutotaskClient {
        return fail();
      },
      get cache(): TenantCache {
        return fail();
      },
      log: this.log,
    };
  }
}

export function tenantId(credentials: Pick<Credentials, "username" | "integrationCode">): string {
  return sha256(`${credentials.username.toLowerCase()}\n${credentials.integrationCode}`).slice(0, 12);
}

function cacheKey(credentials: Credentials): string {
  return sha256([credentials.username.toLowerCase(), credentials.integrationCode, credentials.secret, credentials.apiUrl ?? ""].join("\n"));
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
