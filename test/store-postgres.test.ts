/**
 * The hosted store on a real PostgreSQL (initdb + pg_ctl on a free loopback port, a fresh cluster
 * per run): the same store interface and migration list as SQLite, migrations applied once when
 * several replicas start together, single-use rows atomic across connections.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { MIGRATIONS } from "../src/store/migrations.ts";
import { openStore, StoreError, type Store } from "../src/store/index.ts";
import { numbered } from "../src/store/postgres.ts";
import { describeWithEngines, startPostgres, type Postgres } from "./helpers/engines.ts";

test("placeholders are numbered outside quoted text", () => {
  expect(numbered("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? OR e IN (?, ?)")).toBe("SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2 OR e IN ($3, $4)");
});

describeWithEngines("PostgreSQL store", ["postgres"], () => {
  let pg: Postgres;
  const stores: Store[] = [];
  const now = Date.now();

  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await pg?.stop();
  });

  test("six replicas starting at once apply each migration once (advisory lock)", async () => {
    const url = await pg.createDatabase("replicas");
    stores.push(...(await Promise.all(Array.from({ length: 6 }, () => openStore(url)))));
    const sql = new Bun.SQL(url);
    const rows = await sql.unsafe("SELECT id FROM schema_migrations ORDER BY id");
    await sql.close();
    expect([...rows].map((row) => row.id)).toEqual(MIGRATIONS.map((migration) => migration.id));
  });

  test("what one replica writes, another reads; single-use rows are taken once across replicas; a revocation holds at once", async () => {
    const [a, b, c] = stores;
    await a!.saveConnection({ id: "c1", ownerAccountId: "a1", zoneName: "Zone 14", apiUrl: "https://webservices14.autotask.net/ATServicesRest/", username: "api@x.example", sealed: "envelope", keyId: "k1", checkedAt: now, createdAt: now });
    await a!.createAccount({ id: "a1", email: "owner@x.example", passwordHash: "h", createdAt: now, connectionId: "c1", role: "owner", resourceId: 29682885, resourceName: "Owner" });
    await a!.createGrant({ id: "g1", accountId: "a1", clientId: "client", clientName: "Client", redirectUri: "https://c.example/cb", resource: "r", scope: "autotask", createdAt: now, lastUsedAt: null, revokedAt: null });
    await a!.saveToken({ hash: "at1", kind: "access", grantId: "g1", expiresAt: now + 3_600_000, consumedAt: null });
    await a!.saveToken({ hash: "rt1", kind: "refresh", grantId: "g1", expiresAt: now + 3_600_000, consumedAt: null });

    const access = await b!.resolveAccess("at1");
    expect(access?.account).toEqual({ id: "a1", email: "owner@x.example", passwordHash: "h", createdAt: now, connectionId: "c1", role: "owner", resourceId: 29682885, resourceName: "Owner" });
    expect(access?.connection?.checkedAt).toBe(now); // BIGINT reads back as a number
    expect(access?.grant.lastUsedAt).toBeNull();
    expect((await c!.teamOf("c1")).map((account) => account.email)).toEqual(["owner@x.example"]);

    // A refresh token exchanged on three replicas at once: exactly one wins.
    expect((await Promise.all([a!.consumeRefresh("rt1", now), b!.consumeRefresh("rt1", now), c!.consumeRefresh("rt1", now)])).sort()).toEqual([false, false, true]);
    await a!.saveCode({ hash: "code1", grantId: "g1", clientId: "client", redirectUri: "https://c.example/cb", codeChallenge: "x", resource: "r", scope: "autotask", expiresAt: now + 60_000 });
    const takes = await Promise.all([a!.takeCode("code1", now), b!.takeCode("code1", now), c!.takeCode("code1", now)]);
    expect(takes.map((take) => take?.firstUse).sort()).toEqual([false, false, true]);

    await b!.revokeGrant("g1", now);
    expect(await a!.resolveAccess("at1")).toBeUndefined();
    expect((await c!.grantById("g1"))?.revokedAt).toBe(now);
    // A duplicate email is refused by the database, as on SQLite.
    await expect(c!.createAccount({ id: "a2", email: "owner@x.example", passwordHash: "h", createdAt: now, connectionId: null, role: null, resourceId: null, resourceName: null })).rejects.toThrow();
    expect(await a!.purgeExpired(now + 7_200_000)).toBeGreaterThanOrEqual(1);
    await a!.ping();
  });

  test("a store written by a newer version is refused; an unreachable server is one line without the password", async () => {
    const url = await pg.createDatabase("newer");
    const store = await openStore(url);
    const sql = new Bun.SQL(url);
    await sql.unsafe("INSERT INTO schema_migrations (id, applied_at) VALUES ('9999_future', 0)");
    await sql.close();
    await store.close();
    const newer = await openStore(url).catch((error: Error) => error);
    expect(newer).toBeInstanceOf(StoreError);
    expect((newer as Error).message).toContain("written by a newer autotask-mcp (migrations 9999_future are unknown");

    const down = await openStore("postgres://app:hunter2@127.0.0.1:1/autotask").catch((error: Error) => error);
    expect(down).toBeInstanceOf(StoreError);
    expect((down as Error).message).toStartWith("cannot open the store at postgres://…@127.0.0.1:1/autotask (DATABASE_URL):");
    expect((down as Error).message).not.toContain("hunter2");
  });
});
