/**
 * ONE migration list for every backend. The SQL is the common subset of SQLite and PostgreSQL:
 * TEXT, INTEGER and BIGINT columns (times in epoch ms, flags as 0/1), no AUTOINCREMENT/SERIAL,
 * no JSON or BLOB types (JSON and envelopes are TEXT), foreign keys without engine-specific options.
 * Migrations are append-only: never edit one that has shipped, add the next.
 */
import type { SqlDriver } from "./driver.ts";

export interface Migration {
  id: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    id: "0001_hosted",
    statements: [
      `CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        owner_account_id TEXT NOT NULL,
        zone_name TEXT NOT NULL,
        api_url TEXT NOT NULL,
        username TEXT NOT NULL,
        sealed TEXT NOT NULL,
        key_id TEXT NOT NULL,
        checked_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        connection_id TEXT REFERENCES connections(id) ON DELETE SET NULL,
        role TEXT,
        resource_id INTEGER,
        resource_name TEXT
      )`,
      `CREATE INDEX accounts_connection ON accounts(connection_id)`,
      `CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        metadata TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE grants (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        client_name TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        resource TEXT NOT NULL,
        scope TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT,
        revoked_at BIGINT
      )`,
      `CREATE INDEX grants_account ON grants(account_id)`,
      `CREATE TABLE codes (
        hash TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
        client_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        code_challenge TEXT NOT NULL,
        resource TEXT NOT NULL,
        scope TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      )`,
      `CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        grant_id TEXT NOT NULL REFERENCES grants(id) ON DELETE CASCADE,
        expires_at BIGINT NOT NULL,
        consumed_at BIGINT
      )`,
      `CREATE INDEX tokens_grant ON tokens(grant_id)`,
      `CREATE TABLE invites (
        hash TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT,
        used_by TEXT
      )`,
      `CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
    ],
  },
];

/**
 * Applies the migrations `driver` has not recorded yet, each in one transaction together with its
 * row in schema_migrations. A backend shared by several replicas wraps this in its own lock
 * (SqlDriver.exclusive), so two replicas starting at once never apply the same migration twice.
 * Returns the ids applied now.
 */
export async function migrate(driver: SqlDriver, migrations: Migration[] = MIGRATIONS): Promise<string[]> {
  return driver.exclusive(async () => {
    await driver.batch([["CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)", []]]);
    const applied = new Set((await driver.all<{ id: string }>("SELECT id FROM schema_migrations")).map((row) => row.id));
    const known = new Set(migrations.map((migration) => migration.id));
    const unknown = [...applied].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new Error(`the store was written by a newer autotask-mcp (migrations ${unknown.join(", ")} are unknown to this version); upgrade this server`);
    }
    const now: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      await driver.batch([...migration.statements.map((sql) => [sql, []] as [string, unknown[]]), ["INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)", [migration.id, Date.now()]]]);
      now.push(migration.id);
    }
    return now;
  });
}
