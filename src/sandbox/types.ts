/** Public shapes of the sandbox (re-exported by index.ts; other code depends on exactly these). */
import type { PicklistValue } from "../autotask/types.ts";

export interface SandboxTenant {
  username: string;
  secret: string;
  integrationCode: string;
  label: string;
  seed?: number;
  /** More API users of the same database (same data, same `ci`, same limits), each with its own secret. */
  apiUsers?: Array<{ username: string; secret: string }>;
}

export const DEFAULT_SANDBOX_TENANT: SandboxTenant = {
  username: "sandbox@autotask-mcp.dev",
  secret: "sandbox-secret",
  integrationCode: "SANDBOX-INTEGRATION-CODE",
  label: "Sandbox MSP",
};

export interface SandboxOptions {
  /** Default 0: a random free port. */
  port?: number;
  /** Default "127.0.0.1". */
  hostname?: string;
  /** Default [DEFAULT_SANDBOX_TENANT]; each tenant is its own Autotask database with its own seeded data. */
  tenants?: SandboxTenant[];
  /** Requests per tenant per rolling 60 minutes, default 10000. */
  requestThreshold?: number;
  /** Concurrent requests per (tenant, integration code, entity endpoint), default 3. */
  threadLimit?: number;
  /** Added to every response, default 0. */
  latencyMs?: number;
}

export interface RequestLogEntry {
  time: string;
  method: string;
  /** pathname + search */
  path: string;
  entity?: string;
  /** The tenant's label. */
  tenant?: string;
  username?: string;
  integrationCode?: string;
  /** Whether a Secret header was sent; the secret itself is never kept. */
  hasSecret: boolean;
  impersonationResourceId?: string;
  /** Parsed JSON body (the raw text when it was not JSON). */
  body?: unknown;
  /** 0 while in flight, and for injected network errors. */
  status: number;
  durationMs: number;
}

export interface Fault {
  method?: string;
  /** Matched case-insensitively against the pathname; a string matches as a substring. */
  path?: string | RegExp;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** How many requests the fault applies to; unlimited when absent. */
  times?: number;
  /** Drop the connection instead of answering. */
  networkError?: boolean;
}

export interface SandboxStore {
  readonly tenant: SandboxTenant;
  /** The resource id of the API user (the one the credentials belong to). */
  readonly apiUserResourceId: number;
  /** Every row of an entity as the API would return it, ascending by id. */
  all(entityName: string): Record<string, unknown>[];
  get(entityName: string, id: number): Record<string, unknown> | undefined;
  count(entityName: string): number;
  /** The tenant's picklist values for an entity field (active and inactive). */
  picklist(entityName: string, field: string): PicklistValue[];
}

/** The wire format of a picklist value is Autotask's, the same for the simulator and the client. */
export type { PicklistValue } from "../autotask/types.ts";

export interface Sandbox {
  /** Origin with a trailing slash, e.g. "http://127.0.0.1:41234/". */
  url: string;
  /** `${url}ATServicesRest/`: what zoneInformation returns as "url". */
  apiUrl: string;
  /** `${url}ATServicesRest/V1.0/zoneInformation` */
  zoneLookupUrl: string;
  tenants: SandboxTenant[];
  /** Live array, newest last, bounded to the last 10,000 requests. */
  requests: RequestLogEntry[];
  faults: { inject(fault: Fault): void; clear(): void };
  /** Highest concurrency ever observed for any (tenant, integration code), all endpoints together. */
  maxInFlight(): number;
  /** Highest concurrency ever observed for any (tenant, integration code, endpoint): what Autotask's thread limit counts. */
  maxInFlightPerEndpoint(): number;
  store(tenantLabel?: string): SandboxStore;
  /** Clears the log and faults, re-seeds the data and resets the counters. */
  reset(): void;
  /** The handler itself, usable in-process without the network. */
  fetch(request: Request): Promise<Response>;
  stop(): Promise<void>;
}
