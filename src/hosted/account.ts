/**
 * /account (what a person sees and controls: connection, teammates, authorized clients) and
 * /invite/<token> (single-use, expiring links that let a teammate share the connection).
 */
import type { AccountRecord } from "../store/types.ts";
import { hashToken, randomToken } from "./crypto.ts";
import type { HostedDeps, HostedRequest } from "./deps.ts";
import { csrfFor, nextStep, resourcesOrPage } from "./flow.ts";
import { html } from "./pages/html.ts";
import { accountPage, assignPage, invitePage } from "./pages/account.ts";
import { connectPage, messagePage, signInPage } from "./pages/steps.ts";
import { csrfRefusal, readForm, seeOther } from "./web.ts";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;
const INVITE_PREFIX = "atmcp_inv_";

/** /account and /account/*; undefined for other paths. */
export async function handleAccount(deps: HostedDeps, req: HostedRequest): Promise<Response | undefined> {
  if (req.path !== "/account" && !req.path.startsWith("/account/")) return undefined;
  const now = deps.now();
  const account = await deps.accounts.current(req.request, deps.cookies(), now);
  const { csrf, headers } = csrfFor(deps, req.request);
  if (!account) return signInPage({ csrf, headers, returnTo: "/account" });

  if (req.request.method === "GET" && req.path === "/account/credentials") {
    if (account.role !== "owner") return seeOther("/account");
    const connection = account.connectionId ? await deps.store.connectionById(account.connectionId) : undefined;
    const lead = html`<p>A new secret or integration code for the API user <strong>${connection?.username ?? ""}</strong> is checked with Autotask before it replaces the stored one; your team keeps its access.</p>
<p class="fine">To use another API user or Autotask database, delete the connection on your account page and connect again: that revokes every teammate's and application's access.</p>`;
    return connectPage({ csrf, headers, returnTo: "/account", account, replacing: true, username: connection?.username, lead });
  }
  if (req.request.method === "GET" && req.path === "/account/assign") return assign(deps, req, account, csrf, headers);
  if (req.request.method === "GET" && req.path === "/account") {
    const step = await nextStep(deps, req, account, "/account");
    if (step) return step;
    return render(deps, req, account.id);
  }
  if (req.request.method !== "POST") return messagePage("Not found", "There is no such page.", 404);

  const form = await readForm(req.request);
  if (!form) return messagePage("Bad request", "This page expects a form submission.", 400);
  const refusal = csrfRefusal(req.request, form, deps.cookies(), deps.endpoints().origin);
  if (refusal) return messagePage("Please try again", refusal, 403);
  const owner = account.role === "owner" && account.connectionId !== null;

  switch (req.path) {
    case "/account/revoke": {
      const grant = await deps.store.grantById(form.get("grant_id") ?? "");
      if (!grant || grant.accountId !== account.id) return messagePage("Not found", "That authorization does not exist.", 404);
      await deps.store.revokeGrant(grant.id, now);
      deps.audit("grant-revoked", { account: account.id, grant: grant.id, client: grant.clientId });
      return render(deps, req, account.id, `Access for ${grant.clientName} was revoked.`);
    }
    case "/account/change-resource":
      await deps.store.updateAccount(account.id, { resourceId: null, resourceName: null });
      return seeOther("/account");
    case "/account/invite": {
      if (!owner) return messagePage("Not allowed", "Only the person who connected Autotask can invite teammates.", 403);
      const token = randomToken(INVITE_PREFIX);
      await deps.store.createInvite({ hash: hashToken(token), connectionId: account.connectionId!, createdBy: account.id, createdAt: now, expiresAt: now + INVITE_TTL_MS, usedAt: null, usedBy: null });
      deps.audit("invite-created", { account: account.id, connection: account.connectionId });
      return render(deps, req, account.id, undefined, { url: deps.endpoints().url(`/invite/${token}`), expires: now + INVITE_TTL_MS });
    }
    case "/account/assign":
      return assign(deps, req, account, csrf, headers, form);
    case "/account/remove-member": {
      if (!owner) return messagePage("Not allowed", "Only the person who connected Autotask can remove teammates.", 403);
      const member = await deps.store.accountById(form.get("account_id") ?? "");
      if (!member || member.connectionId !== account.connectionId || member.id === account.id) return messagePage("Not found", "That person is not on your team.", 404);
      await deps.store.updateAccount(member.id, { connectionId: null, role: null, resourceId: null, resourceName: null });
      await deps.store.revokeGrantsOf(member.id, now);
      deps.audit("member-removed", { account: account.id, member: member.id });
      return render(deps, req, account.id, `${member.email} was removed; their applications lost access.`);
    }
    case "/account/delete-connection": {
      if (!owner) return messagePage("Not allowed", "Only the person who connected Autotask can delete its credentials.", 403);
      await deps.store.deleteConnection(account.connectionId!, now);
      deps.audit("credentials-deleted", { account: account.id, connection: account.connectionId });
      return seeOther("/account");
    }
    default:
      return messagePage("Not found", "There is no such page.", 404);
  }
}

/**
 * GET /account/assign?account_id=…: the owner's page to choose a teammate's resource; POST (with
 * `form`) assigns it. Only the owner, only for someone on their team, only an active resource.
 */
async function assign(deps: HostedDeps, req: HostedRequest, account: AccountRecord, csrf: string, headers: Headers, form?: URLSearchParams): Promise<Response> {
  if (account.role !== "owner" || !account.connectionId) return messagePage("Not allowed", "Only the person who connected Autotask can assign teammates' resources.", 403);
  const member = await deps.store.accountById((form ?? req.url.searchParams).get("account_id") ?? "");
  const connection = await deps.store.connectionById(account.connectionId);
  if (!member || !connection || member.connectionId !== connection.id || member.id === account.id) return messagePage("Not found", "That person is not on your team.", 404);
  const resources = await resourcesOrPage(deps, connection, account.id);
  if (resources instanceof Response) return resources;
  const chosen = form && resources.find((resource) => String(resource.id) === form.get("resource_id"));
  if (!chosen) {
    const response = assignPage({ csrf, member, resources, ...(form ? { error: "Choose a resource from the list.", status: 400 } : {}) });
    headers.forEach((value, key) => response.headers.append(key, value));
    return response;
  }
  await deps.store.updateAccount(member.id, { resourceId: chosen.id, resourceName: chosen.name });
  deps.audit("resource-assigned", { account: account.id, member: member.id, resource: chosen.id });
  return seeOther("/account");
}

async function render(deps: HostedDeps, req: HostedRequest, accountId: string, message?: string, invite?: { url: string; expires: number }): Promise<Response> {
  const account = (await deps.store.accountById(accountId))!;
  const connection = account.connectionId ? await deps.store.connectionById(account.connectionId) : undefined;
  if (!connection) return seeOther("/account");
  const { csrf, headers } = csrfFor(deps, req.request);
  const response = accountPage({
    csrf,
    account,
    connection,
    owner: await deps.store.accountById(connection.ownerAccountId),
    team: await deps.store.teamOf(connection.id),
    grants: await deps.store.grantsOf(account.id),
    ...(message ? { message } : {}),
    ...(invite ? { inviteUrl: invite.url, inviteExpires: invite.expires } : {}),
  });
  headers.forEach((value, key) => response.headers.append(key, value));
  return response;
}

/** GET and POST /invite/<token>; undefined for other paths. */
export async function handleInvite(deps: HostedDeps, req: HostedRequest): Promise<Response | undefined> {
  const match = /^\/invite\/([A-Za-z0-9_-]{20,100})$/.exec(req.path);
  if (!match) return undefined;
  const token = match[1]!;
  const now = deps.now();
  const invite = await deps.store.inviteByHash(hashToken(token));
  if (!invite || invite.usedAt !== null || invite.expiresAt <= now) {
    return messagePage("Invite not valid", "This invite link was already used or has expired. Ask for a new one.", 410);
  }
  const connection = await deps.store.connectionById(invite.connectionId);
  const owner = connection ? await deps.store.accountById(connection.ownerAccountId) : undefined;
  if (!connection || !owner) return messagePage("Invite not valid", "The Autotask connection of this invite no longer exists.", 410);
  const account = await deps.accounts.current(req.request, deps.cookies(), now);
  const { csrf, headers } = csrfFor(deps, req.request);
  const returnTo = `/invite/${token}`;
  if (!account) {
    return signInPage({ csrf, headers, returnTo, lead: html`<p>${owner.email} invited you to use their Autotask. Sign in, or create an account, to join.</p>` });
  }
  if (account.connectionId === connection.id) return seeOther("/account");
  if (account.connectionId) return messagePage("Already connected", "Your account already uses an Autotask connection. Sign in with another account to join this team.", 409);
  if (req.request.method === "GET") {
    const response = invitePage({ csrf, token, ownerEmail: owner.email, connection, account });
    headers.forEach((value, key) => response.headers.append(key, value));
    return response;
  }
  const form = await readForm(req.request);
  const refusal = form ? csrfRefusal(req.request, form, deps.cookies(), deps.endpoints().origin) : "This page expects a form submission.";
  if (refusal) return messagePage("Please try again", refusal, 403);
  if (!(await deps.store.useInvite(invite.hash, account.id, now))) return messagePage("Invite not valid", "This invite link was already used or has expired.", 410);
  await deps.store.updateAccount(account.id, { connectionId: connection.id, role: "member", resourceId: null, resourceName: null });
  deps.audit("invite-used", { account: account.id, connection: connection.id, invitedBy: invite.createdBy });
  return seeOther("/account");
}
