/**
 * The PostgreSQL backend, for several replicas sharing accounts, clients and tokens
 * (DATABASE_URL=postgres://…), on Bun's built-in client (Bun.SQL): nothing to install, compiled
 * into the binary, pooled connections, transactions, and parameters sent apart from the SQL text.
 * The hosted mode needs Bun anyway (argon2id, see store/index.ts), so the Node bundle loses nothing.
 *
 * What this file adds to the shared SQL (sql.ts): numbered placeholders, BEGIN…COMMIT batches, and
 * a session advisory lock around migrations so replicas starting together apply each one once.
 */
import type { SqlDriver, Statement } from "./driver.ts";

/** The advisory lock migrations run under (any constant both sides agree on: "atmcp-migrate"). */
const MIGRATION_LOCK = 0x61746d63;

/** Connects to `url` (checking it answers) and returns the driver. Throws when it cannot connect. */
export async function openPostgres(url: string): Promise<SqlDriver> {
  const sql = new Bun.SQL(url, { max: 10, idleTimeout: 30, connectionTimeout: 10 });
  await sql.unsafe("SELECT 1");
  return {
    async all<T>(text: string, params?: unknown[]): Promise<T[]> {
      return [...(await sql.unsafe(numbered(text), params ?? []))] as T[];
    },
    async run(text, params) {
      return (await sql.unsafe(numbered(text), params ?? [])).count ?? 0;
    },
    async batch(statements: Statement[]) {
      await sql.begin(async (tx) => {
        for (const [text, params] of statements) await tx.unsafe(numbered(text), params);
      });
    },
    async exclusive(fn) {
      // A session lock: held by one reserved connection while `fn` runs on the pool.
      const connection = await sql.reserve();
      try {
        await connection.unsafe("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
        try {
          return await fn();
        } finally {
          await connection.unsafe("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
        }
      } finally {
        connection.release();
      }
    },
    async ping() {
      await sql.unsafe("SELECT 1");
    },
    async close() {
      await sql.close();
    },
  };
}

/**
 * `?` placeholders as PostgreSQL's `$1, $2 …`. The shared SQL never has a `?` inside a string
 * literal or identifier; quoted text is skipped anyway, so one could never be renumbered.
 */
export function numbered(text: string): string {
  let index = 0;
  return text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (match) => (match === "?" ? `$${++index}` : match));
}
