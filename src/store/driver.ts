/**
 * What a database backend provides to the one SQL store (sql.ts): parameterised statements with `?`
 * placeholders (the PostgreSQL driver numbers them), an atomic batch, and an exclusive section for
 * migrations. Everything else — the queries, the row mapping — is shared by every backend.
 */
export type Statement = [sql: string, params: unknown[]];

export interface SqlDriver {
  /** Rows of a query, as plain objects keyed by column name. */
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs one statement; resolves to the number of rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs the statements in one transaction: all or none. */
  batch(statements: Statement[]): Promise<void>;
  /** Runs `fn` while holding the backend's migration lock (one process: just runs it). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves when the database answers (readiness); throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
