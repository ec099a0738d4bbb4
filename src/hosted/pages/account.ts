/**
 * The account page (connection, teammates, authorized clients) and the invite page.
 */
import type { AccountRecord, ConnectionRecord, GrantRecord } from "../../store/types.ts";
import type { Resource } from "../connection.ts";
import { hidden, html, notice, page, type Html } from "./html.ts";

export interface AccountView {
  csrf: string;
  account: AccountRecord;
  connection: ConnectionRecord;
  owner: AccountRecord | undefined;
  team: AccountRecord[];
  grants: GrantRecord[];
  /** A just-created invite link to show once. */
  inviteUrl?: string;
  inviteExpires?: number;
  message?: string;
}

const when = (ms: number | null) => (ms === null ? "never" : new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC");

/** A one-button form posting to `action`. */
function button(action: string, csrf: string, label: string, fields: Record<string, string> = {}, kind = "secondary"): Html {
  return html`<form method="post" action="${action}">${hidden({ csrf, ...fields })}<button type="submit" class="${kind}">${label}</button></form>`;
}

export function accountPage(view: AccountView): Response {
  const { account, connection, csrf } = view;
  const owner = account.role === "owner";
  const acting = account.resourceId ? account.resourceName ?? `resource ${account.resourceId}` : `the API user (${connection.username})`;
  const actsAs = (person: AccountRecord) => person.resourceName ?? (person.resourceId ? `resource ${person.resourceId}` : person.role === "owner" ? "API user" : "not chosen yet");
  const team = view.team.map(
    (person) => html`<tr><td>${person.email}</td><td>${person.role === "owner" ? "owner" : "member"}</td><td>${actsAs(person)}</td>
<td>${
      owner && person.id !== account.id
        ? html`<div class="actions"><form method="get" action="/account/assign">${hidden({ account_id: person.id })}<button type="submit" class="secondary">Set resource</button></form>
${button("/account/remove-member", csrf, "Remove", { account_id: person.id }, "danger")}</div>`
        : html``
    }</td></tr>`,
  );
  const grants = view.grants.map(
    (grant) => html`<tr><td>${grant.clientName}</td><td class="mono">${safeHost(grant.redirectUri)}</td><td>${when(grant.createdAt)}</td><td>${when(grant.lastUsedAt)}</td>
<td>${button("/account/revoke", csrf, "Revoke", { grant_id: grant.id }, "danger")}</td></tr>`,
  );
  return page({
    title: "Your account",
    wide: true,
    body: html`<h1>Your account</h1>
${notice(view.message, "ok")}
<p>Signed in as <strong>${account.email}</strong>.</p>
${button("/signout", csrf, "Sign out", { return_to: "/account" })}

<h2>Autotask</h2>
<dl>
<dt>Zone</dt><dd>${connection.zoneName}</dd>
<dt>API user</dt><dd>${connection.username}</dd>
<dt>Last checked</dt><dd>${when(connection.checkedAt)}</dd>
<dt>Connected by</dt><dd>${view.owner?.email ?? "—"}</dd>
<dt>You act as</dt><dd>${acting}</dd>
</dl>
<div class="actions">
${button("/account/change-resource", csrf, "Change who I am in Autotask")}
${owner ? html`<form method="get" action="/account/credentials"><button type="submit" class="secondary">Replace credentials</button></form>
${button("/account/delete-connection", csrf, "Delete credentials", {}, "danger")}` : html``}
</div>
${owner ? html`<p class="fine">Deleting the credentials disconnects everyone on your team and revokes every client's access.</p>` : html``}

<h2>Team</h2>
<table><thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">Acts as</th><th scope="col"><span class="fine">Action</span></th></tr></thead>
<tbody>${team}</tbody></table>
${
  owner
    ? html`${view.inviteUrl ? html`<p class="notice ok" role="status">Invite link (single use, valid until ${when(view.inviteExpires ?? null)}): <code>${view.inviteUrl}</code></p>` : html``}
${button("/account/invite", csrf, "Create an invite link", {}, "")}
<p class="fine">Teammates use this Autotask connection with their own account and never see its secret.</p>`
    : html``
}

<h2>Authorized applications</h2>
${grants.length ? html`<table><thead><tr><th scope="col">Application</th><th scope="col">Returns to</th><th scope="col">Authorized</th><th scope="col">Last used</th><th scope="col"><span class="fine">Action</span></th></tr></thead><tbody>${grants}</tbody></table>` : html`<p>No application is authorized yet.</p>`}`,
  });
}

function safeHost(uri: string): string {
  try {
    return new URL(uri).host || uri;
  } catch {
    return uri;
  }
}

/** The owner assigns a teammate's Autotask resource (any active one: the owner holds the API user). */
export function assignPage(view: { csrf: string; member: AccountRecord; resources: Resource[]; error?: string; status?: number }): Response {
  const suggested = view.member.resourceId ?? view.resources.find((resource) => resource.email === view.member.email)?.id;
  const options = view.resources.map(
    (resource) => html`<option value="${resource.id}"${resource.id === suggested ? html` selected` : html``}>${resource.name}${resource.email ? ` (${resource.email})` : ""}</option>`,
  );
  return page({
    title: "Assign a resource",
    status: view.status,
    body: html`<h1>Who is ${view.member.email} in Autotask?</h1>
<p>What ${view.member.email} creates through Claude will show this person.</p>
${notice(view.error)}
<form method="post" action="/account/assign">
${hidden({ csrf: view.csrf, account_id: view.member.id })}
<div class="field">
<label for="f-resource_id">Their Autotask resource</label>
<select id="f-resource_id" name="resource_id" required>
<option value="">Choose…</option>
${options}
</select>
</div>
<div class="actions"><button type="submit">Assign</button></div>
</form>
<p><a href="/account">Back to your account</a></p>`,
  });
}

export function invitePage(view: { csrf: string; token: string; ownerEmail: string; connection: ConnectionRecord; account: AccountRecord; error?: string }): Response {
  return page({
    title: "Join your team",
    body: html`<h1>Join ${view.ownerEmail}'s Autotask</h1>
<p>${view.ownerEmail} invited you to use their Autotask connection (${view.connection.zoneName}) with your own account, <strong>${view.account.email}</strong>. You will not see its credentials; what you create shows your name.</p>
${notice(view.error)}
<form method="post" action="/invite/${view.token}">
${hidden({ csrf: view.csrf })}
<div class="actions"><button type="submit">Join</button></div>
</form>`,
  });
}
