/**
 * The Autotask REST client — the only code that talks to Autotask.
 *
 * One instance serves one tenant (one set of credentials). It resolves the zone, builds URLs from
 * the entity table (children are written through their parent URL), and sends every request through
 * the tenant's gate (3 in flight, auth pause, 429 cool-down). Reads — GETs and query/count POSTs,
 * which change nothing — are retried with exponential backoff and jitter on 429/502/503/504, timeouts
 * and network errors. Writes are sent once: a create that timed out may have happened, so it is
 * reported, never repeated.
 */
import { ofetch } from "ofetch";
import type { Credentials } from "../config.ts";
import { silentLogger, type Logger } from "../log.ts";
import { VERSION } from "../version.ts";
import { entity as entityDef, supports, type EntityDef, type Operation } from "./entities.ts";
import { AutotaskError, fromResponse } from "./errors.ts";
import { f, type Filter } from "./filter.ts";
import { TenantGate } from "./gate.ts";
import { normalizeApiUrl, type ZoneInfo, type ZoneResolver } from "./zone.ts";

export type Row = Record<string, unknown> & { id: number };

export interface QueryOptions {
  filter: Filter[];
  includeFields?: string[];
  /** Page size, 1–500 (Autotask's default and maximum is 500). */
  maxRecords?: number;
}

export interface Page<T = Row> {
  items: T[];
  nextPageUrl: string | null;
}

export interface FieldInfo {
  name: string;
  dataType: string;
  length: number;
  isRequired: boolean;
  isReadOnly: boolean;
  isQueryable: boolean;
  isReference: boolean;
  referenceEntityType: string;
  isPickList: boolean;
  picklistValues: PicklistValue[] | null;
  picklistParentValueField: string;
}

export interface PicklistValue {
  value: string;
  label: string;
  isDefaultValue: boolean;
  sortOrder: number;
  parentValue: string;
  isActive: boolean;
  isSystem: boolean;
}

export interface ThresholdInfo {
  externalRequestThreshold: number;
  requestThresholdTimeframe: number;
  currentTimeframeRequestCount: number;
}

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

interface Send {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path below V1.0/ (or an absolute nextPageUrl on the same zone). */
  path: string;
  body?: unknown;
  entity?: string;
  operation: Operation | "info" | "threshold" | "next";
}

const READ_OPERATIONS = new Set<Send["operation"]>(["query", "count", "get", "info", "threshold", "next"]);
const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export class AutotaskClient {
  readonly gate: TenantGate;
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryAfterWaitMs: number;
  private zonePromise?: Promise<ZoneInfo>;

  constructor(private readonly options: ClientOptions) {
    this.gate = options.gate ?? new TenantGate();
    this.log = (options.log ?? silentLogger).withSecrets([options.credentials.secret, options.credentials.integrationCode]);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 300;
    this.maxRetryAfterWaitMs = options.maxRetryAfterWaitMs ?? 5_000;
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
    const body = queryBody(options);
    const data = await this.send<{ items?: T[]; pageDetails?: { nextPageUrl?: string | null } }>({
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
    const data = await this.send<{ items?: T[]; pageDetails?: { nextPageUrl?: string | null } }>({
      method: "POST",
      path: nextPageUrl,
      body: queryBody(options),
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
  async queryRange<T = Row>(entityName: string, options: QueryOptions, offset: number, limit: number): Promise<{ items: T[]; hasMore: boolean }> {
    const wanted = offset + limit + 1;
    const pageOptions = { ...options, maxRecords: Math.min(500, wanted) };
    const rows: T[] = [];
    let page = await this.query<T>(entityName, pageOptions);
    for (;;) {
      rows.push(...page.items);
      if (rows.length >= wanted || !page.nextPageUrl || page.items.length === 0) break;
      page = await this.next<T>(entityName, page.nextPageUrl, pageOptions);
    }
    return { items: rows.slice(offset, offset + limit), hasMore: rows.length > offset + limit };
  }

  async count(entityName: string, filter: Filter[]): Promise<number> {
    const def = this.require(entityName, "count");
    const data = await this.send<{ queryCount?: number }>({
      method: "POST",
      path: `${def.path}/query/count`,
      body: { filter: filter.length ? filter : [f.all()] },
      entity: def.name,
      operation: "count",
    });
    return data.queryCount ?? 0;
  }

  /** One record by id, or null when Autotask answers `{"item": null}`. */
  async get<T = Row>(entityName: string, id: number): Promise<T | null> {
    const def = this.require(entityName, "get");
    const data = await this.send<{ item?: T | null }>({ method: "GET", path: `${def.path}/${id}`, entity: def.name, operation: "get" });
    return data.item ?? null;
  }

  /** A child record through its parent URL (attachments return their `data` only this way). */
  async getChild<T = Row>(entityName: string, parentId: number, id: number): Promise<T | null> {
    const def = this.require(entityName, "get");
    const data = await this.send<{ item?: T | null }>({ method: "GET", path: `${childPath(def, parentId)}/${id}`, entity: def.name, operation: "get" });
    return data.item ?? null;
  }

  async fieldInfo(entityName: string): Promise<FieldInfo[]> {
    const def = entityDef(entityName);
    const data = await this.send<{ fields?: FieldInfo[] }>({ method: "GET", path: `${def.path}/entityInformation/fields`, entity: def.name, operation: "info" });
    return data.fields ?? [];
  }

  async udfInfo(entityName: string): Promise<Array<FieldInfo & { label?: string }>> {
    const def = entityDef(entityName);
    const data = await this.send<{ fields?: Array<FieldInfo & { label?: string }> }>({
      method: "GET",
      path: `${def.path}/entityInformation/userDefinedFields`,
      entity: def.name,
      operation: "info",
    });
    return data.fields ?? [];
  }

  async entityInfo(entityName: string): Promise<Record<string, unknown>> {
    const def = entityDef(entityName);
    const data = await this.send<{ info?: Record<string, unknown> }>({ method: "GET", path: `${def.path}/entityInformation`, entity: def.name, operation: "info" });
    return data.info ?? {};
  }

  threshold(): Promise<ThresholdInfo> {
    return this.send<ThresholdInfo>({ method: "GET", path: "ThresholdInformation", operation: "threshold" });
  }

  // ------------------------------------------------------------------------------------------
  // Writes — never retried after the request may have reached Autotask.

  /** Creates a record (through the parent URL for children) and returns its id. */
  async create(entityName: string, body: Record<string, unknown>, parentId?: number): Promise<number> {
    const def = this.require(entityName, "create");
    const path = def.parent ? childPath(def, requireParentId(def, parentId ?? numberOrUndefined(body[def.parent.field]))) : def.path;
    const payload = def.parent ? { ...body, [def.parent.field]: parentId ?? body[def.parent.field] } : body;
    const data = await this.send<{ itemId?: number }>({ method: "POST", path, body: payload, entity: def.name, operation: "create" });
    return data.itemId ?? 0;
  }

  /** PATCH: changes only the given fields. Children need their parent id; it is looked up when not given. */
  async update(entityName: string, body: Record<string, unknown> & { id: number }, parentId?: number): Promise<number> {
    const def = this.require(entityName, "update");
    const path = def.parent ? childPath(def, await this.parentIdOf(def, body.id, parentId)) : def.path;
    const data = await this.send<{ itemId?: number }>({ method: "PATCH", path, body, entity: def.name, operation: "update" });
    return data.itemId ?? body.id;
  }

  async delete(entityName: string, id: number, parentId?: number): Promise<number> {
    const def = this.require(entityName, "delete");
    const base = def.parent ? childPath(def, await this.parentIdOf(def, id, parentId)) : def.path;
    const data = await this.send<{ itemId?: number }>({ method: "DELETE", path: `${base}/${id}`, entity: def.name, operation: "delete" });
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

  // ------------------------------------------------------------------------------------------
  // Transport

  private async send<T>(request: Send): Promise<T> {
    const { gate } = this;
    const { credentialKey } = this.options;
    gate.checkAuthPause(credentialKey);
    const zone = await this.zone();
    const url = resolveUrl(zone.apiUrl, request.path);
    const isRead = READ_OPERATIONS.has(request.operation);
    const context = { entity: request.entity, operation: request.operation };

    for (let attempt = 0; ; attempt++) {
      const canRetry = isRead && attempt < this.maxRetries;
      await this.waitOutCooldown(isRead, context);
      const started = performance.now();
      let response;
      try {
        response = await gate.run(() =>
          ofetch.raw(url, {
            method: request.method,
            headers: this.headers(),
            body: request.body as Record<string, unknown> | undefined,
            timeout: this.timeoutMs,
            retry: 0,
            ignoreResponseError: true,
            responseType: "json",
          }),
        );
      } catch (error) {
        const failure = transportError(error, request, this.timeoutMs);
        this.log.debug("autotask request failed", { method: request.method, path: pathOf(url), attempt, error: failure.message });
        if (canRetry) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw failure;
      }
      const ms = Math.round(performance.now() - started);
      this.log.debug("autotask request", { method: request.method, path: pathOf(url), status: response.status, ms, attempt });
      if (response.ok) {
        gate.noteAuthSuccess(credentialKey);
        return (response._data ?? {}) as T;
      }
      const retryAfterSeconds = response.status === 429 ? retryAfter(response.headers.get("retry-after")) : undefined;
      const failure = fromResponse(response.status, response._data, { ...context, retryAfterSeconds });
      if (response.status === 401) gate.noteAuthFailure(credentialKey, failure);
      if (response.status === 429) gate.noteRateLimited(retryAfterSeconds!);
      if (canRetry && RETRY_STATUSES.has(response.status)) {
        if (response.status !== 429) await sleep(this.backoff(attempt));
        continue;
      }
      throw failure;
    }
  }

  /** During a 429 cool-down, a read waits when the wait is short; anything else fails with the wait time. */
  private async waitOutCooldown(isRead: boolean, context: { entity?: string; operation: string }): Promise<void> {
    const remaining = this.gate.cooldownRemainingMs();
    if (remaining === 0) return;
    if (isRead && remaining <= this.maxRetryAfterWaitMs) {
      await sleep(remaining + Math.random() * 100);
      return;
    }
    const seconds = Math.ceil(remaining / 1000);
    throw new AutotaskError("rate-limited", `Autotask is rate-limiting this integration. Retry after ${seconds} seconds.`, {
      status: 429,
      retryAfterSeconds: seconds,
      ...context,
    });
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(5_000, this.retryBaseMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  private headers(): Record<string, string> {
    const { username, secret, integrationCode, impersonationResourceId } = this.options.credentials;
    const headers: Record<string, string> = {
      ApiIntegrationCode: integrationCode,
      UserName: username,
      Secret: secret,
      Accept: "application/json",
      "User-Agent": `autotask-mcp/${VERSION}`,
    };
    if (impersonationResourceId) headers.ImpersonationResourceId = String(impersonationResourceId);
    return headers;
  }
}

function queryBody(options: QueryOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { filter: options.filter.length ? options.filter : [f.all()] };
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

/**
 * Joins a path onto the zone base. An absolute URL (nextPageUrl) must stay on the zone's origin:
 * the request carries the tenant's secret, so a response must never be able to send it elsewhere.
 */
function resolveUrl(apiUrl: string, path: string): string {
  if (!/^https?:\/\//i.test(path)) return `${apiUrl}${path}`;
  if (new URL(path).origin !== new URL(apiUrl).origin) {
    throw new AutotaskError("validation", "Autotask returned a next-page URL on another host; refusing to follow it");
  }
  return path;
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function retryAfter(header: string | null): number {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - Date.now()) / 1000));
  }
  return 30;
}

function transportError(error: unknown, request: Send, timeoutMs: number): AutotaskError {
  const err = error as { name?: string; message?: string; cause?: { name?: string } };
  const timedOut = err.name === "TimeoutError" || err.cause?.name === "TimeoutError" || /timeout|timed out|aborted/i.test(err.message ?? "");
  const isWrite = !READ_OPERATIONS.has(request.operation);
  const caveat = isWrite
    ? " The request may have reached Autotask: check whether the change happened before trying again."
    : "";
  const context = { entity: request.entity, operation: request.operation };
  if (timedOut) {
    return new AutotaskError("timeout", `Autotask did not answer within ${Math.round(timeoutMs / 1000)} seconds.${caveat}`, context);
  }
  return new AutotaskError("network", `Could not reach Autotask: ${err.message ?? "network error"}.${caveat}`, context);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
