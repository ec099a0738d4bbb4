/**
 * A team's Autotask connection: checked against Autotask before it is stored (zone lookup plus one
 * cheap authenticated call), sealed with the key ring, opened per request into Credentials.
 */
import { apiUrlRefusal } from "../autotask/allowlist.ts";
import { checkConnection } from "../autotask/connection.ts";
import { AutotaskError } from "../autotask/errors.ts";
import { f } from "../autotask/filter.ts";
import type { Config, Credentials } from "../config.ts";
import type { Runtime } from "../context.ts";
import type { AccountRecord, ConnectionRecord, Store } from "../store/types.ts";
import { randomId, type KeyRing } from "./crypto.ts";

export interface CredentialInput {
  username: string;
  secret: string;
  integrationCode: string;
}

export interface Resource {
  id: number;
  name: string;
  email: string;
}

/** What the page says when Autotask refuses, by kind. Never repeats a secret. */
const REFUSALS: Partial<Record<AutotaskError["kind"], string>> = {
  unauthorized: "Autotask rejected the secret for this API user. Check the secret and try again.",
  "unknown-user": "Autotask has no API user with this user name. Check the user name (it looks like an email address).",
  "invalid-integration-code": "Autotask rejected the integration code (API tracking identifier). Check it and try again.",
  forbidden: "This API user is not allowed to read Resources. Give it an API security level that can.",
  "rate-limited": "Autotask is rate-limiting this integration right now. Wait a minute and try again.",
  network: "Autotask could not be reached. Try again in a moment.",
  timeout: "Autotask did not answer in time. Try again in a moment.",
  unavailable: "Autotask is temporarily unavailable. Try again in a moment.",
};

export type ConnectResult = { ok: true; connection: ConnectionRecord } | { ok: false; message: string };

export class Connections {
  constructor(
    private readonly config: Config,
    private readonly runtime: Runtime,
    private readonly store: Store,
    private readonly keys: KeyRing,
  ) {}

  /**
   * Checks credentials against Autotask and stores them sealed: a new connection owned by
   * `account`, or new credentials for the connection it owns. Wrong credentials are not stored.
   * `address`: the person's client address (zone lookups of unknown names are budgeted by it).
   *
   * A replacement keeps the connection id, so every teammate's grants, tokens and chosen resource
   * ids carry over: it must therefore stay in the same Autotask database, which it does by keeping
   * the API user (an API user name belongs to exactly one database — zoneInformation finds the
   * database from the name alone). Another API user is refused before anything is sent; moving to
   * it means deleting the connection (which revokes every grant) and connecting again.
   */
  async connect(account: AccountRecord, input: CredentialInput, now: number, address: string): Promise<ConnectResult> {
    let username = input.username.trim();
    const secret = input.secret.trim();
    const integrationCode = input.integrationCode.trim();
    const missing = [!username && "API user name", !secret && "secret", !integrationCode && "integration code"].filter(Boolean);
    if (missing.length > 0) return { ok: false, message: `Enter the ${missing.join(", ")}.` };
    const existing = account.role === "owner" && account.connectionId ? await this.store.connectionById(account.connectionId) : undefined;
    if (existing) {
      if (username.toLowerCase() !== existing.username.toLowerCase()) {
        return {
          ok: false,
          message: `Replacing credentials keeps everyone's access, so it only takes a new secret or integration code for the same API user (${existing.username}). To use another API user or Autotask database, delete the connection and connect again: deleting revokes every teammate's and application's access.`,
        };
      }
      username = existing.username;
    }
    const ctx = this.runtime.contextFor({ username, secret, integrationCode }, { caller: address });
    let zone;
    try {
      const report = await checkConnection(ctx.client);
      zone = { name: report.zoneName, apiUrl: report.apiUrl };
    } catch (error) {
      if (error instanceof AutotaskError) return { ok: false, message: REFUSALS[error.kind] ?? "Autotask refused these credentials." };
      ctx.log.warn("credential check failed", { error: (error as Error).message });
      return { ok: false, message: "These credentials could not be checked. Try again in a moment." };
    }
    // The zone answer decides where the secret goes from now on: it must be an approved host.
    const refusal = apiUrlRefusal(zone.apiUrl, this.config.allowedApiHosts, "the zone");
    if (refusal) return { ok: false, message: `Autotask named a zone this server does not send credentials to (${new URL(zone.apiUrl).host}).` };
    const id = existing?.id ?? randomId();
    const connection: ConnectionRecord = {
      id,
      ownerAccountId: account.id,
      zoneName: zone.name,
      apiUrl: zone.apiUrl,
      username,
      sealed: await this.keys.seal(id, JSON.stringify({ secret, integrationCode })),
      keyId: this.keys.currentId,
      checkedAt: now,
      createdAt: existing?.createdAt ?? now,
    };
    await this.store.saveConnection(connection);
    if (!existing) await this.store.updateAccount(account.id, { connectionId: id, role: "owner" });
    return { ok: true, connection };
  }

  /**
   * The Credentials a person's requests run with: the connection opened, acting as their resource.
   * Throws DecryptError when the envelope cannot be opened.
   */
  async credentials(connection: ConnectionRecord, account: Pick<AccountRecord, "resourceId">): Promise<Credentials> {
    const { secret, integrationCode } = JSON.parse(await this.keys.open(connection.id, connection.sealed)) as { secret: string; integrationCode: string };
    return {
      username: connection.username,
      secret,
      integrationCode,
      apiUrl: connection.apiUrl,
      ...(account.resourceId ? { impersonationResourceId: account.resourceId } : {}),
    };
  }

  /** The tenant's active resources (people writes can be attributed to), by name. */
  async activeResources(connection: ConnectionRecord): Promise<Resource[]> {
    const ctx = this.runtime.contextFor(await this.credentials(connection, { resourceId: null }));
    const { items } = await ctx.client.queryAll<{ id: number; firstName?: string; lastName?: string; email?: string }>(
      "Resources",
      { filter: [f.eq("isActive", true)], includeFields: ["id", "firstName", "lastName", "email"] },
      2000,
    );
    return items
      .map((row) => ({ id: row.id, name: [row.firstName, row.lastName].filter(Boolean).join(" ") || `Resource ${row.id}`, email: (row.email ?? "").toLowerCase() }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
