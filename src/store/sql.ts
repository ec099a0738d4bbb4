/**
 * The Store on any SqlDriver: every query once, in the SQL that SQLite and PostgreSQL share.
 * Single-row state changes (a code used, a refresh token exchanged, an invite taken) are one
 * conditional UPDATE each, so they stay atomic without a transaction on any backend.
 */
import type { SqlDriver } from "./driver.ts";
import type {
  AccessRecord,
  AccountPatch,
  AccountRecord,
  ClientRecord,
  CodeRecord,
  ConnectionRecord,
  GrantRecord,
  InviteRecord,
  SessionRecord,
  Store,
  TokenRecord,
} from "./types.ts";

type Row = Record<string, unknown>;

// PostgreSQL drivers return BIGINT as text; SQLite returns numbers. Both read back the same here.
const num = (value: unknown) => Number(value);
const numOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const strOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

const ACCOUNT_COLUMNS = "id, email, password_hash, created_at, connection_id, role, resource_id, resource_name";
const account = (row: Row): AccountRecord => ({
  id: String(row.id),
  email: String(row.email),
  passwordHash: String(row.password_hash),
  createdAt: num(row.created_at),
  connectionId: strOrNull(row.connection_id),
  role: strOrNull(row.role) as AccountRecord["role"],
  resourceId: numOrNull(row.resource_id),
  resourceName: strOrNull(row.resource_name),
});

const CONNECTION_COLUMNS = "id, owner_account_id, zone_name, api_url, username, sealed, key_id, checked_at, created_at";
const connection = (row: Row): ConnectionRecord => ({
  id: String(row.id),
  ownerAccountId: String(row.owner_account_id),
  zoneName: String(row.zone_name),
  apiUrl: String(row.api_url),
  username: String(row.username),
  sealed: String(row.sealed),
  keyId: String(row.key_id),
  checkedAt: num(row.checked_at),
  createdAt: num(row.created_at),
});

const GRANT_COLUMNS = "id, account_id, client_id, client_name, redirect_uri, resource, scope, created_at, last_used_at, revoked_at";
const grant = (row: Row): GrantRecord => ({
  id: String(row.id),
  accountId: String(row.account_id),
  clientId: String(row.client_id),
  clientName: String(row.client_name),
  redirectUri: String(row.redirect_uri),
  resource: String(row.resource),
  scope: String(row.scope),
  createdAt: num(row.created_at),
  lastUsedAt: numOrNull(row.last_used_at),
  revokedAt: numOrNull(row.revoked_at),
});

const token = (row: Row): TokenRecord => ({
  hash: String(row.hash),
  kind: String(row.kind) as TokenRecord["kind"],
  grantId: String(row.grant_id),
  expiresAt: num(row.expires_at),
  consumedAt: numOrNull(row.consumed_at),
});

/** Columns of one table, prefixed for a join (`g.id AS g_id`, …). */
const prefixed = (alias: string, columns: string) =>
  columns
    .split(", ")
    .map((column) => `${alias}.${column} AS ${alias}_${column}`)
    .join(", ");
const unprefix = (row: Row, alias: string): Row =>
  Object.fromEntries(Object.entries(row).filter(([key]) => key.startsWith(`${alias}_`)).map(([key, value]) => [key.slice(alias.length + 1), value]));

export class SqlStore implements Store {
  constructor(private readonly db: SqlDriver) {}

  private async one<T>(sql: string, params: unknown[], map: (row: Row) => T): Promise<T | undefined> {
    const rows = await this.db.all<Row>(sql, params);
    return rows[0] ? map(rows[0]) : undefined;
  }

  // ------------------------------------------------------------------------------------------- accounts

  async createAccount(a: AccountRecord): Promise<void> {
    await this.db.run(`INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
      a.id,
      a.email,
      a.passwordHash,
      a.createdAt,
      a.connectionId,
      a.role,
      a.resourceId,
      a.resourceName,
    ]);
  }

  accountById(id: string) {
    return this.one(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`, [id], account);
  }

  accountByEmail(email: string) {
    return this.one(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE email = ?`, [email.toLowerCase()], account);
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<void> {
    const columns: Record<keyof AccountPatch, string> = { connectionId: "connection_id", role: "role", resourceId: "resource_id", resourceName: "resource_name" };
    const entries = (Object.keys(patch) as Array<keyof AccountPatch>).filter((key) => patch[key] !== undefined);
    if (entries.length === 0) return;
    await this.db.run(`UPDATE accounts SET ${entries.map((key) => `${columns[key]} = ?`).join(", ")} WHERE id = ?`, [...entries.map((key) => patch[key]), id]);
  }

  async teamOf(connectionId: string): Promise<AccountRecord[]> {
    const rows = await this.db.all<Row>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE connection_id = ? ORDER BY CASE role WHEN 'owner' THEN 0 ELSE 1 END, email`, [connectionId]);
    return rows.map(account);
  }

  // ---------------------------------------------------------------------------------------- connections

  async saveConnection(c: ConnectionRecord): Promise<void> {
    // Replacing credentials keeps the id (and so everyone linked to it); the envelope is re-sealed.
    await this.db.run(
      `INSERT INTO connections (${CONNECTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET zone_name = excluded.zone_name, api_url = excluded.api_url, username = excluded.username,
         sealed = excluded.sealed, key_id = excluded.key_id, checked_at = excluded.checked_at`,
      [c.id, c.ownerAccountId, c.zoneName, c.apiUrl, c.username, c.sealed, c.keyId, c.checkedAt, c.createdAt],
    );
  }

  connectionById(id: string) {
    return this.one(`SELECT ${CONNECTION_COLUMNS} FROM connections WHERE id = ?`, [id], connection);
  }

  async listConnections(): Promise<ConnectionRecord[]> {
    return (await this.db.all<Row>(`SELECT ${CONNECTION_COLUMNS} FROM connections ORDER BY created_at, id`)).map(connection);
  }

  async resealConnection(id: string, expectedSealed: string, sealed: string, keyId: string): Promise<boolean> {
    return (await this.db.run("UPDATE connections SET sealed = ?, key_id = ? WHERE id = ? AND sealed = ?", [sealed, keyId, id, expectedSealed])) === 1;
  }

  async deleteConnection(id: string, now: number): Promise<void> {
    await this.db.batch([
      ["UPDATE grants SET revoked_at = ? WHERE revoked_at IS NULL AND account_id IN (SELECT id FROM accounts WHERE connection_id = ?)", [now, id]],
      ["UPDATE accounts SET connection_id = NULL, role = NULL, resource_id = NULL, resource_name = NULL WHERE connection_id = ?", [id]],
      ["DELETE FROM connections WHERE id = ?", [id]],
    ]);
  }

  // -------------------------------------------------------------------------------------------- clients

  async saveClient(c: ClientRecord): Promise<void> {
    await this.db.run("INSERT INTO clients (client_id, metadata, created_at) VALUES (?, ?, ?)", [c.clientId, JSON.stringify(c.metadata), c.createdAt]);
  }

  clientById(clientId: string) {
    return this.one("SELECT client_id, metadata, created_at FROM clients WHERE client_id = ?", [clientId], (row) => ({
      clientId: String(row.client_id),
      metadata: JSON.parse(String(row.metadata)),
      createdAt: num(row.created_at),
    }));
  }

  // --------------------------------------------------------------------------------------------- grants

  async createGrant(g: GrantRecord): Promise<void> {
    await this.db.run(`INSERT INTO grants (${GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      g.id,
      g.accountId,
      g.clientId,
      g.clientName,
      g.redirectUri,
      g.resource,
      g.scope,
      g.createdAt,
      g.lastUsedAt,
      g.revokedAt,
    ]);
  }

  grantById(id: string) {
    return this.one(`SELECT ${GRANT_COLUMNS} FROM grants WHERE id = ?`, [id], grant);
  }

  async grantsOf(accountId: string): Promise<GrantRecord[]> {
    const rows = await this.db.all<Row>(
      `SELECT ${GRANT_COLUMNS} FROM grants WHERE account_id = ? AND revoked_at IS NULL ORDER BY COALESCE(last_used_at, created_at) DESC`,
      [accountId],
    );
    return rows.map(grant);
  }

  async touchGrant(id: string, now: number): Promise<void> {
    await this.db.run("UPDATE grants SET last_used_at = ? WHERE id = ?", [now, id]);
  }

  async revokeGrant(id: string, now: number): Promise<void> {
    await this.db.batch([
      ["UPDATE grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [now, id]],
      ["DELETE FROM tokens WHERE grant_id = ?", [id]],
    ]);
  }

  async revokeGrantsOf(accountId: string, now: number): Promise<void> {
    await this.db.batch([
      ["UPDATE grants SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL", [now, accountId]],
      ["DELETE FROM tokens WHERE grant_id IN (SELECT id FROM grants WHERE account_id = ?)", [accountId]],
    ]);
  }

  // ---------------------------------------------------------------------------------------------- codes

  async saveCode(c: CodeRecord): Promise<void> {
    await this.db.run(
      "INSERT INTO codes (hash, grant_id, client_id, redirect_uri, code_challenge, resource, scope, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
      [c.hash, c.grantId, c.clientId, c.redirectUri, c.codeChallenge, c.resource, c.scope, c.expiresAt],
    );
  }

  async takeCode(hash: string, now: number) {
    const firstUse = (await this.db.run("UPDATE codes SET used_at = ? WHERE hash = ? AND used_at IS NULL", [now, hash])) === 1;
    const code = await this.one("SELECT hash, grant_id, client_id, redirect_uri, code_challenge, resource, scope, expires_at FROM codes WHERE hash = ?", [hash], (row) => ({
      hash: String(row.hash),
      grantId: String(row.grant_id),
      clientId: String(row.client_id),
      redirectUri: String(row.redirect_uri),
      codeChallenge: String(row.code_challenge),
      resource: String(row.resource),
      scope: String(row.scope),
      expiresAt: num(row.expires_at),
    }));
    return code ? { code, firstUse } : undefined;
  }

  // --------------------------------------------------------------------------------------------- tokens

  async saveToken(t: TokenRecord): Promise<void> {
    await this.db.run("INSERT INTO tokens (hash, kind, grant_id, expires_at, consumed_at) VALUES (?, ?, ?, ?, ?)", [t.hash, t.kind, t.grantId, t.expiresAt, t.consumedAt]);
  }

  tokenByHash(hash: string) {
    return this.one("SELECT hash, kind, grant_id, expires_at, consumed_at FROM tokens WHERE hash = ?", [hash], token);
  }

  async consumeRefresh(hash: string, now: number): Promise<boolean> {
    return (await this.db.run("UPDATE tokens SET consumed_at = ? WHERE hash = ? AND kind = 'refresh' AND consumed_at IS NULL", [now, hash])) === 1;
  }

  async deleteToken(hash: string): Promise<void> {
    await this.db.run("DELETE FROM tokens WHERE hash = ?", [hash]);
  }

  async resolveAccess(hash: string): Promise<AccessRecord | undefined> {
    const rows = await this.db.all<Row>(
      `SELECT t.hash AS t_hash, t.kind AS t_kind, t.grant_id AS t_grant_id, t.expires_at AS t_expires_at, t.consumed_at AS t_consumed_at,
              ${prefixed("g", GRANT_COLUMNS)}, ${prefixed("a", ACCOUNT_COLUMNS)}, ${prefixed("c", CONNECTION_COLUMNS)}
         FROM tokens t
         JOIN grants g ON g.id = t.grant_id
         JOIN accounts a ON a.id = g.account_id
         LEFT JOIN connections c ON c.id = a.connection_id
        WHERE t.hash = ? AND t.kind = 'access'`,
      [hash],
    );
    const row = rows[0];
    if (!row) return undefined;
    const c = unprefix(row, "c");
    return { token: token(unprefix(row, "t")), grant: grant(unprefix(row, "g")), account: account(unprefix(row, "a")), connection: c.id == null ? null : connection(c) };
  }

  // -------------------------------------------------------------------------------------------- invites

  async createInvite(i: InviteRecord): Promise<void> {
    await this.db.run("INSERT INTO invites (hash, connection_id, created_by, created_at, expires_at, used_at, used_by) VALUES (?, ?, ?, ?, ?, NULL, NULL)", [
      i.hash,
      i.connectionId,
      i.createdBy,
      i.createdAt,
      i.expiresAt,
    ]);
  }

  inviteByHash(hash: string) {
    return this.one("SELECT hash, connection_id, created_by, created_at, expires_at, used_at, used_by FROM invites WHERE hash = ?", [hash], (row) => ({
      hash: String(row.hash),
      connectionId: String(row.connection_id),
      createdBy: String(row.created_by),
      createdAt: num(row.created_at),
      expiresAt: num(row.expires_at),
      usedAt: numOrNull(row.used_at),
      usedBy: strOrNull(row.used_by),
    }));
  }

  async useInvite(hash: string, accountId: string, now: number): Promise<boolean> {
    return (await this.db.run("UPDATE invites SET used_at = ?, used_by = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?", [now, accountId, hash, now])) === 1;
  }

  // ------------------------------------------------------------------------------------------- sessions

  async createSession(s: SessionRecord): Promise<void> {
    await this.db.run("INSERT INTO sessions (hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)", [s.hash, s.accountId, s.createdAt, s.expiresAt]);
  }

  sessionByHash(hash: string) {
    return this.one("SELECT hash, account_id, created_at, expires_at FROM sessions WHERE hash = ?", [hash], (row) => ({
      hash: String(row.hash),
      accountId: String(row.account_id),
      createdAt: num(row.created_at),
      expiresAt: num(row.expires_at),
    }));
  }

  async deleteSession(hash: string): Promise<void> {
    await this.db.run("DELETE FROM sessions WHERE hash = ?", [hash]);
  }

  // ------------------------------------------------------------------------------------------ upkeep

  async purgeExpired(now: number): Promise<number> {
    let purged = 0;
    purged += await this.db.run("DELETE FROM codes WHERE expires_at < ?", [now]);
    purged += await this.db.run("DELETE FROM tokens WHERE expires_at < ?", [now]);
    purged += await this.db.run("DELETE FROM sessions WHERE expires_at < ?", [now]);
    purged += await this.db.run("DELETE FROM invites WHERE expires_at < ?", [now]);
    return purged;
  }

  ping(): Promise<void> {
    return this.db.ping();
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
