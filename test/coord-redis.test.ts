/**
 * The shared coordinator on a real redis-server (started here on a free loopback port): several
 * coordinators stand for several replicas. What one replica takes, cools down, learns about a
 * secret or counts holds for the others; a replica that stops renewing loses its slots within a
 * lease; and when Redis goes away, everyone keeps working with the per-replica gate.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { LOGIN_BURST } from "../src/coord/memory.ts";
import { openRedisCoordinator, type RedisCoordinator } from "../src/coord/redis.ts";
import { createLogger } from "../src/log.ts";
import { describeWithEngines, startRedis, type Redis } from "./helpers/engines.ts";

describeWithEngines("coordination through Redis", ["redis"], () => {
  let redis: Redis;
  const logs: string[] = [];
  const log = createLogger({ level: "info", write: (line) => void logs.push(line) });
  const opened: RedisCoordinator[] = [];

  /** A replica's coordinator; short leases so that a lost replica's slots return quickly. */
  async function replica(leaseMs = 15_000): Promise<RedisCoordinator> {
    const coordinator = await openRedisCoordinator({ url: redis.url, log, tickMs: 100, times: { leaseMs, waitTtlMs: leaseMs } });
    opened.push(coordinator);
    return coordinator;
  }

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((coordinator) => coordinator.close()));
  });
  afterAll(() => redis?.dispose());

  test("three replicas never hold more than 3 slots of one key together, and every waiter is served", async () => {
    const replicas = await Promise.all([replica(), replica(), replica()]);
    let inFlight = 0;
    let highest = 0;
    await Promise.all(
      Array.from({ length: 90 }, async (_, i) => {
        const release = await replicas[i % 3]!.acquire("threads:ci:1:abc:tickets", 3, "first");
        highest = Math.max(highest, ++inFlight);
        await Bun.sleep(2);
        inFlight--;
        release();
      }),
    );
    expect(highest).toBe(3);
    // Other keys (another endpoint) do not queue behind it.
    const release = await replicas[0]!.acquire("threads:ci:1:abc:companies", 3, "first");
    release();
  });

  test("a follow-up waiting on one replica goes ahead of a first request that waited longer on another", async () => {
    const [a, b, c] = await Promise.all([replica(), replica(), replica()]);
    const held = await Promise.all([a!.acquire("threads:order", 3, "first"), a!.acquire("threads:order", 3, "first"), a!.acquire("threads:order", 3, "first")]);
    const order: string[] = [];
    const first = b!.acquire("threads:order", 3, "first").then((release) => (order.push("first"), release));
    await Bun.sleep(50);
    const followUp = c!.acquire("threads:order", 3, "follow-up").then((release) => (order.push("follow-up"), release));
    await Bun.sleep(50);
    held[0]!();
    (await followUp)();
    held[1]!();
    (await first)();
    held[2]!();
    expect(order).toEqual(["follow-up", "first"]);
  });

  test("a replica that stops (no release, no renewal) loses its slots after the lease: the others are not blocked forever", async () => {
    const lost = await replica(800);
    const survivor = await replica(800);
    for (let i = 0; i < 3; i++) await lost.acquire("threads:crash", 3, "first"); // never released
    await lost.close(); // as a crashed process: its timers stop, nothing is given back
    const began = performance.now();
    const release = await survivor.acquire("threads:crash", 3, "first");
    const waited = performance.now() - began;
    release();
    expect(waited).toBeGreaterThan(300);
    expect(waited).toBeLessThan(5_000);
  });

  test("a 429 cool-down, a secret's outcome and the failed-login bucket hold on every replica", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const until = Date.now() + 30_000;
    await a!.coolDown("cooldown:ci:7", until);
    expect(await b!.cooldownUntil("cooldown:ci:7")).toBe(until);

    // One probe per secret across replicas: b waits for a's outcome instead of trying it too.
    expect(await a!.admitLogin("user-hash-1", "fp-good")).toEqual({ ok: true, probe: true });
    const waiting = b!.admitLogin("user-hash-1", "fp-good");
    await Bun.sleep(150);
    await a!.settleLogin("user-hash-1", "fp-good", "verified");
    expect(await waiting).toEqual({ ok: true, probe: false });
    expect(await b!.knownGood("user-hash-1", "fp-good")).toBe(true);

    // A 401 on one replica pauses that secret on the other.
    expect(await b!.admitLogin("user-hash-1", "fp-bad")).toEqual({ ok: true, probe: true });
    await b!.settleLogin("user-hash-1", "fp-bad", "rejected");
    expect(await a!.admitLogin("user-hash-1", "fp-bad")).toMatchObject({ ok: false, reason: "rejected" });
    expect(await a!.knownGood("user-hash-1", "fp-bad")).toBe(false);

    // The bucket of unverified secrets is the user's, wherever they are tried (fp-bad used one token).
    for (let i = 1; i < LOGIN_BURST; i++) {
      const coordinator = i % 2 ? a! : b!;
      expect(await coordinator.admitLogin("user-hash-1", `fp-guess-${i}`)).toEqual({ ok: true, probe: true });
      await coordinator.settleLogin("user-hash-1", `fp-guess-${i}`, "rejected");
    }
    expect(await a!.admitLogin("user-hash-1", "fp-guess-next")).toMatchObject({ ok: false, reason: "limited" });
    // The verified secret still passes.
    expect(await b!.admitLogin("user-hash-1", "fp-good")).toEqual({ ok: true, probe: false });
  });

  test("rate-limit windows and the API budget are counted once for all replicas; one replica reads the budget", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    expect((await a!.hit("signin:hash-of-address", 60_000)).count).toBe(1);
    expect((await b!.hit("signin:hash-of-address", 60_000)).count).toBe(2);
    await a!.forgetHits("signin:hash-of-address");
    expect((await b!.hit("signin:hash-of-address", 60_000)).count).toBe(1);

    expect(await a!.claimUsageRead("tenant-hash", 10_000)).toBe(true);
    expect(await b!.claimUsageRead("tenant-hash", 10_000)).toBe(false);
    const readAt = Date.now();
    await a!.recordUsage("tenant-hash", { threshold: 10_000, timeframeMinutes: 60, used: 7_000, readAt });
    a!.countRequests("tenant-hash", 40);
    b!.countRequests("tenant-hash", 60);
    await Bun.sleep(350); // counts are flushed every tick
    expect(await b!.usage("tenant-hash")).toEqual({ reading: { threshold: 10_000, timeframeMinutes: 60, used: 7_000, readAt }, sentSince: 100 });
  });

  test("Redis stopped mid-wait: waiters and new requests are served with the per-replica gate (logged once); back when Redis is", async () => {
    const replicas = await Promise.all([replica(), replica(), replica()]);
    expect(await replicas[0]!.admitLogin("user-hash-2", "fp-known")).toEqual({ ok: true, probe: true });
    await replicas[0]!.settleLogin("user-hash-2", "fp-known", "verified");
    const held = await Promise.all([0, 1, 2].map((i) => replicas[i]!.acquire("threads:outage", 3, "first")));
    const waiting = replicas[0]!.acquire("threads:outage", 3, "first");
    await Bun.sleep(100);
    logs.length = 0;
    await redis.stop();

    // The waiter moves to replica 0's own gate, where replica 0 already holds its share (1 of 3).
    const early = await Promise.race([waiting.then(() => "served"), Bun.sleep(400).then(() => "waiting")]);
    expect(early).toBe("waiting");
    held[0]!();
    (await waiting)();
    // Each replica alone now keeps to its share: a second slot waits for the first.
    const one = await replicas[1]!.acquire("threads:fresh", 3, "first");
    const two = replicas[1]!.acquire("threads:fresh", 3, "first");
    expect(await Promise.race([two.then(() => "served"), Bun.sleep(200).then(() => "waiting")])).toBe("waiting");
    one();
    (await two)();
    held[1]!();
    held[2]!();
    expect(replicas.every((coordinator) => coordinator.state() === "degraded")).toBe(true);
    const warnings = logs.filter((line) => line.includes("became unreachable"));
    expect(warnings.length).toBe(3); // once per replica, however many calls failed
    expect(logs.join("")).not.toContain("redis://");

    await redis.start();
    for (let i = 0; i < 50 && !replicas.every((coordinator) => coordinator.state() === "ok"); i++) await Bun.sleep(100);
    expect(replicas.map((coordinator) => coordinator.state())).toEqual(["ok", "ok", "ok"]);
    expect(logs.filter((line) => line.includes("is reachable")).length).toBe(3);
    const release = await replicas[2]!.acquire("threads:outage", 3, "first");
    release();
    // The restarted Redis knows no secret: the replica that knew this one probes it again, and its
    // outcome must reach Redis, or the others would wait on that probe.
    expect(await replicas[0]!.admitLogin("user-hash-2", "fp-known")).toEqual({ ok: true, probe: true });
    await replicas[0]!.settleLogin("user-hash-2", "fp-known", "verified");
    const other = replicas[1]!.admitLogin("user-hash-2", "fp-known");
    expect(await Promise.race([other, Bun.sleep(2_000).then(() => "still waiting on the probe")])).toEqual({ ok: true, probe: false });
  });
});
