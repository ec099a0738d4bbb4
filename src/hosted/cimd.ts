/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, MCP authorization
 * spec 2025-11-25 and later): the client_id is an https URL; its JSON document is the client's
 * registration. Fetching a URL chosen by a stranger is a server-side request forgery risk, so:
 * https only; the host must resolve to public unicast addresses only (no loopback, private,
 * link-local — cloud metadata lives there — or other special ranges; loopback only when a test
 * allows it); no redirects; a 5 s deadline; at most 16 KiB; the document's client_id must equal
 * the URL; at most LIMITS.clientDocument fetches per asking address. Documents are cached per their
 * Cache-Control (1 minute to 1 day, 5 minutes if unsaid).
 *
 * Residual risk, stated: the name is resolved once for the check and again by fetch; a DNS answer
 * that changes in between (rebinding) is not caught here. Deploy with egress filtering where that
 * matters.
 */
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { LruCache } from "../lru.ts";
import type { ClientMetadata } from "../store/types.ts";
import { checkClientMetadata, ClientError } from "./clients.ts";
import type { RateLimiter } from "./rate-limit.ts";

const MAX_BYTES = 16 * 1024;
const TIMEOUT_MS = 5_000;
const MIN_TTL_MS = 60_000;
const MAX_TTL_MS = 24 * 60 * 60_000;
const DEFAULT_TTL_MS = 5 * 60_000;

export interface FetcherOptions {
  /** Tests only (MCP_OAUTH_CIMD_ALLOW_LOOPBACK): documents may be served from loopback addresses. */
  allowLoopback: boolean;
  /** Counts the fetches each asking address causes (LIMITS.clientDocument). */
  limiter: RateLimiter;
}

export class ClientMetadataFetcher {
  private readonly cache = new LruCache<string, ClientMetadata>(1000, DEFAULT_TTL_MS);
  private readonly pending = new Map<string, Promise<ClientMetadata>>();

  constructor(private readonly options: FetcherOptions) {}

  /**
   * The checked metadata of the client whose id is `url`, for a request from `address`;
   * ClientError("invalid_client") when unusable or when `address` has had too many fetched.
   */
  get(url: string, address: string): Promise<ClientMetadata> {
    const cached = this.cache.get(url);
    if (cached) return Promise.resolve(cached);
    let pending = this.pending.get(url);
    if (!pending) {
      pending = this.fetchDocument(url, address).finally(() => this.pending.delete(url));
      this.pending.set(url, pending);
    }
    return pending;
  }

  private async fetchDocument(clientId: string, address: string): Promise<ClientMetadata> {
    const url = checkClientIdUrl(clientId);
    // From here on the URL costs outbound requests (DNS, then the fetch): counted per address.
    const wait = await this.options.limiter.hit("clientDocument", address);
    if (wait) throw new ClientError("invalid_client", `Too many client metadata documents were fetched for this address; try again in ${wait} seconds.`, wait);
    await this.checkAddresses(url);
    let response: Response;
    try {
      response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS), headers: { Accept: "application/json" } });
    } catch (error) {
      throw invalid(clientId, `could not be fetched (${(error as Error).name === "TimeoutError" ? "no answer within 5 s" : (error as Error).message})`);
    }
    if (response.status !== 200) {
      void response.body?.cancel().catch(() => {});
      throw invalid(clientId, `answered HTTP ${response.status}${response.status >= 300 && response.status < 400 ? " (redirects are not followed)" : ""}`);
    }
    const text = await readLimited(response, clientId);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw invalid(clientId, "is not JSON");
    }
    if (typeof document !== "object" || document === null || (document as { client_id?: unknown }).client_id !== clientId) {
      throw invalid(clientId, "must contain a client_id equal to its own URL");
    }
    if ("client_secret" in document) throw invalid(clientId, "must not contain a client_secret");
    let metadata: ClientMetadata;
    try {
      metadata = checkClientMetadata(document);
    } catch (error) {
      throw invalid(clientId, (error as Error).message);
    }
    const ttl = cacheLifetime(response.headers.get("cache-control"));
    if (ttl > 0) this.cache.set(clientId, metadata, ttl);
    return metadata;
  }

  private async checkAddresses(url: URL): Promise<void> {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    let addresses: string[];
    if (ipaddr.isValid(host)) addresses = [host];
    else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
      } catch {
        throw invalid(url.href, `names a host that does not resolve (${url.hostname})`);
      }
    }
    for (const address of addresses) {
      let parsed = ipaddr.parse(address);
      if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
      const range = parsed.range();
      if (range === "unicast" || (range === "loopback" && this.options.allowLoopback)) continue;
      throw invalid(url.href, `resolves to a ${range} address, which this server does not fetch from`);
    }
  }
}

/** The URL rules of a client ID metadata document's id: https, a path, no fragment, credentials or dot segments. */
function checkClientIdUrl(clientId: string): URL {
  if (!URL.canParse(clientId)) throw invalid(clientId, "is not a URL");
  const url = new URL(clientId);
  if (url.protocol !== "https:") throw invalid(clientId, "must use https");
  if (url.username || url.password) throw invalid(clientId, "must not contain user info");
  if (url.hash || clientId.includes("#")) throw invalid(clientId, "must not contain a fragment");
  if (url.pathname === "/" || /\/\.{1,2}(\/|$)/.test(clientId.replace(/^https:\/\/[^/]+/i, ""))) throw invalid(clientId, "must have a path without . or .. segments");
  return url;
}

async function readLimited(response: Response, clientId: string): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BYTES) throw invalid(clientId, `is larger than ${MAX_BYTES} bytes`);
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      void reader.cancel().catch(() => {});
      throw invalid(clientId, `is larger than ${MAX_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** How long a document may be cached, from Cache-Control; 0 for no-store/no-cache. */
function cacheLifetime(header: string | null): number {
  if (!header) return DEFAULT_TTL_MS;
  if (/\b(no-store|no-cache)\b/i.test(header)) return 0;
  const maxAge = /\bmax-age=(\d+)/i.exec(header);
  if (!maxAge) return DEFAULT_TTL_MS;
  return Math.min(MAX_TTL_MS, Math.max(MIN_TTL_MS, Number(maxAge[1]) * 1000));
}

function invalid(clientId: string, why: string): ClientError {
  return new ClientError("invalid_client", `the client ID metadata document ${JSON.stringify(clientId.slice(0, 300))} ${why}`);
}
