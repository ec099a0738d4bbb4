/**
 * The Autotask REST client — the only code that talks to Autotask.
 *
 * One instance serves one tenant (one set of credentials). It resolves the zone and builds URLs
 * from the entity table (children are written through their parent URL); transport.ts sends each
 * request through the tenant's gate with retries for reads only.
 */
import type { Credentials } from "../config.ts";
import { silentLogger, type Logger } from "../log.ts";
import { entity as entityDef, supports, type EntityDef, type Operation } from "./entities.ts";
import { AutotaskError } from "./errors.ts";
import { f, type Filter } from "./filter.ts";
import { TenantGate } from "./gate.ts";
import { Transport } from "./transport.ts";
import type { FieldInfo, Page, QueryOptions, Row, ThresholdInfo, UdfInfo } from "./types.ts";
import { wireBody, wireFilter } from "./wire.ts";
import { normalizeApiUrl, type ZoneInfo, type ZoneResolver } from "./zone.ts";

export type { FieldInfo, Page, PicklistValue, QueryOptions, Row, ThresholdInfo, UdfInfo } from "./types.ts";

export interface ClientOptions {
  credentials: Credentials;
  /** A non-reversible fingerprint of the credentials (secret included): what a 401 pause is keyed by. */
  credentialKey: string;
  zones: ZoneResolver;
  gate?: TenantGate;
  timeoutMs?: number;
  maxRetries?: number;
  /** First backoff step; each retry doubles it (with full jitter), capped at 5 s. */
  retryBaseMs?: number;
  /** Longest Retry-After a read waits out before giving up with a rate-limited error. */
  maxRetryAfterWaitMs?: number;
  log?: Logger;
}

export class AutotaskClient {
  readonly gate: TenantGate;
  private readonly transport: Transport;
  private zonePromise?: Promise<ZoneInfo>;

  constructor(private readonly options: ClientOptions) {
    this.gate = options.gate ?? new TenantGate();
    this.transport = new Transport({
      credentials: options.credentials,
      credentialKey: options.credentialKey,
      gate: this.gate,
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

  /** The tenant's zone: from the configured API URL, or discovered from the user name. */
  zone(): Promise<ZoneInfo> {
    this.zonePromise ??= this.resolveZone();
    return this.zonePromise;
  }

  private async resolveZone(): Promise<ZoneInfo> {
    const { apiUrl, username } = this.options.credentials;
    if (apiUrl) return { zoneName: "configured", apiUrl: normalizeApiUrl(apiUrl) };
    try {
      return await this.options.zones.resolve(username);
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
    const body = queryBody(def, options);
    const data = await this.transport.send<{ items?: T[]; pageDetails?: { nextPageUrl?: string | null } }>({
      method: "POST",
      path: `${def.path}/query`,
      body,
      entity: def.name,
      operation: "query",
    });
    return { items: data.items ?? [], nextPageUrl: data.pageDetails?.nextPageUrl ?? null };
  }

  /** The page after `page`: the same body POSTed to Autotask's nextPageUrl. */
  async next<T = Row>(entityName: string, nextPageUrl: string, options: QueryOptions): Promise<Page<T>> {
    const def = this.require(entityName, "query");
    const data = await this.transport.send<{ items?: T[]; pageDetails?: { nextPageUrl?: string | null } }>({
      method: "POST",
      path: nextPageUrl,
      body: queryBody(def, options),
      entity: def.name,
      operation: "next",
    });
    return { items: data.items ?? [], nextPageUrl: data.pageDetails?.nextPageUrl ?? null };
  }

  /** Every row (following nextPageUrl), up to `cap` rows; `truncated` says whether more exist. */
  async queryAll<T = Row>(entityName: string, options: QueryOptions, cap = 5000): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    const pageOptions = { ...options, maxRecords: Math.min(500, options.maxRecords ?? 500) };
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
    const data = await this.transport.send<{ queryCount?: number }>({
      method: "POST",
      path: `${def.path}/query/count`,
      body: { filter: filter.length ? wireFilter(def, filter) : [f.all()] },
      entity: def.name,
      operation: "count",
    });
    return data.queryCount ?? 0;
  }

  /** One record by id, or null when Autotask answers `{"item": null}`. */
  async get<T = Row>(entityName: string, id: number): Promise<T | null> {
    const def = this.require(entityName, "get");
    const data = await this.transport.send<{ item?: T | null }>({ method: "GET", path: `${def.path}/${id}`, entity: def.name, operation: "get" });
    return data.item ?? null;
  }

  /** A child record through its parent URL (attachments return their `data` only this way). */
  async getChild<T = Row>(entityName: string, parentId: number, id: number): Promise<T | null> {
    const def = this.require(entityName, "get");
    const data = await this.transport.send<{ item?: T | null }>({ method: "GET", path: `${childPath(def, parentId)}/${id}`, entity: def.name, operation: "get" });
    return data.item ?? null;
  }

  async fieldInfo(entityName: string): Promise<FieldInfo[]> {
    const def = entityDef(entityName);
    const data = await this.transport.send<{ fields?: FieldInfo[] }>({ method: "GET", path: `${def.path}/entityInformation/fields`, entity: def.name, operation: "info" });
    return data.fields ?? [];
  }

  async udfInfo(entityName: string): Promise<UdfInfo[]> {
    const def = entityDef(entityName);
    const data = await this.transport.send<{ fields?: UdfInfo[] }>({
      method: "GET",
      path: `${def.path}/entityInformation/userDefinedFields`,
      entity: def.name,
      operation: "info",
    });
    return data.fields ?? [];
  }

  async entityInfo(entityName: string): Promise<Record<string, unknown>> {
    const def = entityDef(entityName);
    const data = await this.transport.send<{ info?: Record<string, unknown> }>({ method: "GET", path: `${def.path}/entityInformation`, entity: def.name, operation: "info" });
    return data.info ?? {};
  }

  threshold(): Promise<ThresholdInfo> {
    return this.transport.send<ThresholdInfo>({ method: "GET", path: "ThresholdInformation", operation: "threshold" });
  }

  // ------------------------------------------------------------------------------------------
  // Writes — never retried after the request may have reached Autotask.

  /** Creates a record (through the parent URL for children) and returns its id. */
  async create(entityName: string, body: Record<string, unknown>, parentId?: number): Promise<number> {
    const def = this.require(entityName, "create");
    const path = def.parent ? childPath(def, requireParentId(def, parentId ?? numberOrUndefined(body[def.parent.field]))) : def.path;
    const payload = wireBody(def, def.parent ? { ...body, [def.parent.field]: parentId ?? body[def.parent.field] } : body);
    const data = await this.transport.send<{ itemId?: number }>({ method: "POST", path, body: payload, entity: def.name, operation: "create" });
    return data.itemId ?? 0;
  }

  /** PATCH: changes only the given fields. Children need their parent id; it is looked up when not given. */
  async update(entityName: string, body: Record<string, unknown> & { id: number }, parentId?: number): Promise<number> {
    const def = this.require(entityName, "update");
    const path = def.parent ? childPath(def, await this.parentIdOf(def, body.id, parentId)) : def.path;
    const data = await this.transport.send<{ itemId?: number }>({ method: "PATCH", path, body: wireBody(def, body), entity: def.name, operation: "update" });
    return data.itemId ?? body.id;
  }

  async delete(entityName: string, id: number, parentId?: number): Promise<number> {
    const def = this.require(entityName, "delete");
    const base = def.parent ? childPath(def, await this.parentIdOf(def, id, parentId)) : def.path;
    const data = await this.transport.send<{ itemId?: number }>({ method: "DELETE", path: `${base}/${id}`, entity: def.name, operation: "delete" });
    return data.itemId ?? id;
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
