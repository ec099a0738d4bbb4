/**
 * Discovery documents. The server is its own authorization server:
 * - RFC 8414 authorization server metadata at /.well-known/oauth-authorization-server;
 * - RFC 9728 protected resource metadata at /.well-known/oauth-protected-resource/<mcp path>
 *   (and at the bare well-known path, for clients that look there), naming the MCP endpoint as
 *   the resource and this server as its authorization server;
 * - the `WWW-Authenticate: Bearer resource_metadata="…"` challenge (RFC 9728 §5.1, RFC 6750 §3).
 */
export const SCOPE = "autotask";
export const AS_METADATA_PATH = "/.well-known/oauth-authorization-server";
export const PRM_PATH = "/.well-known/oauth-protected-resource";

/** Where things are, for one public origin. */
export class Endpoints {
  constructor(
    readonly origin: string,
    /** The configured MCP path (MCP_HTTP_PATH); /mcp is served too. */
    readonly mcpPath: string,
  ) {}

  get issuer(): string {
    return this.origin;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** The MCP paths this server answers, the configured one first. */
  get mcpPaths(): string[] {
    return this.mcpPath === "/mcp" ? ["/mcp"] : [this.mcpPath, "/mcp"];
  }

  /** Resource identifiers (RFC 8707) a token may be bound to: the MCP endpoint URLs. */
  get resources(): string[] {
    return this.mcpPaths.map((path) => this.url(path));
  }

  /** The resource a request to `path` (one of mcpPaths) is for. */
  resourceFor(path: string): string {
    return this.url(this.mcpPaths.includes(path) ? path : this.mcpPath);
  }

  /** The protected resource metadata URL for an MCP path. */
  resourceMetadataUrl(path: string): string {
    return this.url(`${PRM_PATH}${this.mcpPaths.includes(path) ? path : this.mcpPath}`);
  }

  /** RFC 8414 §2. */
  authorizationServerMetadata(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: this.url("/authorize"),
      token_endpoint: this.url("/token"),
      registration_endpoint: this.url("/register"),
      revocation_endpoint: this.url("/revoke"),
      scopes_supported: [SCOPE],
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      grant_types_supported: ["authorization_code", "refresh_token"],
      token_endpoint_auth_methods_supported: ["none"],
      revocation_endpoint_auth_methods_supported: ["none"],
      code_challenge_methods_supported: ["S256"],
      // RFC 9207: the authorization response carries `iss`.
      authorization_response_iss_parameter_supported: true,
      // draft-ietf-oauth-client-id-metadata-document: an https URL may be the client_id.
      client_id_metadata_document_supported: true,
      service_documentation: this.url("/account"),
    };
  }

  /** RFC 9728 §2, for the resource at `path`. */
  protectedResourceMetadata(path: string): Record<string, unknown> {
    return {
      resource: this.resourceFor(path),
      authorization_servers: [this.issuer],
      scopes_supported: [SCOPE],
      bearer_methods_supported: ["header"],
      resource_name: "Autotask PSA (autotask-mcp)",
    };
  }

  /** The challenge on a 401 from an MCP path; `error` per RFC 6750 §3.1 when a token was sent. */
  challenge(path: string, error?: { code: "invalid_token"; description: string }): string {
    const params = [`resource_metadata="${this.resourceMetadataUrl(path)}"`, `scope="${SCOPE}"`];
    if (error) params.push(`error="${error.code}"`, `error_description="${error.description.replace(/["\\]/g, "")}"`);
    return `Bearer ${params.join(", ")}`;
  }

  /** Answers a discovery path, or undefined when `path` is not one. */
  discovery(path: string): Response | undefined {
    if (path === AS_METADATA_PATH) return discoveryJson(this.authorizationServerMetadata());
    if (path === PRM_PATH) return discoveryJson(this.protectedResourceMetadata(this.mcpPath));
    if (path.startsWith(`${PRM_PATH}/`)) {
      const resourcePath = path.slice(PRM_PATH.length);
      if (this.mcpPaths.includes(resourcePath)) return discoveryJson(this.protectedResourceMetadata(resourcePath));
    }
    return undefined;
  }
}

function discoveryJson(body: Record<string, unknown>): Response {
  // Public documents: any web client may read them (CORS), caches may keep them for a while.
  return Response.json(body, { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" } });
}
