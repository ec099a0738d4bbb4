/**
 * Opens the hosted mode's store named by DATABASE_URL and brings its schema up to date.
 * `sqlite:<path>`, `file:<path>` or a plain path: the embedded SQLite file (the default, one server).
 * `postgres://…` or `postgresql://…`: PostgreSQL, shared by several replicas.
 */
import type { SqlDriver } from "./driver.ts";
import { migrate } from "./migrations.ts";
import { SqlStore } from "./sql.ts";
import type { Store } from "./types.ts";

export type { Store } from "./types.ts";

export class StoreError extends Error {
  override name = "StoreError";
}

/** Where the SQLite file lives for a DATABASE_URL, or undefined for a URL of another backend. */
export function sqlitePath(databaseUrl: string): string | undefined {
  const match = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(databaseUrl);
  if (match) return match[1]!;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) ? undefined : databaseUrl;
}

/** Whether DATABASE_URL names PostgreSQL. */
function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(databaseUrl);
}

/** DATABASE_URL as logs and errors show it: without a password. */
export function displayUrl(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/[^@/]*@/, "//…@");
}

/**
 * The store for `databaseUrl`, migrated. Throws StoreError with one line when the backend is not
 * available here (Node has no bun:sqlite nor Bun.SQL) or cannot be reached.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  const path = sqlitePath(databaseUrl);
  const postgres = isPostgresUrl(databaseUrl);
  const where = postgres ? displayUrl(databaseUrl) : path;
  if (path === undefined && !postgres) {
    throw new StoreError(`DATABASE_URL ${JSON.stringify(displayUrl(databaseUrl))} names a backend this version cannot use; use a file path (embedded SQLite) or postgres://… (PostgreSQL)`);
  }
  if (typeof Bun === "undefined") {
    throw new StoreError(
      "AUTH_MODE=oauth needs the Bun runtime: its stores (bun:sqlite, Bun.SQL for PostgreSQL) and password hashing (argon2id) are built into Bun, not Node. Run the standalone binary, the container image, or `bunx autotask-mcp`",
    );
  }
  let driver: SqlDriver;
  try {
    driver = postgres ? await (await import("./postgres.ts")).openPostgres(databaseUrl) : await (await import("./sqlite.ts")).openSqlite(path!);
  } catch (error) {
    throw new StoreError(`cannot open the store at ${where} (DATABASE_URL): ${(error as Error).message}`);
  }
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close();
    throw new StoreError(`cannot prepare the store at ${where}: ${(error as Error).message}`);
  }
  return new SqlStore(driver);
}
