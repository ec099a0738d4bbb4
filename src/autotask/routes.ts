/**
 * The REST routes below V1.0/, derived from the entity table: collection, item, query, count,
 * paging, entityInformation, and children through their parent's URL. The sandbox serves exactly
 * these (sandbox/router.ts) and autotask_raw_request may call only these (rawPlan): zone lookup,
 * version information and anything the table does not name are not routes here.
 */
import { ENTITIES, supports, type EntityDef, type Operation } from "./entities.ts";

export type InfoKind = "entity" | "fields" | "udfs";

export type EntityRoute =
  | { kind: "info"; entity: EntityDef; info: InfoKind }
  | { kind: "query"; entity: EntityDef; count: boolean; page?: "next" | "prev" }
  | { kind: "collection"; entity: EntityDef }
  | { kind: "item"; entity: EntityDef; id: number }
  | { kind: "children"; entity: EntityDef; parentId: number }
  | { kind: "child"; entity: EntityDef; parentId: number; id: number };

/** Entity by URL segment: plural name or alias, never the singular (the API has no /Ticket/ route). */
const byPathSegment = new Map<string, EntityDef>();
/** "tickets/notes" -> TicketNotes: parent path templates with the {parentId} segment taken out. */
const childByParentPath = new Map<string, EntityDef>();
for (const def of ENTITIES) {
  byPathSegment.set(def.path.toLowerCase(), def);
  for (const alias of def.aliases ?? []) byPathSegment.set(alias.toLowerCase(), def);
  if (def.parent) {
    const [parent, , child] = def.parent.path.toLowerCase().split("/");
    childByParentPath.set(`${parent}/${child}`, def);
  }
}

const ID = /^\d+$/;
const INFO: Record<string, InfoKind> = { "": "entity", fields: "fields", userdefinedfields: "udfs" };

/** The entity route of the path segments below V1.0/ (matched case-insensitively), or undefined. */
export function entityRoute(segments: readonly string[]): EntityRoute | undefined {
  const lower = segments.map((segment) => segment.toLowerCase());
  // {Parent}/{parentId}/{Child}[/{id} | /entityInformation[/…]]
  if (segments.length >= 3 && ID.test(segments[1] ?? "")) {
    const child = childByParentPath.get(`${lower[0]}/${lower[2]}`);
    if (!child) return undefined;
    const parentId = Number(segments[1]);
    const tail = lower.slice(3);
    if (tail.length === 0) return { kind: "children", entity: child, parentId };
    if (tail.length === 1 && ID.test(tail[0] ?? "")) return { kind: "child", entity: child, parentId, id: Number(tail[0]) };
    return infoRoute(child, tail);
  }
  const entity = lower[0] === undefined ? undefined : byPathSegment.get(lower[0]);
  if (!entity) return undefined;
  const tail = lower.slice(1);
  if (tail.length === 0) return { kind: "collection", entity };
  if (tail.length === 1 && ID.test(tail[0] ?? "")) return { kind: "item", entity, id: Number(tail[0]) };
  if (tail[0] === "query") {
    const second = tail[1];
    if (tail.length === 1) return { kind: "query", entity, count: false };
    if (tail.length === 2 && second === "count") return { kind: "query", entity, count: true };
    if (tail.length === 2 && (second === "next" || second === "prev")) return { kind: "query", entity, count: false, page: second };
    return undefined;
  }
  return infoRoute(entity, tail);
}

function infoRoute(entity: EntityDef, tail: string[]): EntityRoute | undefined {
  if (tail[0] !== "entityinformation" || tail.length > 2) return undefined;
  const info = INFO[tail[1] ?? ""];
  return info ? { kind: "info", entity, info } : undefined;
}

// ---------------------------------------------------------------------------------------------
// autotask_raw_request: one request on a route of the table, with the operation it performs.

export type RawMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** The shape of a successful answer (answers.ts), by name: the client checks it before use. */
export type AnswerKind = "page" | "count" | "item" | "info" | "fields" | "itemId";

export interface RawPlan {
  method: RawMethod;
  /** The path as Autotask spells it below V1.0/ (entity table spelling, ids as given). */
  path: string;
  entity: string;
  operation: Operation | "info" | "next";
  answer: AnswerKind;
  /** Creates, updates and deletes: what read-only mode and the write allowlist govern. */
  write: boolean;
}

/** Letters and digits between single slashes: no "..", no "%", no "?", no scheme, no host. */
const SAFE_PATH = /^[A-Za-z0-9]+(\/[A-Za-z0-9]+)*$/;
/** What a path may start with and still be below V1.0/: a leading slash, /V1.0/ or /ATServicesRest/V1.0/. */
const BASE_PREFIX = /^\/?(ATServicesRest\/)?(V1\.0\/)?/i;

const ROUTES_HELP =
  "{Entity}, {Entity}/{id}, {Entity}/query, {Entity}/query/count, {Entity}/entityInformation[/fields|/userDefinedFields], {Parent}/{parentId}/{Child}[/{id}]";

/**
 * What `method path` does, or why it is refused: the path must be relative (below V1.0/), made of
 * letters, digits and slashes only, and name a route of the entity table; the method must be one
 * Autotask accepts there for an operation the entity allows (children are written through their
 * parent's URL, as Autotask requires). Reads: GET, and POST to …/query and …/query/count.
 */
export function rawPlan(method: RawMethod, path: string): RawPlan | { refusal: string } {
  const trimmed = path.trim().replace(/\/$/, "");
  const below = trimmed.replace(BASE_PREFIX, "");
  if (!SAFE_PATH.test(below)) {
    return { refusal: `path must be an Autotask REST path below V1.0/ such as Tickets/123, Companies/query or Tickets/123/Notes — letters, digits and "/" only, no host, "..", "?" or "%" (got ${JSON.stringify(path.slice(0, 100))}). Put query parameters in queryParams.` };
  }
  const segments = below.split("/");
  const route = entityRoute(segments);
  if (!route) {
    const known = byPathSegment.has(segments[0]!.toLowerCase()) || (segments.length >= 3 && ID.test(segments[1]!));
    const entities = known ? "" : ` Entities: ${ENTITIES.map((def) => def.path).join(", ")}.`;
    return { refusal: `"${below}" is not a route of the entity table; routes: ${ROUTES_HELP}.${entities}` };
  }
  const entity = route.entity;
  const canonical = canonicalPath(route, segments);
  const plan = (operation: RawPlan["operation"], answer: AnswerKind): RawPlan | { refusal: string } => {
    const needs: Operation | undefined = operation === "info" ? undefined : operation === "next" ? "query" : operation;
    if (needs && !supports(entity, needs)) return { refusal: `Autotask does not allow ${needs} on ${entity.name} (it allows: ${entity.operations.join(", ")})` };
    return { method, path: canonical, entity: entity.name, operation, answer, write: operation === "create" || operation === "update" || operation === "delete" };
  };
  const refuse = (hint: string) => ({ refusal: `${method} is not allowed on ${canonical}: ${hint}` });
  const viaParent = entity.parent ? `${entity.name} are written through ${entity.parent.path}` : undefined;
  switch (route.kind) {
    case "query":
      if (method !== "GET" && method !== "POST") return refuse("queries use POST (a JSON body) or GET with queryParams {search: …}");
      return route.page ? plan("next", "page") : route.count ? plan("count", "count") : plan("query", "page");
    case "info":
      if (method !== "GET") return refuse("entityInformation is read with GET");
      return plan("info", route.info === "entity" ? "info" : "fields");
    case "collection":
      if (viaParent && method !== "GET") return refuse(viaParent);
      if (method === "POST") return plan("create", "itemId");
      if (method === "PATCH" || method === "PUT") return plan("update", "itemId");
      return refuse(`read with ${entity.path}/query or ${entity.path}/{id}; create with POST, update with PATCH (the id in the body)`);
    case "item":
      if (method === "GET") return plan("get", "item");
      if (method === "DELETE") return viaParent ? refuse(viaParent) : plan("delete", "itemId");
      return refuse(`update with PATCH ${entity.path} (the id in the body)`);
    case "children":
      if (method === "GET") return plan("query", "page");
      if (method === "POST") return plan("create", "itemId");
      if (method === "PATCH" || method === "PUT") return plan("update", "itemId");
      return refuse(`delete with DELETE ${canonical}/{id}`);
    case "child":
      if (method === "GET") return plan("get", "item");
      if (method === "DELETE") return plan("delete", "itemId");
      return refuse(`update with PATCH ${canonical.replace(/\/\d+$/, "")} (the id in the body)`);
  }
}

/** The path with the entity table's spelling of entity and keyword segments (ids as given). */
function canonicalPath(route: EntityRoute, segments: readonly string[]): string {
  const def = route.entity;
  switch (route.kind) {
    case "children":
    case "child":
      return [def.parent!.path.replace("{parentId}", String(route.parentId)), ...(route.kind === "child" ? [String(route.id)] : [])].join("/");
    case "info":
      if (def.parent && segments.length >= 3 && ID.test(segments[1]!)) {
        return [def.parent.path.replace("{parentId}", segments[1]!), "entityInformation", ...infoTail(route.info)].join("/");
      }
      return [def.path, "entityInformation", ...infoTail(route.info)].join("/");
    case "query":
      return [def.path, "query", ...(route.count ? ["count"] : route.page ? [route.page] : [])].join("/");
    case "item":
      return `${def.path}/${route.id}`;
    case "collection":
      return def.path;
  }
}

function infoTail(info: InfoKind): string[] {
  return info === "entity" ? [] : [info === "fields" ? "fields" : "userDefinedFields"];
}
