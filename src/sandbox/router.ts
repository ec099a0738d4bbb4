/**
 * URL -> operation. Paths match case-insensitively (clients spell ATServicesRest and V1.0 every way).
 * Besides zone, version and threshold information, every route is an entity route derived from the
 * entity table (../autotask/routes.ts: the same routes autotask_raw_request may call).
 */
import type { EntityDef } from "../autotask/entities.ts";
import { entityRoute, type EntityRoute } from "../autotask/routes.ts";

export type Route = EntityRoute | { kind: "zone" } | { kind: "version" } | { kind: "threshold" } | { kind: "unknown" };

export function entityOf(route: Route): EntityDef | undefined {
  return "entity" in route ? route.entity : undefined;
}

export function parseRoute(pathname: string): Route {
  const segments = pathname.split("/").filter(Boolean);
  const lower = segments.map((s) => s.toLowerCase());
  if (lower[0] !== "atservicesrest") return { kind: "unknown" };
  if (lower.length === 2 && lower[1] === "versioninformation") return { kind: "version" };
  if (lower[1] !== "v1.0") return { kind: "unknown" };
  const rest = segments.slice(2);
  const restLower = lower.slice(2);
  if (restLower.length === 1 && restLower[0] === "zoneinformation") return { kind: "zone" };
  if (restLower.length === 1 && restLower[0] === "thresholdinformation") return { kind: "threshold" };

  return entityRoute(rest) ?? { kind: "unknown" };
}
