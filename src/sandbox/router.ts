/**
 * URL -> operation. Paths match case-insensitively (clients spell ATServicesRest and V1.0 every way),
 * and every route is derived from the entity table: collection paths, aliases and parent paths.
 */
import { ENTITIES, type EntityDef } from "../autotask/entities.ts";
import { entityByPath } from "./schema.ts";

export type InfoKind = "entity" | "fields" | "udfs";

export type Route =
  | { kind: "zone" }
  | { kind: "version" }
  | { kind: "threshold" }
  | { kind: "info"; entity: EntityDef; info: InfoKind }
  | { kind: "query"; entity: EntityDef; count: boolean; page?: "next" | "prev" }
  | { kind: "collection"; entity: EntityDef }
  | { kind: "item"; entity: EntityDef; id: number }
  | { kind: "children"; entity: EntityDef; parentId: number }
  | { kind: "child"; entity: EntityDef; parentId: number; id: number }
  | { kind: "unknown" };

/** "tickets/notes" -> TicketNotes: parent path templates with the {parentId} segment taken out. */
const childByParentPath = new Map<string, EntityDef>();
for (const def of ENTITIES) {
  if (!def.parent) continue;
  const [parent, , child] = def.parent.path.toLowerCase().split("/");
  childByParentPath.set(`${parent}/${child}`, def);
}

const ID = /^\d+$/;
const INFO: Record<string, InfoKind> = { "": "entity", fields: "fields", userdefinedfields: "udfs" };

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

  const first = rest[0];
  const entity = first === undefined ? undefined : entityByPath(first);

  // {Parent}/{parentId}/{Child}[/{id} | /entityInformation[/…]]
  if (rest.length >= 3 && ID.test(rest[1] ?? "")) {
    const child = childByParentPath.get(`${restLower[0]}/${restLower[2]}`);
    if (!child) return { kind: "unknown" };
    const parentId = Number(rest[1]);
    const tail = restLower.slice(3);
    if (tail.length === 0) return { kind: "children", entity: child, parentId };
    if (tail.length === 1 && ID.test(tail[0] ?? "")) return { kind: "child", entity: child, parentId, id: Number(tail[0]) };
    return infoRoute(child, tail);
  }

  if (!entity) return { kind: "unknown" };
  const tail = restLower.slice(1);
  if (tail.length === 0) return { kind: "collection", entity };
  if (tail.length === 1 && ID.test(tail[0] ?? "")) return { kind: "item", entity, id: Number(tail[0]) };
  if (tail[0] === "query") {
    const second = tail[1];
    if (tail.length === 1) return { kind: "query", entity, count: false };
    if (tail.length === 2 && second === "count") return { kind: "query", entity, count: true };
    if (tail.length === 2 && (second === "next" || second === "prev")) return { kind: "query", entity, count: false, page: second };
    return { kind: "unknown" };
  }
  return infoRoute(entity, tail);
}

function infoRoute(entity: EntityDef, tail: string[]): Route {
  if (tail[0] !== "entityinformation" || tail.length > 2) return { kind: "unknown" };
  const info = INFO[tail[1] ?? ""];
  return info ? { kind: "info", entity, info } : { kind: "unknown" };
}
