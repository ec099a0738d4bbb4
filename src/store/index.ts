/**
 * Opens the hosted mode's store named by DATABASE_URL and brings its schema up to date.
 * `sqlite:<path>`, `file:<path>` or a plain path: the embedded SQLite file (the default).
 * A second backend (PostgreSQL, for several replicas) plugs in here as another SqlDriver.
 */
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

/**
 * The store for `databaseUrl`, migrated. Throws StoreError with one line when the backend is not
 * available here (Node has no bun:sqlite; PostgreSQL is not built into this version).
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  const path = sqlitePath(databaseUrl);
  if (path === undefined) {
    throw new StoreError(`DATABASE_URL ${JSON.stringify(databaseUrl.replace(/\/\/[^@/]*@/, "//…@"))} names a backend this version cannot use; use a file path (embedded SQLite)`);
  }
  if (typeof Bun === "undefined") {
    throw new StoreError(
      "AUTH_MODE=oauth needs the Bun runtime: its embedded store (bun:sqlite) and password hashing (argon2id) are built into Bun, not Node. Run the standalone binary, the container image, or `bunx autotask-mcp`",
    );
  }
  const { openSqlite } = await import("./sqlite.ts");
  let driver;
  try {
    driver = await openSqlite(path);
  } catch (error) {
    throw new StoreError(`cannot open the store at ${path} (DATABASE_URL): ${(error as Error).message}`);
  }
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close();
    throw new StoreError(`cannot prepare the store at ${path}: ${(error as Error).message}`);
  }
  return new SqlStore(driver);
}
