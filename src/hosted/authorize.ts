/**
 * The authorization endpoint (RFC 6749 §4.1 with OAuth 2.1's rules):
 * - response_type=code only; PKCE with S256 only (RFC 7636; "plain" and no challenge are refused);
 * - `resource` required and one of this server's MCP URLs (RFC 8707);
 * - redirect URIs matched exactly (loopback: any port, RFC 8252 §7.3);
 * - errors about the client or redirect URI are shown on a page, never redirected (§4.1.2.1);
 *   other errors, and the code, go back to the client with `iss` (RFC 9207) and `state` — but
 *   only once someone is signed in: before that, a redirect would make this server an open
 *   redirector for any registered client's URI (RFC 9700 §4.11.2), so the error is shown here.
 * GET shows the next page the person needs (sign in, connect, resource, consent); the consent
 * form POSTs back here with the request's parameters, which are checked again.
 */
import { randomId, hashToken, randomToken } from "./crypto.ts";
import { ClientError, clientDisplayName, redirectUriMatches, type Client } from "./clients.ts";
import type { HostedDeps, HostedRequest } from "./deps.ts";
import { csrfFor, nextStep } from "./flow.ts";
import { SCOPE } from "./metadata.ts";
import { html } from "./pages/html.ts";
import { consentPage, messagePage } from "./pages/steps.ts";
import { csrfRefusal, readForm, seeOther } from "./web.ts";

export const CODE_TTL_MS = 5 * 60_000;

/** The parameters of an authorization request, in the order they are carried through the pages. */
const PARAMS = ["response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method", "state", "resource", "scope"] as const;

interface AuthorizeRequest {
  client: Client;
  redirectUri: string;
  /** Whether the request named redirect_uri (else the one registered URI): /token compares it only then. */
  redirectUriSent: boolean;
  state?: string;
  codeChallenge: string;
  resource: string;
  scope: string;
  /** The original parameters, to carry through the pages. */
  params: Record<string, string | undefined>;
}

type Checked = { ok: true; request: AuthorizeRequest } | { ok: false; response: Response };

/** RFC 7636 §4.2: 43 to 128 unreserved characters (a base64url SHA-256 is 43). */
const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

async function check(deps: HostedDeps, source: URLSearchParams, signedIn: boolean, address: string): Promise<Checked> {
  const params: Record<string, string | undefined> = {};
  for (const name of PARAMS) {
    const values = source.getAll(name);
    // RFC 6749 §3.1: parameters must not be repeated.
    if (values.length > 1) return { ok: false, response: messagePage("Invalid request", `The parameter ${name} was sent more than once.`) };
    params[name] = values[0] || undefined;
  }
  if (!params.client_id) return { ok: false, response: messagePage("Invalid request", "The request names no client (client_id is missing).") };
  let client: Client;
  try {
    client = await deps.clients.resolve(params.client_id, address);
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    if (error.retryAfterSeconds) return { ok: false, response: tooMany(error.message, error.retryAfterSeconds) };
    return { ok: false, response: messagePage("Unknown application", error.message) };
  }
  const registered = client.metadata.redirect_uris;
  const redirectUri = params.redirect_uri ?? (registered.length === 1 ? registered[0]! : undefined);
  if (!redirectUri) return { ok: false, response: messagePage("Invalid request", "The request names no redirect_uri, and the application registered several.") };
  if (!redirectUriMatches(registered, redirectUri)) {
    return { ok: false, response: messagePage("Invalid redirect", `The redirect URI ${redirectUri} is not registered for this application. Nothing was sent to it.`) };
  }
  const back = (error: string, description: string): Checked => ({
    ok: false,
    response: signedIn ? seeOther(errorRedirect(deps, redirectUri, error, description, params.state)) : messagePage("Invalid request", `The application's request cannot be completed: ${description} (${error}).`),
  });
  if (params.response_type !== "code") return back("unsupported_response_type", "response_type must be code");
  if (!params.code_challenge) return back("invalid_request", "code_challenge is required (PKCE with S256)");
  if (params.code_challenge_method !== "S256") return back("invalid_request", "code_challenge_method must be S256");
  if (!CHALLENGE.test(params.code_challenge)) return back("invalid_request", "code_challenge must be 43 to 128 characters of base64url");
  const endpoints = deps.endpoints();
  if (!params.resource) return back("invalid_target", `resource is required (RFC 8707): ${endpoints.resourceFor(endpoints.mcpPath)}`);
  if (!endpoints.resources.includes(params.resource)) return back("invalid_target", `resource must be one of ${endpoints.resources.join(", ")}`);
  // There is one scope; others a client asks for (openid, offline_access …) are ignored, as
  // RFC 6749 §3.3 allows, and the token response says what was granted.
  return {
    ok: true,
    request: { client, redirectUri, redirectUriSent: params.redirect_uri !== undefined, codeChallenge: params.code_challenge, resource: params.resource, scope: SCOPE, params, ...(params.state ? { state: params.state } : {}) },
  };
}

/** The client's redirect URI with these parameters and `iss` (RFC 9207) added. */
function redirectWith(deps: HostedDeps, redirectUri: string, values: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) if (value !== undefined) url.searchParams.set(name, value);
  url.searchParams.set("iss", deps.endpoints().issuer);
  return url.toString();
}

function errorRedirect(deps: HostedDeps, redirectUri: string, error: string, description: string, state?: string): string {
  return redirectWith(deps, redirectUri, { error, error_description: description, state });
}

/** A CSP form-action source for a redirect URI: its origin, or its scheme for private-use schemes. */
function formTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol;
}

function tooMany(message: string, retryAfterSeconds: number): Response {
  const response = messagePage("Too many requests", message, 429);
  response.headers.set("Retry-After", String(retryAfterSeconds));
  return response;
}

/** GET and POST /authorize. */
export async function handleAuthorize(deps: HostedDeps, req: HostedRequest): Promise<Response> {
  const { request } = req;
  if (request.method !== "GET" && request.method !== "POST") return messagePage("Method not allowed", "Use GET /authorize.", 405);
  const wait = await deps.limiter.hit("authorize", req.address);
  if (wait) return tooMany(`Too many authorization requests from this address. Try again in ${wait} seconds.`, wait);
  const form = request.method === "POST" ? await readForm(request) : undefined;
  if (request.method === "POST" && !form) return messagePage("Bad request", "This page expects a form submission.", 400);
  const now = deps.now();
  const account = await deps.accounts.current(request, deps.cookies(), now);
  const checked = await check(deps, form ?? req.url.searchParams, account !== undefined, req.address);
  if (!checked.ok) return checked.response;
  const auth = checked.request;
  const returnTo = `/authorize?${new URLSearchParams(Object.entries(auth.params).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString()}`;
  const name = clientDisplayName(auth.client);
  const step = await nextStep(deps, req, account, returnTo, html`<p>Sign in to let <strong>${name}</strong> use Autotask. New here? Create an account.</p>`);
  if (step) return step;
  const connection = await deps.store.connectionById(account!.connectionId!);
  if (!connection) return messagePage("Autotask is not connected", "Your team's Autotask connection no longer exists.", 409);

  if (request.method === "GET") {
    const { csrf, headers } = csrfFor(deps, request);
    const response = consentPage({
      csrf,
      params: auth.params,
      account: account!,
      connection,
      clientName: name,
      clientId: auth.client.clientId,
      redirectHost: new URL(auth.redirectUri).host || auth.redirectUri,
      formTarget: formTarget(auth.redirectUri),
    });
    headers.forEach((value, key) => response.headers.append(key, value));
    return response;
  }

  const refusal = csrfRefusal(request, form!, deps.cookies(), deps.endpoints().origin);
  if (refusal) return messagePage("Please try again", refusal, 403);
  if (form!.get("decision") !== "allow") {
    deps.audit("consent-denied", { account: account!.id, client: auth.client.clientId });
    return seeOther(errorRedirect(deps, auth.redirectUri, "access_denied", "the user denied access", auth.state));
  }
  const grantId = randomId();
  await deps.store.createGrant({
    id: grantId,
    accountId: account!.id,
    clientId: auth.client.clientId,
    clientName: name,
    redirectUri: auth.redirectUri,
    resource: auth.resource,
    scope: auth.scope,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  });
  const code = randomToken("atmcp_code_");
  await deps.store.saveCode({
    hash: hashToken(code),
    grantId,
    clientId: auth.client.clientId,
    redirectUri: auth.redirectUriSent ? auth.redirectUri : "",
    codeChallenge: auth.codeChallenge,
    resource: auth.resource,
    scope: auth.scope,
    expiresAt: now + CODE_TTL_MS,
  });
  deps.audit("consent", { account: account!.id, client: auth.client.clientId, grant: grantId, redirectHost: new URL(auth.redirectUri).host });
  return seeOther(redirectWith(deps, auth.redirectUri, { code, state: auth.state }));
}
