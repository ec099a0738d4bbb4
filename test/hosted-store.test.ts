/**
 * The store and the credential envelope on their own: a real SQLite file, real WebCrypto.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { DecryptError, KeyError, KeyRing } from "../src/hosted/crypto.ts";
import { openStore, StoreError } from "../src/store/index.ts";
import { tempDir } from "./helpers/hosted.ts";

const dir = tempDir("autotask-mcp-store-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY_A = Buffer.alloc(32, 1).toString("base64");
const KEY_B = Buffer.alloc(32, 2).toString("base64url");

describe("credential envelope (AES-256-GCM, record id as associated data)", () => {
  test("seals with a fresh nonce each time and opens only for the same record", async () => {
    const ring = await KeyRing.parse(KEY_A, "AUTOTASK_MCP_ENCRYPTION_KEY");
    const first = await ring.seal("conn-1", '{"secret":"s3cret"}');
    const second = await ring.seal("conn-1", '{"secret":"s3cret"}');
    expect(first).not.toBe(second);
    expect(first).not.toContain("s3cret");
    expect(await ring.open("conn-1", first)).toBe('{"secret":"s3cret"}');
    await expect(ring.open("conn-2", first)).rejects.toThrow("stored credentials of conn-2 failed authentication: the ciphertext was altered or belongs to another record");
  });

  test("a ring opens envelopes of every key it holds and seals with the first; a missing key is named", async () => {
    const old = await KeyRing.parse(KEY_A, "K");
    const ring = await KeyRing.parse(`${KEY_B}, ${KEY_A}`, "K");
    const sealed = await old.seal("conn-1", "x");
    expect(await ring.open("conn-1", sealed)).toBe("x");
    expect((await ring.seal("conn-1", "x")).split(".")[1]).toBe(ring.currentId);
    const onlyNew = await KeyRing.parse(KEY_B, "K");
    const error = await onlyNew.open("conn-1", sealed).catch((e: Error) => e);
    expect(error).toBeInstanceOf(DecryptError);
    expect((error as Error).message).toContain(`were encrypted with key ${old.currentId}, which AUTOTASK_MCP_ENCRYPTION_KEY does not hold`);
  });

  test("malformed keys are refused with the variable and how to make one", async () => {
    for (const raw of ["", "short", Buffer.alloc(16).toString("base64"), "!!not base64!!"]) {
      const error = await KeyRing.parse(raw, "AUTOTASK_MCP_ENCRYPTION_KEY").catch((e: Error) => e);
      expect(error).toBeInstanceOf(KeyError);
      expect((error as Error).message).toStartWith("AUTOTASK_MCP_ENCRYPTION_KEY");
      expect((error as Error).message).toContain("autotask-mcp keys generate");
    }
  });
});

describe("SQLite store", () => {
  test("migrations apply once, in WAL mode; a store from a newer version is refused", async () => {
    const path = `${dir}/a.db`;
    const store = await openStore(path);
    await store.close();
    const again = await openStore(`sqlite://${path}`);
    await again.close();
    const db = new Database(path);
    expect(db.query("SELECT id FROM schema_migrations").all()).toEqual([{ id: "0001_hosted" }]);
    expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    db.query("INSERT INTO schema_migrations (id, applied_at) VALUES ('9999_future', 0)").run();
    db.close();
    const error = await openStore(path).catch((e: Error) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain("written by a newer autotask-mcp (migrations 9999_future are unknown");
  });

  test("single-use rows change state atomically: a code and a refresh token are taken once", async () => {
    const store = await openStore(`${dir}/b.db`);
    const now = Date.now();
    await store.createAccount({ id: "a1", email: "a@x.example", passwordHash: "h", createdAt: now, connectionId: null, role: null, resourceId: null, resourceName: null });
    await store.createGrant({ id: "g1", accountId: "a1", clientId: "c", clientName: "C", redirectUri: "https://c.example/cb", resource: "r", scope: "autotask", createdAt: now, lastUsedAt: null, revokedAt: null });
    await store.saveCode({ hash: "h1", grantId: "g1", clientId: "c", redirectUri: "https://c.example/cb", codeChallenge: "x", resource: "r", scope: "autotask", expiresAt: now + 1000 });
    const takes = await Promise.all([store.takeCode("h1", now), store.takeCode("h1", now)]);
    expect(takes.map((take) => take?.firstUse).sort()).toEqual([false, true]);
    await store.saveToken({ hash: "t1", kind: "refresh", grantId: "g1", expiresAt: now + 1000, consumedAt: null });
    expect(await Promise.all([store.consumeRefresh("t1", now), store.consumeRefresh("t1", now)])).toEqual([true, false]);
    expect(await store.consumeRefresh("unknown", now)).toBe(false);
    await store.close();
  });

  test("DATABASE_URL of another backend is refused with one line, the password hidden", async () => {
    const error = await openStore("mysql://app:hunter2@db.example/autotask").catch((e: Error) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).not.toContain("hunter2");
    expect((error as Error).message).toContain("names a backend this version cannot use");
  });
});
