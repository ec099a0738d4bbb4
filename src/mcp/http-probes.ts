/**
 * The probes a load balancer or Kubernetes asks.
 *
 * GET /health — liveness: the documented shape `{"status":"ok","transport","authMode","timestamp"}`,
 * nothing more for an anonymous caller (it is unauthenticated and often reachable by anyone on the
 * path to the server). A caller that proves to be a tenant also gets that tenant's own hourly API
 * usage (`apiUsage`, as last read from ThresholdInformation plus what was sent since; null when
 * not read yet) — never another tenant's, and never by calling Autotask from a probe:
 *   gateway: X-API-Key and X-API-Secret (+ X-Integration-Code) that Autotask accepted lately;
 *   oauth: a valid access token; env: `Authorization: Bearer <MCP_HTTP_TOKEN>` when one is set.
 *
 * GET /ready — readiness: `{"status","store","redis"}`, each part `ok`, `degraded` or `unused`, with
 * no secrets and no tenant data. 503 while draining or when the hosted store cannot be reached
 * (nothing can be authenticated); 200 with Redis degraded, since requests are still served with
 * the per-replica gate.
 */
import { resolveGatewayCredentials } from "../auth.ts";
import type { Config, Credentials } from "../config.ts";
import type { Runtime } from "../context.ts";
import type { Hosted } from "../hosted/index.ts";
import { bearerMatches } from "./http-guard.ts";

export interface ProbeDeps {
  config: Config;
  runtime: Runtime;
  hosted?: Hosted;
  envCredentials?: Credentials;
  draining(): boolean;
}

/** How long /ready waits for the store to answer. */
const STORE_TIMEOUT_MS = 2_000;

export async function health(request: Request, deps: ProbeDeps): Promise<Response> {
  const body: Record<string, unknown> = { status: "ok", transport: "http", authMode: deps.config.authMode, timestamp: new Date().toISOString() };
  const credentials = await tenantOf(request, deps);
  if (credentials) {
    const usage = await deps.runtime.usageOf(credentials);
    body.apiUsage = usage
      ? { used: usage.used, threshold: usage.threshold, timeframeMinutes: usage.timeframeMinutes, percentUsed: usage.percentUsed, readAt: new Date(usage.readAt).toISOString() }
      : null;
  }
  return Response.json(body);
}

export async function ready(deps: ProbeDeps): Promise<Response> {
  const coordination = deps.runtime.coordinator.state();
  const redis = coordination === "memory" ? "unused" : coordination;
  const store = deps.hosted ? ((await deps.hosted.storeAnswers(STORE_TIMEOUT_MS)) ? "ok" : "degraded") : "unused";
  const unavailable = deps.draining() || store === "degraded";
  const status = deps.draining() ? "draining" : store === "degraded" || redis === "degraded" ? "degraded" : "ok";
  return Response.json({ status, store, redis }, { status: unavailable ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}

/** The tenant a /health request proves to be, if any (see the module comment). */
async function tenantOf(request: Request, deps: ProbeDeps): Promise<Credentials | undefined> {
  const { config, runtime, hosted } = deps;
  const authorization = request.headers.get("authorization");
  if (config.authMode === "gateway") {
    // Headers only: gateway defaults from the environment prove nothing about the caller.
    if (!request.headers.get("x-api-key") || !request.headers.get("x-api-secret")) return undefined;
    const auth = resolveGatewayCredentials(config, request.headers);
    return auth.ok && (await runtime.knownGood(auth.credentials)) ? auth.credentials : undefined;
  }
  if (config.authMode === "oauth") {
    if (!hosted || !authorization) return undefined;
    const auth = await hosted.authenticate(request, config.http.mcpPath);
    return auth.ok ? auth.credentials : undefined;
  }
  return config.http.token && bearerMatches(authorization, config.http.token) ? deps.envCredentials : undefined;
}
