/**
 * OAuth clients: who may ask for authorization, and where the answer may go.
 *
 * Two ways to be known, in the MCP spec's order of preference:
 * - a Client ID Metadata Document: the client_id is an https URL whose document describes the
 *   client (fetched and cached by cimd.ts);
 * - Dynamic Client Registration (RFC 7591): POST /register, persisted in the store so a redeploy
 *   never breaks a connected client.
 * Only public clients (token_endpoint_auth_method "none", PKCE instead of a secret) are accepted.
 */
import { z } from "zod";
import type { ClientMetadata, Store } from "../store/types.ts";
import { randomId } from "./crypto.ts";
import type { ClientMetadataFetcher } from "./cimd.ts";

/** A client as the authorization endpoint uses it. */
export interface Client {
  clientId: string;
  metadata: ClientMetadata;
  /** How it is known. */
  kind: "cimd" | "dcr";
}

export class ClientError extends Error {
  override name = "ClientError";
  constructor(
    /** RFC 7591 §3.2.2 / RFC 6749 error code. */
    readonly code: "invalid_client_metadata" | "invalid_redirect_uri" | "invalid_client",
    message: string,
    /** Set when the client could not be looked up because of a rate limit: seconds to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

// Schemes a redirect URI may never use (they run code or read local files in a browser).
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "about:", "blob:", "filesystem:"]);
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * Why a redirect URI is refused, or undefined. Allowed: https; http only to a loopback host
 * (RFC 8252 §7.3, native apps); a private-use scheme such as `cursor://…` (RFC 8252 §7.1).
 * No fragment (RFC 6749 §3.1.2).
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (!URL.canParse(uri)) return `redirect URI ${JSON.stringify(uri)} is not a URL`;
  const url = new URL(uri);
  if (url.hash || uri.includes("#")) return `redirect URI ${JSON.stringify(uri)} must not have a fragment`;
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") return LOOPBACK_HOSTS.has(url.hostname) ? undefined : `redirect URI ${JSON.stringify(uri)} must use https (http only for 127.0.0.1, [::1] or localhost)`;
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `redirect URI ${JSON.stringify(uri)} uses a forbidden scheme`;
  return undefined;
}

/**
 * Whether `requested` is one of the registered redirect URIs: exact string match, except that a
 * loopback http URI matches on any port (RFC 8252 §7.3: native apps get an ephemeral port).
 */
export function redirectUriMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  if (!URL.canParse(requested)) return false;
  const want = new URL(requested);
  if (want.protocol !== "http:" || !LOOPBACK_HOSTS.has(want.hostname)) return false;
  return registered.some((uri) => {
    if (!URL.canParse(uri)) return false;
    const have = new URL(uri);
    return have.protocol === "http:" && have.hostname === want.hostname && have.pathname === want.pathname && have.search === want.search;
  });
}

const metadataSchema = z.object({
  redirect_uris: z.array(z.string()).min(1, "redirect_uris must list at least one URI"),
  client_name: z.string().max(200).optional(),
  client_uri: z.string().max(2000).optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.string().optional(),
  scope: z.string().max(1000).optional(),
  software_id: z.string().max(200).optional(),
  software_version: z.string().max(200).optional(),
});

/**
 * Checks client metadata (a registration request or a metadata document) and returns what this
 * server records. Throws ClientError naming the field. Unknown fields are ignored (RFC 7591 §2).
 * `registration`: a DCR request asking for a client-secret method is registered as a public client
 * instead (RFC 7591 §3.2.1 lets the server replace requested values; the client reads the result);
 * a metadata document is authoritative, so there it is refused.
 */
export function checkClientMetadata(input: unknown, registration = false): ClientMetadata {
  const parsed = metadataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ClientError("invalid_client_metadata", `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  const m = parsed.data;
  for (const uri of m.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new ClientError("invalid_redirect_uri", problem);
  }
  const method = registration ? "none" : (m.token_endpoint_auth_method ?? "none");
  if (method !== "none") {
    throw new ClientError("invalid_client_metadata", `token_endpoint_auth_method must be "none" (public client with PKCE), got ${JSON.stringify(method)}`);
  }
  const grantTypes = m.grant_types ?? ["authorization_code", "refresh_token"];
  const unsupported = grantTypes.filter((grant) => grant !== "authorization_code" && grant !== "refresh_token");
  if (unsupported.length > 0 || !grantTypes.includes("authorization_code")) {
    throw new ClientError("invalid_client_metadata", `grant_types must be authorization_code (and refresh_token), got ${JSON.stringify(grantTypes)}`);
  }
  const responseTypes = m.response_types ?? ["code"];
  if (responseTypes.some((type) => type !== "code")) {
    throw new ClientError("invalid_client_metadata", `response_types must be ["code"], got ${JSON.stringify(responseTypes)}`);
  }
  const clientUri = m.client_uri && URL.canParse(m.client_uri) && new URL(m.client_uri).protocol === "https:" ? m.client_uri : undefined;
  return {
    redirect_uris: m.redirect_uris,
    grant_types: grantTypes,
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    ...(m.client_name ? { client_name: m.client_name } : {}),
    ...(clientUri ? { client_uri: clientUri } : {}),
    ...(m.scope ? { scope: m.scope } : {}),
    ...(m.software_id ? { software_id: m.software_id } : {}),
    ...(m.software_version ? { software_version: m.software_version } : {}),
  };
}

/** Client ids this server hands out through registration. */
const DCR_PREFIX = "atmcp_client_";

export class Clients {
  constructor(
    private readonly store: Store,
    private readonly documents: ClientMetadataFetcher,
  ) {}

  /** RFC 7591 §3.1: registers a public client; returns the §3.2.1 response body. */
  async register(body: unknown, now: number): Promise<Record<string, unknown>> {
    const metadata = checkClientMetadata(body, true);
    const clientId = `${DCR_PREFIX}${randomId()}`;
    await this.store.saveClient({ clientId, metadata, createdAt: now });
    return { client_id: clientId, client_id_issued_at: Math.floor(now / 1000), ...metadata };
  }

  /**
   * The client behind a client_id, or ClientError("invalid_client") saying why not. `address`: who
   * asks (a metadata document fetched for them counts against their limit).
   */
  async resolve(clientId: string, address: string): Promise<Client> {
    if (/^https:\/\//i.test(clientId)) return { clientId, metadata: await this.documents.get(clientId, address), kind: "cimd" };
    const record = clientId.startsWith(DCR_PREFIX) ? await this.store.clientById(clientId) : undefined;
    if (!record) throw new ClientError("invalid_client", `unknown client_id ${JSON.stringify(clientId.slice(0, 200))}: register first (POST /register) or use a client ID metadata document URL`);
    return { clientId, metadata: record.metadata, kind: "dcr" };
  }
}

/** A name to show for a client: its client_name, else the host of its client_id or redirect URI. */
export function clientDisplayName(client: Client): string {
  if (client.metadata.client_name) return client.metadata.client_name;
  if (client.kind === "cimd") return new URL(client.clientId).host;
  return "An unnamed application";
}
