/**
 * The Autotask REST client — the only code that talks to Autotask.
 *
 * One instance serves one request (one set of credentials; in stdio mode, the whole session). It
 * resolves the zone and builds URLs from the entity table (children are written through their
 * parent URL); transport.ts checks every URL, sends each request through the shared limits with
 * retries for reads only, and checks every answer's shape (answers.ts) before it is used here.
 */
import type { z } from "zod";
import type { Credentials } from "../config.ts";
import type { Coordinator } from "../coord/coordinator.ts";
import { MemoryCoordinator } from "../coord/memory.ts";
import { silentLogger, type Logger } from "../log.ts";
import { countAnswer, fieldsAnswer, infoAnswer, itemAnswer, itemIdAnswer, pageAnswer, thresholdAnswer } from "./answers.ts";
import { entity as entityDef, supports, type EntityDef, type Operation } from "./entities.ts";
import { AutotaskError } from "./errors.ts";
import { f, type Filter } from "./filter.ts";
import { rawPlan, type AnswerKind, type RawMethod } from "./routes.ts";
import { Transport } from "./transport.ts";
import type { FieldInfo, Page, QueryOptions, Row, ThresholdInfo, UdfInfo } from "./types.ts";
import { wireBody, wireFilter } from "./wire.ts";
import { normalizeApiUrl, type ZoneInfo, type ZoneResolver } from "./zone.ts";

export type { FieldInfo, Page, PicklistValue, QueryOptions, Row, ThresholdInfo, UdfInfo } from "./types.ts";

export interface ClientOptions {
  credentials: Credentials;
  /** A non-reversible fingerprint of the credentials (secret included): what the failed-login guard tracks. */
  credentialKey: string;
  zones: ZoneResolver;
  /** Host patterns credentials may be sent to (AUTOTASK_ALLOWED_API_HOSTS); every URL is checked. */
  allowedHosts: readonly string[];
  /** Thread limit, cool-downs and login guard, shared by every client of the process; a private one when absent. */
  coordinator?: Coordinator;
  /** The tenant whose hourly API budget the requests count against (see budget.ts); none: not counted. */
  usageKey?: string;
  /** Aborted when the server shuts down: requests not yet sent are not sent. */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /** Who the request is for (a client address): zone lookups of unknown names are budgeted per caller. */
  caller?: string;
  /** First backoff step; each retry doubles it (with full jitter), capped at 5 s. */
  retryBaseMs?: number;
  /** Longest Retry-After a read waits out before giving up with a rate-limited error. */
  maxRetryAfterWaitMs?: number;
  log?: Logger;
}

export class AutotaskClient {
  private readonly transport: Transport;
  private zonePromise?: Promise<ZoneInfo>;

  constructor(private readonly options: ClientOptions) {
    this.transport = new Transport({
      credentials: options.credentials,
      credentialKey: options.credentialKey,
      coordinator: options.coordinator ?? new MemoryCoordinator(),
      usageKey: options.usageKey,
      allowedHosts: options.allowedHosts,
      signal: options.signal,
      zone: () => this.zone(),
      log: (options.log ?? silentLogger).withSecrets([options.credentials.secret, options.credentials.integrationCode]),
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 300,
      maxRetryAfterWaitMs: options.maxRetryAfterWaitMs ?? 5_000,
    });
  }

  get username(): string {
    return this.options.credentials.username;
  }

  /** The resource this client acts as (sent as ImpersonationResourceId), when its credentials name one. */
  get impersonationResourceId(): number | undefined {
    return this.options.credentials.impersonationResourceId;
  }

  /** The tenant's zone: from the configured API URL, or discovered from the user name. */
  zone(): Promise<ZoneInfo> {
    this.zonePromise ??= this.resolveZone();
    return this.zonePromise;
  }

  private async resolveZone(): Promise<ZoneInfo> {
    const { apiUrl, username } = this.options.credentials;
    if (apiUrl) return { zoneName: "configured", apiUrl: normalizeApiUrl(apiUrl), discovered: false };
    try {
      return await this.options.zones.resolve(username, this.options.caller);
    } catch (error) {
      this.zonePromise = undefined; // let the next call try again
      throw error;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reads

  /** One page of a query (ascending id order, as Autotask returns it). */
  async query<T = Row>(entityName: string, options: QueryOptions): Promise<Page<T>> {
    const def = this.require(entityName, "query");
    const data = await this.transport.send({ method: "POST", path: `${def.path}/query`, body: queryBody(def, options), entity: def.name, operation: "query", answer: pageAnswer });
    return { items: data.items as T[], nextPageUrl: data.pageDetails?.nextPageUrl ?? null };
  }

  /** The page after `page`: the same body POSTed to Autotask's nextPageUrl. */
  async next<T = Row>(entityName: string, nextPageUrl: string, options: QueryOptions): Promise<Page<T>> {
    const def = this.require(entityName, "query");
    const data = await this.transport.send({ method: "POST", path: nextPageUrl, body: queryBody(def, options), entity: def.name, operation: "next", answer: pageAnswer });
    return { items: data.items as T[], nextPageUrl: data.pageDetails?.nextPageUrl ?? null };
  }

  /**
   * Every row (following nextPageUrl), up to `cap` rows; `truncated` says whether more exist. A page
   * asks for no more rows than are kept — the cap plus one, which tells whether more exist, as
   * queryRange does — so a cap of 50 reads 51 rows, not Autotask's 500.
   */
  async queryAll<T = Row>(entityName: string, options: QueryOptions, cap = 5000): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    const pageOptions = { ...options, maxRecords: Math.min(500, cap + 1, options.maxRecords ?? 500) };
    let page = await this.query<T>(entityName, pageOptions);
    for (;;) {
      items.push(...page.items);
      if (items.length >= cap) return { items: items.slice(0, cap), truncated: items.length > cap || page.nextPageUrl !== null };
      if (!page.nextPageUrl || page.items.length === 0) return { items, truncated: false };
      page = await this.next<T>(entityName, page.nextPageUrl, pageOptions);
    }
  }

  /**
   * Rows `offset … offset+limit` in id order, and whether more follow. Asks for one row more than
   * needed so "is there a next page" costs nothing, and follows nextPageUrl only past 500 rows.
   */
  async queryRange<T = Row>(entityName: string, options: QueryOptions, offset: number, limit: number): Promise<{ items: T[]; hasMore: boolean; total?: number }> {
    const wanted = offset + limit + 1;
    const pageOptions = { ...options, maxRecords: Math.min(500, wanted) };
    const rows: T[] = [];
    let page = await this.query<T>(entityName, pageOptions);
    for (;;) {
      rows.push(...page.items);
      if (rows.length >= wanted || !page.nextPageUrl || page.items.length === 0) break;
      page = await this.next<T>(entityName, page.nextPageUrl, pageOptions);
    }
    const hasMore = rows.length > offset + limit;
    // Read from the first row to the end: when nothing follows, that is every matching row.
    return { items: rows.slice(offset, offset + limit), hasMore, ...(hasMore ? {} : { total: rows.length }) };
  }

  async count(entityName: string, filter: Filter[]): Promise<number> {
    const def = this.require(entityName, "count");
    const body = { filter: filter.length ? wireFilter(def, filter) : [f.all()] };
    const data = await this.transport.send({ method: "POST", path: `${def.path}/query/count`, body, entity: def.name, operation: "count", answer: countAnswer });
    return data.queryCount;
  }

  /** One record by id, or null when Autotask answers `{"item": null}`. */
  async get<T = Row>(entityName: string, id: number): Promise<T | null> {
    const def = this.require(entityName, "get");
    const data = await this.transport.send({ method: "GET", path: `${def.path}/${id}`, entity: def.name, operation: "get", answer: itemAnswer });
    return data.item as T | null;
  }

  /** A child record through its parent URL (attachments return their `data` only this way). */
  async getChild<T = Row>(entityName: string, parentId: number, id: number): Promise<T | null> {
    const def = this.require(entityName, "get");
    const data = await this.transport.send({ method: "GET", path: `${childPath(def, parentId)}/${id}`, entity: def.name, operation: "get", answer: itemAnswer });
    return data.item as T | null;
  }

  async fieldInfo(entityName: string): Promise<FieldInfo[]> {
    const def = entityDef(entityName);
    const data = await this.transport.send({ method: "GET", path: `${def.path}/entityInformation/fields`, entity: def.name, operation: "info", answer: fieldsAnswer });
    return data.fields as unknown as FieldInfo[];
  }

  async udfInfo(entityName: string): Promise<UdfInfo[]> {
    const def = entityDef(entityName);
    const data = await this.transport.send({ method: "GET", path: `${def.path}/entityInformation/userDefinedFields`, entity: def.name, operation: "info", answer: fieldsAnswer });
    return data.fields as unknown as UdfInfo[];
  }

  async entityInfo(entityName: string): Promise<Record<string, unknown>> {
    const def = entityDef(entityName);
    const data = await this.transport.send({ method: "GET", path: `${def.path}/entityInformation`, entity: def.name, operation: "info", answer: infoAnswer });
    return data.info;
  }

  threshold(): Promise<ThresholdInfo> {
    return this.transport.send({ method: "GET", path: "ThresholdInformation", operation: "threshold", answer: thresholdAnswer });
  }

  /**
   * One request on a route of the entity table (routes.ts rawPlan), for autotask_raw_request:
   * anything else — another path, another host, a method the route does not take — is refused
   * here and nothing is sent. It goes through the same URL check, thread limit, retries (reads
   * only) and answer-shape check as every other request. `query` is added as URL parameters
   * (GET queries: `search`). Returns the answer as Autotask gave it.
   */
  async raw(method: RawMethod, path: string, options: { body?: Record<string, unknown>; query?: Record<string, string> } = {}): Promise<Record<string, unknown>> {
    const plan = rawPlan(method, path);
    if ("refusal" in plan) throw new AutotaskError("unsupported", plan.refusal, { operation: method });
    const query = options.query && Object.keys(options.query).length > 0 ? `?${new URLSearchParams(options.query)}` : "";
    return this.transport.send({ method, path: `${plan.path}${query}`, body: options.body, entity: plan.entity, operation: plan.operation, answer: RAW_ANSWERS[plan.answer] });
  }

  // ------------------------------------------------------------------------------------------
  // Writes — never retried after the request may have reached Autotask. An answer without an
  // itemId is an error saying the outcome is unknown (never an invented id).

  /** Creates a record (through the parent URL for children) and returns its id. */
  async create(entityName: string, body: Record<string, unknown>, parentId?: number): Promise<number> {
    const def = this.require(entityName, "create");
    const path = def.parent ? childPath(def, requireParentId(def, parentId ?? numberOrUndefined(body[def.parent.field]))) : def.path;
    const payload = wireBody(def, def.parent ? { ...body, [def.parent.field]: parentId ?? body[def.parent.field] } : body);
    const data = await this.transport.send({ method: "POST", path, body: payload, entity: def.name, operation: "create", answer: itemIdAnswer });
    return data.itemId;
  }

  /** PATCH: changes only the given fields. Children need their parent id; it is looked up when not given. */
  async update(entityName: string, body: Record<string, unknown> & { id: number }, parentId?: number): Promise<number> {
    const def = this.require(entityName, "update");
    const path = def.parent ? childPath(def, await this.parentIdOf(def, body.id, parentId)) : def.path;
    const data = await this.transport.send({ method: "PATCH", path, body: wireBody(def, body), entity: def.name, operation: "update", answer: itemIdAnswer });
    return data.itemId;
  }

  async delete(entityName: string, id: number, parentId?: number): Promise<number> {
    const def = this.require(entityName, "delete");
    const base = def.parent ? childPath(def, await this.parentIdOf(def, id, parentId)) : def.path;
    const data = await this.transport.send({ method: "DELETE", path: `${base}/${id}`, entity: def.name, operation: "delete", answer: itemIdAnswer });
    return data.itemId;
  }

  private async parentIdOf(def: EntityDef, id: number, given?: number): Promise<number> {
    if (given !== undefined) return given;
    const record = await this.get(def.name, id);
    const parentId = numberOrUndefined(record?.[def.parent!.field]);
    if (!record || parentId === undefined) {
      throw new AutotaskError("not-found", `${def.singular} ${id} does not exist or access is denied`, { entity: def.name });
    }
    return parentId;
  }

  private require(entityName: string, operation: Operation): EntityDef {
    const def = entityDef(entityName);
    if (!supports(def, operation)) {
      throw new AutotaskError("unsupported", `Autotask does not allow ${operation} on ${def.name} (it allows: ${def.operations.join(", ")})`, {
        entity: def.name,
        operation,
      });
    }
    return def;
  }
}


const RAW_ANSWERS: Record<AnswerKind, z.ZodType<Record<string, unknown>>> = {
  page: pageAnswer,
  count: countAnswer,
  item: itemAnswer,
  info: infoAnswer,
  fields: fieldsAnswer,
  itemId: itemIdAnswer,
};

function queryBody(def: EntityDef, options: QueryOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { filter: options.filter.length ? wireFilter(def, options.filter) : [f.all()] };
  if (options.includeFields?.length) {
    // Past 500 rows Autotask needs id among the fields to page.
    body.IncludeFields = options.includeFields.includes("id") ? options.includeFields : ["id", ...options.includeFields];
  }
  if (options.maxRecords) body.MaxRecords = Math.max(1, Math.min(500, options.maxRecords));
  return body;
}

function childPath(def: EntityDef, parentId: number): string {
  return def.parent!.path.replace("{parentId}", String(parentId));
}

function requireParentId(def: EntityDef, parentId: number | undefined): number {
  if (parentId === undefined) {
    throw new AutotaskError("validation", `${def.name} are created under their ${def.parent!.entity} record: ${def.parent!.field} is required`, {
      entity: def.name,
      operation: "create",
    });
  }
  return parentId;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
