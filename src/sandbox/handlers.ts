/** Authenticated API operations: route + method -> store / query / metadata, answered in Autotask's envelopes. */
import { supports, type EntityDef, type Operation } from "../autotask/entities.ts";
import type { Caller } from "./auth.ts";
import { entityInformation, fieldInformation, userDefinedFieldInformation } from "./fields.ts";
import { ApiError, fail, isoDate, json } from "./http.ts";
import { THRESHOLD_WINDOW_MINUTES, type Limits } from "./limits.ts";
import { MAX_PAGE, compileFilter, countMatches, readQuery, selectPage } from "./query.ts";
import type { Route } from "./router.ts";
import { QUERY_RULES } from "./rules.ts";
import { materialize } from "./store.ts";
import { createRecord, deleteRecord, notFound, updateRecord, type WriteContext } from "./write.ts";

export interface ApiCall {
  caller: Caller;
  route: Exclude<Route, { kind: "zone" | "version" | "unknown" }>;
  method: string;
  url: URL;
  /** Parsed JSON body; `bodyError` is set when the body was not JSON. */
  body: unknown;
  bodyError?: string;
  limits: Limits;
}

function notAllowed(method: string, def: EntityDef, hint = ""): never {
  throw new ApiError(405, [`The ${method} method is not supported for ${def.name}.${hint ? ` ${hint}` : ""}`]);
}

function requireOp(call: ApiCall, def: EntityDef, op: Operation): void {
  if (!supports(def, op)) notAllowed(call.method, def, `${def.name} does not support ${op}.`);
}

function parentHint(def: EntityDef): string {
  return def.parent ? `${def.name} are created, updated and deleted through ${def.parent.path}.` : "";
}

function requestBody(call: ApiCall): unknown {
  if (call.bodyError !== undefined) fail(`Error reading JSON: ${call.bodyError}`);
  return call.body;
}

function writeContext(caller: Caller): WriteContext {
  return { db: caller.db, actorId: caller.actorId, impersonatorId: caller.impersonatorId, now: isoDate(Date.now()) };
}

export function handleApi(call: ApiCall): Response {
  const { route, method, caller } = call;
  switch (route.kind) {
    case "threshold":
      if (method !== "GET") throw new ApiError(405, [`The ${method} method is not supported for ThresholdInformation.`]);
      return json({
        externalRequestThreshold: call.limits.threshold,
        requestThresholdTimeframe: THRESHOLD_WINDOW_MINUTES,
        currentTimeframeRequestCount: call.limits.used(caller.db.tenant.label),
      });
    case "info":
      if (method !== "GET") notAllowed(method, route.entity);
      if (route.info === "entity") return json(entityInformation(route.entity));
      if (route.info === "fields") return json(fieldInformation(route.entity, caller.db));
      return json(userDefinedFieldInformation(route.entity));
    case "query":
      return query(call, route.entity, route.count, route.page);
    case "collection":
      return collection(call, route.entity);
    case "item":
      return item(call, route.entity, route.id);
    case "children":
      return children(call, route.entity, route.parentId);
    case "child":
      return child(call, route.entity, route.parentId, route.id);
  }
}

function query(call: ApiCall, def: EntityDef, count: boolean, page?: "next" | "prev"): Response {
  requireOp(call, def, count ? "count" : "query");
  let searchText: string | undefined;
  let body: unknown;
  if (call.method === "GET") {
    searchText = call.url.searchParams.get("search") ?? undefined;
    if (searchText === undefined) fail("The search query parameter is required for GET queries.");
    try {
      body = JSON.parse(searchText);
    } catch {
      fail("Error reading JSON: the search parameter is not valid JSON.");
    }
  } else if (call.method === "POST") body = requestBody(call);
  else notAllowed(call.method, def, "Queries use GET ?search= or POST.");

  const spec = readQuery(def, body);
  QUERY_RULES[def.name]?.(call.caller.db, spec.filter);
  const predicate = compileFilter(def, spec.filter);
  const rows = call.caller.db.table(def.name).values();
  if (count) {
    return json({ queryCount: countMatches(rows, predicate) });
  }
  const paging = page ? readPaging(call.url) : {};
  const pageSize = spec.maxRecords ?? paging.pageSize ?? MAX_PAGE;
  const cursor = page === "next" ? { after: paging.id } : page === "prev" ? { before: paging.id } : {};
  const result = selectPage(rows, predicate, pageSize, cursor);
  const first = result.rows[0]?.id;
  const last = result.rows.at(-1)?.id;
  const link = (dir: "next" | "prev", id: number) => pageUrl(call.url, def, dir, { id, pageSize }, searchText);
  return json({
    items: result.rows.map((row) => materialize(def, row, { include: spec.include })),
    pageDetails: {
      count: result.rows.length,
      requestCount: pageSize,
      prevPageUrl: result.hasPrev && first !== undefined ? link("prev", first) : null,
      nextPageUrl: result.hasNext && last !== undefined ? link("next", last) : null,
    },
  });
}

interface PagingToken {
  id?: number;
  pageSize?: number;
}

function readPaging(url: URL): PagingToken {
  const text = url.searchParams.get("paging");
  try {
    const token = JSON.parse(text ?? "") as PagingToken;
    if (typeof token.id === "number" && (token.pageSize === undefined || typeof token.pageSize === "number")) return token;
  } catch {
    // reported below
  }
  return fail("The paging parameter is missing or invalid; use the nextPageUrl of the previous page as it is.");
}

function pageUrl(url: URL, def: EntityDef, dir: "next" | "prev", token: PagingToken, search?: string): string {
  const params = new URLSearchParams({ paging: JSON.stringify(token) });
  if (search !== undefined) params.set("search", search);
  return `${url.origin}/ATServicesRest/V1.0/${def.path}/query/${dir}?${params}`;
}

function collection(call: ApiCall, def: EntityDef): Response {
  const { method } = call;
  if (method === "POST") {
    requireOp(call, def, "create");
    if (def.parent) notAllowed(method, def, parentHint(def));
    return json({ itemId: createRecord(writeContext(call.caller), def, requestBody(call)) });
  }
  if (method === "PATCH" || method === "PUT") {
    requireOp(call, def, "update");
    if (def.parent) notAllowed(method, def, parentHint(def));
    return json({ itemId: updateRecord(writeContext(call.caller), def, requestBody(call), method) });
  }
  return notAllowed(method, def, `Use ${def.path}/query to read, or ${def.path}/{id} for one item.`);
}

function item(call: ApiCall, def: EntityDef, id: number): Response {
  const { method, caller } = call;
  if (method === "GET") {
    requireOp(call, def, "get");
    const row = caller.db.get(def.name, id);
    return json({ item: row ? materialize(def, row) : null });
  }
  if (method === "DELETE") {
    requireOp(call, def, "delete");
    if (def.parent) notAllowed(method, def, parentHint(def));
    return json({ itemId: deleteRecord(writeContext(caller), def, id) });
  }
  return notAllowed(method, def);
}

function children(call: ApiCall, def: EntityDef, parentId: number): Response {
  const { method } = call;
  const parent = def.parent;
  if (!parent) return notFound(def, parentId);
  if (method === "GET") {
    // The child list is a query on the child's parent field; its paging links are GET query URLs.
    requireOp(call, def, "query");
    const search = JSON.stringify({ filter: [{ op: "eq", field: parent.field, value: parentId }] });
    const url = new URL(call.url);
    url.search = new URLSearchParams({ search }).toString();
    return query({ ...call, url }, def, false);
  }
  if (method === "POST") {
    requireOp(call, def, "create");
    return json({ itemId: createRecord(writeContext(call.caller), def, requestBody(call), parentId) });
  }
  if (method === "PATCH" || method === "PUT") {
    requireOp(call, def, "update");
    return json({ itemId: updateRecord(writeContext(call.caller), def, requestBody(call), method, parentId) });
  }
  return notAllowed(method, def);
}

function child(call: ApiCall, def: EntityDef, parentId: number, id: number): Response {
  const { method, caller } = call;
  const parentField = def.parent?.field ?? "";
  if (method === "GET") {
    requireOp(call, def, "get");
    const row = caller.db.get(def.name, id);
    return json({ item: row && row[parentField] === parentId ? materialize(def, row, { withData: true }) : null });
  }
  if (method === "DELETE") {
    requireOp(call, def, "delete");
    return json({ itemId: deleteRecord(writeContext(caller), def, id, parentId) });
  }
  return notAllowed(method, def);
}
