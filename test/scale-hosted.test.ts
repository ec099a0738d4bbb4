/**
 * The hosted mode on three replicas (real processes) sharing a real PostgreSQL and Redis, nginx in
 * front (the repository's deploy/nginx.conf): a person signs in and a client gets its token from
 * one replica, and every replica honours it; a revocation on one holds on the others at once; a
 * replica killed in the middle of a call costs the client one retry on another replica, and the
 * ticket it was creating is created once.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startSandbox, type Sandbox, type SandboxTenant } from "../src/sandbox/index.ts";
import { describeWithEngines, startNginx, startPostgres, startRedis, type Nginx, type Postgres, type Redis } from "./helpers/engines.ts";
import { authorizeWithForms, FormBrowser, freePort } from "./helpers/hosted.ts";
import { ROOT, sandboxHost } from "./helpers/mcp.ts";
import { startReplicas, type Replica } from "./helpers/replicas.ts";

const TENANT: SandboxTenant = { username: "api@northwind-scale.example", secret: "northwind-Scale-42", integrationCode: "NORTHWIND-SCALE-7", label: "Northwind Scale" };
const REDIRECT = "http://127.0.0.1:9/callback";
const PERSON = { email: "owner@northwind.example", password: "a-long-password-14", tenant: TENANT };

describeWithEngines("hosted mode on three replicas, PostgreSQL and Redis", ["postgres", "redis", "nginx"], () => {
  let pg: Postgres;
  let redis: Redis;
  let sandbox: Sandbox;
  let replicas: Replica[];
  let nginx: Nginx;
  /** The public origin (nginx): the issuer and resource every replica names. */
  let origin: string;
  let clientId: string;
  let accessToken: string;

  const mcp = (base: string, token: string, name: string, args: Record<string, unknown> = {}) =>
    fetch(`${base}/v1/autotask/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }),
    });

  beforeAll(async () => {
    [pg, redis, sandbox] = await Promise.all([startPostgres(), startRedis(), startSandbox({ tenants: [TENANT] })]);
    const port = freePort();
    origin = `http://127.0.0.1:${port}`;
    replicas = await startReplicas(3, {
      AUTH_MODE: "oauth",
      DATABASE_URL: await pg.createDatabase("hosted"),
      REDIS_URL: redis.url,
      AUTOTASK_MCP_ENCRYPTION_KEY: Buffer.alloc(32, 14).toString("base64"),
      MCP_PUBLIC_URL: origin,
      MCP_TRUST_PROXY: "true",
      AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl,
      AUTOTASK_ALLOWED_API_HOSTS: sandboxHost(sandbox),
    });
    nginx = await startNginx(`${ROOT}deploy/nginx.conf`, replicas.map((replica) => `127.0.0.1:${replica.port}`), port);
  }, 90_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all((replicas ?? []).map((replica) => replica.kill()));
    await Promise.all([redis?.dispose(), pg?.stop(), sandbox?.stop()]);
  });

  test("the OAuth flow completes against replica 1; the token works on replicas 2 and 3", async () => {
    const [one, two, three] = replicas;
    const registered = await fetch(`${one!.url}/register`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_name: "Scale test", redirect_uris: [REDIRECT] }) });
    expect(registered.status).toBe(201);
    clientId = ((await registered.json()) as { client_id: string }).client_id;

    const browser = new FormBrowser(() => ({ base: one!.url, origin }));
    const { code, verifier } = await authorizeWithForms(browser, { clientId, redirectUri: REDIRECT, resource: `${origin}/v1/autotask/mcp` }, PERSON);
    const token = await fetch(`${one!.url}/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier }),
    });
    expect(token.status).toBe(200);
    accessToken = ((await token.json()) as { access_token: string }).access_token;

    for (const replica of [two!, three!]) {
      const answer = await mcp(replica.url, accessToken, "autotask_test_connection");
      expect(answer.status).toBe(200);
      expect(await answer.text()).not.toContain('"isError":true');
    }
    // /ready on every replica: the shared store and Redis answer; nothing about tenants.
    for (const replica of replicas) expect(await (await fetch(`${replica.url}/ready`)).json()).toEqual({ status: "ok", store: "ok", redis: "ok" });
    // /health with the token: the documented fields, plus this tenant's own API usage (not read yet).
    const health = (await (await fetch(`${three!.url}/health`, { headers: { Authorization: `Bearer ${accessToken}` } })).json()) as Record<string, unknown>;
    expect(Object.keys(health).sort()).toEqual(["apiUsage", "authMode", "status", "timestamp", "transport"]);
    expect(Object.keys((await (await fetch(`${three!.url}/health`)).json()) as object).sort()).toEqual(["authMode", "status", "timestamp", "transport"]);
  }, 60_000);

  test("a replica killed mid-call: the client's retry through nginx lands on another replica and the ticket is created once", async () => {
    const victim = replicas[2]!;
    const title = `Printer on fire ${Date.now()}`;
    const args = { companyID: 0, title, description: "Paper tray 2 is smoking." };
    // The call's first step (the ticket fields, read once per replica) is slow: the replica dies before it creates anything.
    sandbox.faults.inject({ path: "/Tickets/entityInformation/fields", delayMs: 4_000, times: 1 });
    const first = sandbox.requests.length;
    const dying = mcp(victim.url, accessToken, "autotask_create_ticket", args).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    const fields = () => sandbox.requests.slice(first).find((entry) => entry.path.includes("/Tickets/entityInformation/fields"));
    for (let i = 0; i < 100 && !fields(); i++) await Bun.sleep(50);
    expect(fields()?.status).toBe(0); // still in flight at Autotask: the call is in its first step
    await victim.kill("SIGKILL");
    expect(typeof (await dying)).toBe("string"); // the connection broke: no answer came back

    // The client retries the call, through the load balancer (nginx skips the dead replica).
    let answer: Response | undefined;
    for (let attempt = 0; attempt < 3 && answer?.status !== 200; attempt++) answer = await mcp(nginx.url, accessToken, "autotask_create_ticket", args).catch(() => undefined);
    expect(answer?.status).toBe(200);
    const text = await answer!.text();
    expect(text).not.toContain('"isError":true');
    const creates = sandbox.requests.slice(first).filter((entry) => entry.method === "POST" && /\/Tickets$/i.test(entry.path));
    expect(creates).toHaveLength(1);
    expect(sandbox.store(TENANT.label).all("Tickets").filter((ticket) => ticket.title === title)).toHaveLength(1);
  }, 60_000);

  test("a revocation on replica 2 is refused on replica 1 at once; sign-in failures are counted across replicas", async () => {
    const [one, two] = replicas;
    expect((await mcp(one!.url, accessToken, "autotask_test_connection")).status).toBe(200);
    const revoked = await fetch(`${two!.url}/revoke`, { method: "POST", body: new URLSearchParams({ token: accessToken, client_id: clientId }) });
    expect(revoked.status).toBe(200);
    const refused = await mcp(one!.url, accessToken, "autotask_test_connection");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("invalid_token");

    // Ten wrong passwords for one email, spread over both live replicas: the next is refused wherever it lands.
    const browsers = [one!, two!].map((replica) => new FormBrowser(() => ({ base: replica.url, origin })));
    const pages = await Promise.all(browsers.map(async (browser) => (await browser.get("/account")).text()));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      const i = attempt % 2;
      statuses.push((await browsers[i]!.submit(pages[i]!, "/signin", { email: PERSON.email, password: `wrong-guess-${attempt}`, action: "signin" })).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  }, 60_000);
});
