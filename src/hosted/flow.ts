/**
 * The steps before a person can use Autotask through a client, shared by /authorize, invite links
 * and the account page: signed in → connected to Autotask → linked to their Autotask resource.
 * nextStep() renders the first missing step; the POST handlers here complete one each and send
 * the browser back to where it came from (`return_to`, a path on this server).
 */
import type { AccountRecord, ConnectionRecord } from "../store/types.ts";
import type { Resource } from "./connection.ts";
import type { HostedDeps, HostedRequest } from "./deps.ts";
import type { Html } from "./pages/html.ts";
import { connectPage, messagePage, resourcePage, signInPage } from "./pages/steps.ts";
import { csrfRefusal, csrfToken, readForm, seeOther } from "./web.ts";

const RETURN_BASE = "http://return-to.invalid";

/**
 * A path on this server to return to; anything else becomes /account. Judged as a browser reads
 * the Location: no control characters or backslashes (browsers drop tabs and newlines and read `\`
 * as `/`, so `/\t/evil.example` is `//evil.example`), and it must resolve to this origin.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/account";
  return URL.canParse(value, RETURN_BASE) && new URL(value, RETURN_BASE).origin === RETURN_BASE ? value : "/account";
}

/** The CSRF token for a page, and its Set-Cookie header when it is new. */
export function csrfFor(deps: HostedDeps, request: Request): { csrf: string; headers: Headers } {
  const { token, setCookie } = csrfToken(request, deps.cookies());
  const headers = new Headers();
  if (setCookie) headers.append("Set-Cookie", setCookie);
  return { csrf: token, headers };
}

/**
 * The page for the first step `account` still has to take before `returnTo`, or undefined when
 * it is ready (signed in, connected, resource chosen).
 */
export async function nextStep(deps: HostedDeps, req: HostedRequest, account: AccountRecord | undefined, returnTo: string, lead?: Html): Promise<Response | undefined> {
  const { csrf, headers } = csrfFor(deps, req.request);
  const ctx = { csrf, returnTo, headers, ...(lead ? { lead } : {}) };
  if (!account) return signInPage(ctx);
  if (!account.connectionId) return connectPage({ ...ctx, account });
  if (account.resourceId === null) return resourceStep(deps, account, ctx);
  return undefined;
}

/**
 * The resources `account` may choose from: any active one for the owner (who holds the API user
 * anyway); for a teammate only their own — the one with their email address — so that nobody
 * writes in someone else's name. Another resource for a teammate is the owner's to assign.
 */
export function choosable(account: AccountRecord, resources: Resource[]): Resource[] {
  return account.role === "owner" ? resources : resources.filter((resource) => resource.email === account.email);
}

async function resourceStep(deps: HostedDeps, account: AccountRecord, ctx: { csrf: string; returnTo: string; headers: Headers; error?: string; status?: number }): Promise<Response> {
  const connection = await deps.store.connectionById(account.connectionId!);
  if (!connection) return messagePage("Autotask is not connected", "Your team's Autotask connection no longer exists. Ask its owner, or connect your own.", 409);
  const resources = await resourcesOrPage(deps, connection, account.id);
  if (resources instanceof Response) return resources;
  const owner = await deps.store.accountById(connection.ownerAccountId);
  return resourcePage({ ...ctx, account, connection, resources: choosable(account, resources), ownerEmail: owner?.email ?? "the person who connected Autotask" });
}

/** POST /signin, /signout, /connect, /resource; undefined for other paths. */
export async function handleStepPost(deps: HostedDeps, req: HostedRequest): Promise<Response | undefined> {
  if (!["/signin", "/signout", "/connect", "/resource"].includes(req.path) || req.request.method !== "POST") return undefined;
  const form = await readForm(req.request);
  if (!form) return messagePage("Bad request", "This page expects a form submission.", 400);
  const refusal = csrfRefusal(req.request, form, deps.cookies(), deps.endpoints().origin);
  if (refusal) return messagePage("Please try again", refusal, 403);
  const returnTo = safeReturnTo(form.get("return_to"));
  const { csrf, headers } = csrfFor(deps, req.request);
  const now = deps.now();

  if (req.path === "/signin") {
    const email = form.get("email") ?? "";
    const password = form.get("password") ?? "";
    const signUp = form.get("action") === "signup";
    const result = signUp ? await deps.accounts.signUp(email, password, req.address, now) : await deps.accounts.signIn(email, password, req.address);
    if (!result.ok) {
      deps.audit(signUp ? "sign-up-refused" : "sign-in-failed", { address: req.address });
      if (result.retryAfterSeconds) headers.set("Retry-After", String(result.retryAfterSeconds));
      return signInPage({ csrf, returnTo, headers, email, error: result.message, status: result.retryAfterSeconds ? 429 : 401 });
    }
    deps.audit(signUp ? "sign-up" : "sign-in", { account: result.account.id, address: req.address });
    return seeOther(returnTo, [await deps.accounts.startSession(result.account.id, deps.cookies(), now)]);
  }

  const account = await deps.accounts.current(req.request, deps.cookies(), now);
  if (req.path === "/signout") {
    if (account) deps.audit("sign-out", { account: account.id });
    return seeOther(returnTo, [await deps.accounts.endSession(req.request, deps.cookies())]);
  }
  if (!account) return signInPage({ csrf, returnTo, headers, error: "Your session has ended. Sign in again.", status: 401 });

  if (req.path === "/connect") {
    if (account.connectionId && account.role !== "owner") return messagePage("Not allowed", "Only the person who connected Autotask can replace its credentials.", 403);
    const replacing = Boolean(account.connectionId);
    const wait = await deps.limiter.hit("connect", account.id);
    if (wait) return connectPage({ csrf, returnTo, headers, account, replacing, error: `Too many attempts. Try again in ${wait} seconds.`, status: 429 });
    const username = form.get("username") ?? "";
    // Whoever holds a signed-in browser must not be able to swap the team's credentials.
    if (replacing && !(await deps.accounts.checkPassword(account, form.get("password") ?? ""))) {
      deps.audit("credentials-refused", { account: account.id, reason: "password" });
      return connectPage({ csrf, returnTo, headers, account, username, replacing, error: "Enter your own password (the one you sign in with) to replace the credentials.", status: 403 });
    }
    const result = await deps.connections.connect(account, { username, secret: form.get("secret") ?? "", integrationCode: form.get("integration_code") ?? "" }, now, req.address);
    if (!result.ok) {
      deps.audit("credentials-refused", { account: account.id });
      return connectPage({ csrf, returnTo, headers, account, username, error: result.message, status: 400, replacing });
    }
    deps.audit("credentials-saved", { account: account.id, connection: result.connection.id, zone: result.connection.zoneName, keyId: result.connection.keyId });
    return seeOther(returnTo);
  }

  // /resource
  if (!account.connectionId) return seeOther(returnTo);
  const raw = form.get("resource_id") ?? "";
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  const connection = await deps.store.connectionById(account.connectionId);
  if (!connection) return seeOther(returnTo);
  if (id === 0 && account.role === "owner") {
    await deps.store.updateAccount(account.id, { resourceId: 0, resourceName: null });
    deps.audit("resource-linked", { account: account.id, resource: 0 });
    return seeOther(returnTo);
  }
  const resources = await deps.connections.activeResources(connection).catch(() => undefined);
  const chosen = resources?.find((resource) => resource.id === id);
  if (!chosen) return resourceStep(deps, account, { csrf, returnTo, headers, error: "Choose your Autotask resource from the list.", status: 400 });
  if (!choosable(account, [chosen]).length) {
    return resourceStep(deps, account, { csrf, returnTo, headers, error: `As a teammate you can choose only your own Autotask resource: the one with your email address (${account.email}). The owner can assign another on their account page.`, status: 400 });
  }
  await deps.store.updateAccount(account.id, { resourceId: chosen.id, resourceName: chosen.name });
  deps.audit("resource-linked", { account: account.id, resource: chosen.id });
  return seeOther(returnTo);
}

/** The team's active Autotask resources, or the page saying Autotask did not answer (logged, no secret). */
export async function resourcesOrPage(deps: HostedDeps, connection: ConnectionRecord, accountId: string): Promise<Resource[] | Response> {
  try {
    return await deps.connections.activeResources(connection);
  } catch (error) {
    deps.log.warn("could not list Autotask resources", { account: accountId, error: (error as Error).message });
    return messagePage("Autotask did not answer", "The list of Autotask resources could not be loaded. Try again in a moment.", 502);
  }
}
