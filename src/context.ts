/**
 * Per-request context and the process-wide runtime that hands it out.
 *
 * The runtime holds only what is safe to share: the zone resolver (keyed by user name), the
 * Coordinator (Autotask's thread limit, 429 cool-downs, the failed-login guard, the API budget —
 * keyed by what Autotask limits, see autotask/gate.ts) and the bounded per-tenant metadata/name caches. It never
 * holds credentials. Each request gets a fresh client bound to its own credentials; the context is
 * passed down to the tools, never stored.
 *
 * The data caches are keyed by the secret's hash and API URL too, so a caller who knows another
 * tenant's user name but not its secret never gets an answer out of that tenant's cache.
 */
import { createHash } from "node:crypto";
import { ApiBudget, figuresOf, type UsageFigures } from "./autotask/budget.ts";
import { AutotaskClient } from "./autotask/client.ts";
import { userKey } from "./autotask/gate.ts";
import { TenantCache } from "./autotask/tenant-cache.ts";
import { ZoneResolver } from "./autotask/zone.ts";
import type { Config, Credentials } from "./config.ts";
import type { Coordinator } from "./coord/coordinator.ts";
import { MemoryCoordinator } from "./coord/memory.ts";
import type { Logger } from "./log.ts";
import { LruCache } from "./lru.ts";
import { maskValues } from "./redact.ts";

export interface ToolContext {
  /** Short, non-reversible tenant id for logs (hash of user name + integration code). */
  readonly tenant: string;
  readonly client: AutotaskClient;
  readonly cache: TenantCache;
  /** The tenant's hourly API budget, shared by every replica (warnings, fan-out refusals). */
  readonly budget: ApiBudget;
  readonly log: Logger;
  /**
   * `value` (any JSON-like value) with this request's own credentials masked wherever they appear:
   * what a tool returns may quote Autotask text that echoes the secret or integration code.
   */
  mask<T>(value: T): T;
  /**
   * When the tool's answer is due (epoch ms), set while a call runs under a time limit: a tool doing
   * many writes in a row stops starting new ones before it, so it can still say what it did.
   */
  readonly deadline?: number;
}

/** Thrown when a tool needs Autotask but this context has no usable credentials. */
export class MissingCredentialsError extends Error {
  override name = "MissingCredentialsError";
}

const TENANT_TTL_MS = 60 * 60 * 1000;
const MAX_TENANTS = 1000;

export class Runtime {
  readonly zones: ZoneResolver;
  private readonly caches = new LruCache<string, TenantCache>(MAX_TENANTS, TENANT_TTL_MS);
  private readonly closing = new AbortController();

  constructor(
    readonly config: Config,
    readonly log: Logger,
    /** Autotask's limits and the hosted rate limits: this process's, or shared through Redis. */
    readonly coordinator: Coordinator = new MemoryCoordinator(),
  ) {
    this.zones = new ZoneResolver(config.zoneLookupUrl, config.requestTimeoutMs);
  }

  /**
   * A context for one set of credentials: a new client sharing the coordinator and the tenant's
   * caches. `caller`: the client address a request came from (budgets zone lookups of unknown names).
   */
  contextFor(credentials: Credentials, { caller }: { caller?: string } = {}): ToolContext {
    const tenant = tenantId(credentials);
    const credentialKey = cacheKey(credentials);
    const cache = this.caches.getOrSet(credentialKey, () => new TenantCache());
    const secrets = [credentials.secret, credentials.integrationCode];
    const log = this.log.withSecrets(secrets).child({ tenant });
    const client = new AutotaskClient({
      credentials,
      credentialKey,
      zones: this.zones,
      allowedHosts: this.config.allowedApiHosts,
      coordinator: this.coordinator,
      usageKey: tenant,
      signal: this.closing.signal,
      timeoutMs: this.config.requestTimeoutMs,
      maxRetries: this.config.maxRetries,
      log,
      ...(caller === undefined ? {} : { caller }),
    });
    const budget = new ApiBudget(tenant, this.coordinator, () => client.threshold(), log);
    return { tenant, client, cache, budget, log, mask: (value) => maskValues(value, secrets) };
  }

  /** A tenant's API usage as last read plus what was sent since, without calling Autotask. */
  async usageOf(credentials: Credentials): Promise<UsageFigures | undefined> {
    return figuresOf(await this.coordinator.usage(tenantId(credentials)));
  }

  /** Whether Autotask accepted exactly these credentials lately (the failed-login guard's record). */
  knownGood(credentials: Credentials): Promise<boolean> {
    return this.coordinator.knownGood(userKey(credentials.username), cacheKey(credentials));
  }

  /**
   * Stops sending: requests still waiting for a slot fail with "shutting down" instead of going to
   * Autotask after their caller was told to retry. Requests already sent run to their end.
   */
  close(): void {
    this.closing.abort(new Error("shutting down"));
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
      // Never read: a tool that needs Autotask fails with the reason first.
      budget: new ApiBudget("unconfigured", new MemoryCoordinator(), fail, this.log),
      log: this.log,
      mask: (value) => value,
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
