/**
 * The pages a person passes through, whether they arrive from an MCP client (/authorize), an
 * invite link or the account page: sign in or create an account, connect Autotask, choose their
 * Autotask resource, and (for a client) consent. Each is a plain form that posts back to us.
 */
import type { AccountRecord, ConnectionRecord } from "../../store/types.ts";
import type { Resource } from "../connection.ts";
import { field, hidden, html, notice, page, type Html } from "./html.ts";

export interface StepContext {
  /** Where the form returns to after success (a path on this server). */
  returnTo: string;
  csrf: string;
  /** A line above the form saying why the person is here. */
  lead?: Html;
  error?: string;
  status?: number;
  headers?: Headers;
}

function form(action: string, ctx: StepContext, inner: Html): Html {
  return html`<form method="post" action="${action}" novalidate>
${hidden({ csrf: ctx.csrf, return_to: ctx.returnTo })}
${inner}
</form>`;
}

export function signInPage(ctx: StepContext & { email?: string }): Response {
  return page({
    title: "Sign in",
    status: ctx.status,
    headers: ctx.headers,
    body: html`<h1>Sign in</h1>
${ctx.lead ?? html`<p>Sign in to your Autotask MCP account, or create one.</p>`}
${notice(ctx.error)}
${form(
  "/signin",
  ctx,
  html`${field({ name: "email", label: "Email", type: "email", value: ctx.email, autocomplete: "username" })}
${field({ name: "password", label: "Password", type: "password", autocomplete: "current-password", hint: "New accounts: at least 10 characters." })}
<div class="actions">
<button type="submit" name="action" value="signin">Sign in</button>
<button type="submit" name="action" value="signup" class="secondary">Create account</button>
</div>`,
)}`,
  });
}

export function connectPage(ctx: StepContext & { account: AccountRecord; username?: string; replacing?: boolean }): Response {
  return page({
    title: "Connect Autotask",
    status: ctx.status,
    headers: ctx.headers,
    body: html`<h1>${ctx.replacing ? "Replace Autotask credentials" : "Connect Autotask"}</h1>
${ctx.lead ?? html`<p>Enter the credentials of your Autotask <strong>API user</strong> once. They are checked with Autotask, then stored encrypted; every device you sign in from uses them.</p>`}
<p class="fine">Signed in as ${ctx.account.email}. Joining a colleague's Autotask instead? Open the invite link they sent you.</p>
${notice(ctx.error)}
${form(
  "/connect",
  ctx,
  html`${field({ name: "username", label: "API user name", value: ctx.username, hint: "The API-only user's user name, e.g. api@yourcompany.com" })}
${field({ name: "secret", label: "Secret", type: "password", autocomplete: "new-password" })}
${field({ name: "integration_code", label: "Integration code", type: "password", autocomplete: "off", hint: "The API tracking identifier of your integration." })}
${ctx.replacing ? field({ name: "password", label: "Your password", type: "password", autocomplete: "current-password", hint: "The password you sign in with here, to confirm it is you." }) : html``}
<div class="actions"><button type="submit">Check and save</button></div>`,
)}`,
  });
}

/**
 * "Who are you in Autotask?": `resources` are the ones this person may choose (see flow.ts
 * choosable). A teammate with none is sent to the owner (`ownerEmail`), who assigns one.
 */
export function resourcePage(ctx: StepContext & { account: AccountRecord; connection: ConnectionRecord; resources: Resource[]; ownerEmail: string }): Response {
  const owner = ctx.account.role === "owner";
  if (!owner && ctx.resources.length === 0) {
    return page({
      title: "Who are you in Autotask?",
      status: ctx.status,
      headers: ctx.headers,
      body: html`<h1>Who are you in Autotask?</h1>
<p>Tickets, notes and time you create through Claude show the Autotask resource you act as.</p>
${notice(ctx.error ?? `No active Autotask resource has your email address (${ctx.account.email}). Ask ${ctx.ownerEmail} to assign your resource on their account page, then open this page again.`)}
<form method="post" action="/signout">${hidden({ csrf: ctx.csrf, return_to: "/account" })}<div class="actions"><button type="submit" class="secondary">Sign out</button></div></form>`,
    });
  }
  const suggested = ctx.account.resourceId ?? ctx.resources.find((resource) => resource.email === ctx.account.email)?.id;
  const options = ctx.resources.map(
    (resource) => html`<option value="${resource.id}"${resource.id === suggested ? html` selected` : html``}>${resource.name}${resource.email ? ` (${resource.email})` : ""}</option>`,
  );
  return page({
    title: "Who are you in Autotask?",
    status: ctx.status,
    headers: ctx.headers,
    body: html`<h1>Who are you in Autotask?</h1>
<p>Tickets, notes and time you create through Claude will show this person, not the API user ${ctx.connection.username}.</p>
${notice(ctx.error)}
${form(
  "/resource",
  ctx,
  html`<div class="field">
<label for="f-resource_id">Your Autotask resource</label>
<select id="f-resource_id" name="resource_id" required>
${owner ? html`<option value="0"${suggested === undefined || suggested === 0 ? html` selected` : html``}>None: act as the API user</option>` : html`<option value="">Choose…</option>`}
${options}
</select>
${suggested ? html`<p class="hint">Suggested from your email address.</p>` : html``}
</div>
<div class="actions"><button type="submit">Continue</button></div>`,
)}`,
  });
}

export interface ConsentView {
  csrf: string;
  params: Record<string, string | undefined>;
  account: AccountRecord;
  connection: ConnectionRecord;
  clientName: string;
  clientId: string;
  redirectHost: string;
  /** CSP form-action source for the redirect URI. */
  formTarget: string;
}

export function consentPage(view: ConsentView): Response {
  const acting = view.account.resourceName ?? `the API user ${view.connection.username}`;
  return page({
    title: "Allow access",
    formTargets: [view.formTarget],
    body: html`<h1>Allow ${view.clientName} to use Autotask?</h1>
<p><strong>${view.clientName}</strong> will be able to read and change data in Autotask (${view.connection.zoneName}) as ${acting}, with the tools this server offers.</p>
<dl>
<dt>Application</dt><dd>${view.clientName}${view.clientId.startsWith("https://") ? html` <span class="fine mono">(${view.clientId})</span>` : html``}</dd>
<dt>Returns to</dt><dd class="mono">${view.redirectHost}</dd>
<dt>Account</dt><dd>${view.account.email}</dd>
</dl>
<form method="post" action="/authorize">
${hidden({ ...view.params, csrf: view.csrf })}
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>
<p class="fine">You can revoke this at any time on your <a href="/account">account page</a>.</p>`,
  });
}

/** A page that only says something went wrong (and what to do). */
export function messagePage(title: string, message: string, status = 400): Response {
  return page({ title, status, body: html`<h1>${title}</h1>${notice(message)}<p><a href="/account">Your account</a></p>` });
}
