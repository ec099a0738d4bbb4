/**
 * The embedded SQLite backend (bun:sqlite): nothing to install, one file, WAL so readers never wait
 * for the writer. bun:sqlite is loaded on first use, so the npm bundle still starts on Node (where
 * the hosted mode refuses to start with its own message, see store/index.ts).
 */
import type { SqlDriver, Statement } from "./driver.ts";

/** Opens (creating when absent) the database file at `path` and returns its driver. */
export async function openSqlite(path: string): Promise<SqlDriver> {
  const { Database } = await import("bun:sqlite");
  const db = new Database(path, { create: true, strict: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = NORMAL");
  db.run("PRAGMA foreign_keys = ON");
  // Several processes may share the file (the server and `keys rotate`): wait for a lock, don't fail.
  db.run("PRAGMA busy_timeout = 5000");

  const bind = (params: unknown[] = []) => params as Array<string | number | bigint | null>;
  return {
    async all<T>(sql: string, params?: unknown[]): Promise<T[]> {
      return db.query(sql).all(...bind(params)) as T[];
    },
    async run(sql, params) {
      return db.query(sql).run(...bind(params)).changes;
    },
    async batch(statements: Statement[]) {
      db.transaction(() => {
        for (const [sql, params] of statements) db.query(sql).run(...bind(params));
      }).immediate();
    },
    exclusive: (fn) => fn(),
    async ping() {
      db.query("SELECT 1").get();
    },
    async close() {
      db.close();
    },
  };
}
