/**
 * /_sandbox/* endpoints, so a test in another process (or the CLI's demo mode) can drive the sandbox:
 * read and clear the request log, inject and clear faults, reset. Not logged, not authenticated.
 */
import type { SandboxApp } from "./app.ts";
import { faultFromJson } from "./faults.ts";
import { ApiError, errorResponse, json } from "./http.ts";

export const ADMIN_PREFIX = "/_sandbox/";

export async function handleAdmin(app: SandboxApp, request: Request, pathname: string): Promise<Response> {
  const action = `${request.method.toUpperCase()} ${pathname.slice(ADMIN_PREFIX.length).toLowerCase().replace(/\/$/, "")}`;
  try {
    switch (action) {
      case "GET requests":
        return json(app.requests);
      case "DELETE requests":
        app.requests.length = 0;
        return json({ ok: true });
      case "POST faults":
        app.faults.inject(faultFromJson(await readJson(request)));
        return json({ ok: true });
      case "DELETE faults":
        app.faults.clear();
        return json({ ok: true });
      case "POST reset":
        app.reset();
        return json({ ok: true });
      case "GET stats":
        return json({ maxInFlight: app.limits.maxInFlight(), maxInFlightPerEndpoint: app.limits.maxInFlightPerEndpoint(), requests: app.requests.length });
      default:
        return json({ errors: [`No such sandbox admin endpoint: ${action}`] }, 404);
    }
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    throw error;
  }
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ApiError(400, ["The body must be JSON."]);
  }
}
