/**
 * The request pipeline: log -> fault -> (zone lookup | auth -> threshold -> thread limit -> operation).
 * Independent of the HTTP server, so the same handler serves Bun.serve and in-process fetches.
 */
import { ADMIN_PREFIX, handleAdmin } from "./admin.ts";
import { authenticate, findTenantByUser, readAuthHeaders } from "./auth.ts";
import { Faults, answers } from "./faults.ts";
import { handleApi } from "./handlers.ts";
import { ApiError, errorResponse, json, sleep } from "./http.ts";
import { Limits } from "./limits.ts";
import { entityOf, parseRoute, type Route } from "./router.ts";
import { seedTenant } from "./seed/index.ts";
import type { TenantDb } from "./store.ts";
import type { Fault, RequestLogEntry, SandboxTenant } from "./types.ts";

export const NETWORK_ERROR = Symbol("sandbox network error");
export type Outcome = Response | typeof NETWORK_ERROR;

const MAX_LOG = 10_000;

export interface AppOptions {
  tenants: SandboxTenant[];
  requestThreshold: number;
  threadLimit: number;
  latencyMs: number;
}

export class SandboxApp {
  readonly dbs: TenantDb[];
  readonly requests: RequestLogEntry[] = [];
  readonly faults = new Faults();
  readonly limits: Limits;

  constructor(readonly options: AppOptions) {
    this.dbs = options.tenants.map((tenant, index) => seedTenant(tenant, index));
    this.limits = new Limits(options.requestThreshold, options.threadLimit);
  }

  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
    this.limits.reset();
    this.options.tenants.forEach((tenant, index) => {
      this.dbs[index] = seedTenant(tenant, index);
    });
  }

  async handle(request: Request): Promise<Outcome> {
    const started = performance.now();
    const url = new URL(request.url);
    const pathname = url.pathname.replace(/\/{2,}/g, "/");
    if (pathname.toLowerCase().startsWith(ADMIN_PREFIX)) return handleAdmin(this, request, pathname);
    const method = request.method.toUpperCase();
    const auth = readAuthHeaders(request.headers);
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      method,
      path: pathname + url.search,
      hasSecret: auth.secret !== undefined,
      status: 0,
      durationMs: 0,
    };
    if (auth.username) entry.username = auth.username;
    if (auth.integrationCode) entry.integrationCode = auth.integrationCode;
    if (auth.impersonationResourceId) entry.impersonationResourceId = auth.impersonationResourceId;
    this.requests.push(entry);
    if (this.requests.length > MAX_LOG) this.requests.splice(0, this.requests.length - MAX_LOG);

    const text = method === "GET" || method === "HEAD" ? "" : await request.text();
    let body: unknown;
    let bodyError: string | undefined;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch (error) {
        bodyError = error instanceof Error ? error.message : String(error);
        body = text;
      }
      entry.body = body;
    }
    const route = parseRoute(pathname);
    const entity = entityOf(route);
    if (entity) entry.entity = entity.name;

    const fault = this.faults.take(method, pathname);
    // Latency and delay faults are spent while the request holds its thread-limit slot, as upstream.
    const delay = { ms: (fault?.delayMs ?? 0) + this.options.latencyMs };
    let outcome: Outcome;
    try {
      if (fault && answers(fault)) {
        await spend(delay);
        outcome = fault.networkError ? NETWORK_ERROR : faultResponse(fault);
      } else {
        outcome = await this.serve({ route, method, url, auth, body, bodyError, entry, delay });
        for (const [name, value] of Object.entries(fault?.headers ?? {})) outcome.headers.set(name, value);
      }
    } catch (error) {
      outcome =
        error instanceof ApiError
          ? errorResponse(error)
          : json({ errors: [`Internal sandbox error: ${error instanceof Error ? error.message : String(error)}`] }, 500);
    }
    // Requests refused before their delay was spent (auth, limits) still answer late.
    await spend(delay);
    entry.status = outcome === NETWORK_ERROR ? 0 : outcome.status;
    entry.durationMs = Math.round((performance.now() - started) * 100) / 100;
    return outcome;
  }

  private async serve(call: {
    route: Route;
    method: string;
    url: URL;
    auth: ReturnType<typeof readAuthHeaders>;
    body: unknown;
    bodyError?: string;
    entry: RequestLogEntry;
    delay: { ms: number };
  }): Promise<Response> {
    const { route, method, url, entry } = call;
    if (route.kind === "unknown" || route.kind === "version" || route.kind === "zone") {
      await spend(call.delay);
      if (route.kind === "unknown")
        throw new ApiError(404, [`No such resource: ${method} ${url.pathname}`]);
      if (method !== "GET") throw new ApiError(405, [`The ${method} method is not supported here.`]);
      if (route.kind === "version") return json({ apiVersions: ["1.0"] });
      return this.zoneInformation(url, entry);
    }
    const caller = authenticate(call.auth, this.dbs);
    const label = caller.db.tenant.label;
    entry.tenant = label;
    this.limits.count(label);
    const release = this.limits.enter(label, caller.integrationCode, entityOf(route)?.name ?? route.kind);
    try {
      await spend(call.delay);
      return handleApi({ caller, route, method, url, body: call.body, bodyError: call.bodyError, limits: this.limits });
    } finally {
      release();
    }
  }

  private zoneInformation(url: URL, entry: RequestLogEntry): Response {
    const user = url.searchParams.get("user") ?? "";
    const db = user ? findTenantByUser(this.dbs, user)?.db : undefined;
    if (!db) throw new ApiError(500, [`Zone information could not be determined for user ${user}`]);
    entry.tenant = db.tenant.label;
    return json({ zoneName: "Sandbox", url: `${url.origin}/ATServicesRest/`, webUrl: `${url.origin}/`, ci: customerId(db) });
  }
}

/** Sleeps once: a delay is spent where it belongs and never twice. */
async function spend(delay: { ms: number }): Promise<void> {
  const ms = delay.ms;
  delay.ms = 0;
  await sleep(ms);
}

/** A stable per-tenant customer identifier, like the real `ci`. */
function customerId(db: TenantDb): number {
  let hash = 0;
  for (const char of db.tenant.label) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 100_000 + (hash % 800_000);
}

function faultResponse(fault: Fault): Response {
  const status = fault.status ?? 200;
  const headers = fault.headers ?? {};
  if (typeof fault.body === "string") return new Response(fault.body, { status, headers });
  const body = fault.body ?? (status >= 400 ? { errors: [`Injected fault: HTTP ${status}`] } : undefined);
  if (body === undefined) return new Response(null, { status, headers });
  return json(body, status, headers);
}
