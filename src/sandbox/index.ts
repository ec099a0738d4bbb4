/**
 * The Autotask REST API simulator: a real HTTP server on a free port with seeded tenant databases.
 * Tests point the client at it; `autotask-mcp stdio --sandbox` uses it as a demo backend. It never
 * writes to stdout (stdout is the MCP protocol in stdio mode).
 */
import { serve } from "../serve.ts";
import { NETWORK_ERROR, SandboxApp } from "./app.ts";
import { json } from "./http.ts";
import { createStoreView } from "./store.ts";
import { DEFAULT_SANDBOX_TENANT, type Sandbox, type SandboxOptions } from "./types.ts";

export { DEFAULT_SANDBOX_TENANT } from "./types.ts";
export type {
  Fault,
  PicklistValue,
  RequestLogEntry,
  Sandbox,
  SandboxOptions,
  SandboxStore,
  SandboxTenant,
} from "./types.ts";

/**
 * A connection that breaks mid-response: the status line and part of the body arrive, then the socket
 * resets. Dropping it before any byte would be invisible to Bun's fetch, which silently retries a
 * request once when a kept-alive connection closes before answering. controller.error() without a
 * reason keeps Bun from logging the failure.
 */
function brokenConnection(): Response {
  return new Response(
    new ReadableStream({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"items":['));
        await new Promise((resolve) => setTimeout(resolve, 1));
        controller.error();
      },
    }),
    { headers: { "content-type": "application/json", "content-length": "4096" } },
  );
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const tenants = options.tenants?.length ? options.tenants : [DEFAULT_SANDBOX_TENANT];
  // Labels name the stores and user names pick the tenant on every request: both must be unique.
  if (new Set(tenants.map((t) => t.label)).size !== tenants.length) throw new Error("Sandbox tenants need distinct labels.");
  const usernames = tenants.flatMap((t) => [t.username, ...(t.apiUsers ?? []).map((user) => user.username)]).map((name) => name.toLowerCase());
  if (new Set(usernames).size !== usernames.length) throw new Error("Sandbox tenants need distinct user names.");
  const app = new SandboxApp({
    tenants,
    requestThreshold: options.requestThreshold ?? 10_000,
    threadLimit: options.threadLimit ?? 3,
    latencyMs: options.latencyMs ?? 0,
  });
  const hostname = options.hostname ?? "127.0.0.1";
  const server = await serve({
    port: options.port ?? 0,
    hostname,
    // Delay faults hold requests open on purpose; a short idle timeout would cut them.
    idleTimeoutSeconds: 255,
    async fetch(request) {
      const outcome = await app.handle(request);
      return outcome === NETWORK_ERROR ? brokenConnection() : outcome;
    },
    error(error) {
      return json({ errors: [`Internal sandbox error: ${error.message}`] }, 500);
    },
  });
  const host = hostname === "0.0.0.0" ? "127.0.0.1" : hostname === "::" ? "[::1]" : hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `http://${host}:${server.port}/`;
  const stores = new Map(
    tenants.map((tenant, index) => [tenant.label, createStoreView(() => app.dbs[index] ?? app.dbs[0]!)] as const),
  );

  return {
    url,
    apiUrl: `${url}ATServicesRest/`,
    zoneLookupUrl: `${url}ATServicesRest/V1.0/zoneInformation`,
    tenants,
    requests: app.requests,
    faults: {
      inject: (fault) => app.faults.inject(fault),
      clear: () => app.faults.clear(),
    },
    maxInFlight: () => app.limits.maxInFlight(),
    maxInFlightPerEndpoint: () => app.limits.maxInFlightPerEndpoint(),
    store(tenantLabel) {
      const view = stores.get(tenantLabel ?? tenants[0]!.label);
      if (!view) throw new Error(`No sandbox tenant labelled "${tenantLabel}"`);
      return view;
    },
    reset: () => app.reset(),
    async fetch(request) {
      const outcome = await app.handle(request);
      if (outcome === NETWORK_ERROR) throw new TypeError("fetch failed: the sandbox dropped the connection (injected fault)");
      return outcome;
    },
    stop: () => server.stop(true),
  };
}
