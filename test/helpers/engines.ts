/**
 * Real PostgreSQL, Redis and nginx (Debian's packages, installed by .ci/run) started by the tests
 * themselves on loopback: a fresh data directory and free ports each run, stopped and removed after.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user the package creates.
 */
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithPrograms } from "./system.ts";
import { freePort } from "./hosted.ts";

const IS_ROOT = process.getuid?.() === 0;

/** Debian keeps initdb/pg_ctl under /usr/lib/postgresql/<version>/bin; elsewhere they are on PATH. */
function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "pg_ctl"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return join(root, newest, "bin");
  const pgCtl = Bun.which("pg_ctl");
  return pgCtl ? pgCtl.slice(0, -"/pg_ctl".length) : undefined;
}

/** The user PostgreSQL runs as when the tests run as root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

const PG_BIN = postgresBin();
const NGINX = Bun.which("nginx") ?? (existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : undefined);
const REDIS = Bun.which("redis-server") ?? (existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : undefined);

/** `describe` for tests that need these engines: skipped with one notice where they are not installed (never under CI). */
export function describeWithEngines(name: string, engines: Array<"postgres" | "redis" | "nginx">, body: () => void): void {
  const missing = engines.filter(
    (engine) => (engine === "postgres" && (!PG_BIN || (IS_ROOT && !postgresUser()))) || (engine === "redis" && !REDIS) || (engine === "nginx" && !NGINX),
  );
  const packages = missing.map((engine) => (engine === "postgres" ? "postgresql" : engine === "redis" ? "redis-server" : "nginx"));
  describeWithPrograms(name, missing, `apt-get install -y ${packages.join(" ")}`, body);
}

async function run(command: string[], what: string): Promise<void> {
  const proc = Bun.spawn(command, { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${what} failed (exit ${code}):\n${out}\n${err}`);
}

export interface Postgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** A URL for a new, empty database. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** initdb + pg_ctl on a free loopback port, fsync off (a throwaway cluster). */
export async function startPostgres(): Promise<Postgres> {
  const dir = mkdtempSync("/tmp/autotask-mcp-pg-");
  const owner = IS_ROOT ? postgresUser()! : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const as = owner ? ["runuser", "-u", "postgres", "--"] : [];
  const port = freePort();
  const data = join(dir, "data");
  await run([...as, `${PG_BIN}/initdb`, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], "initdb");
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  await run([...as, `${PG_BIN}/pg_ctl`, "-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"], "pg_ctl start");
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    async createDatabase(name) {
      const admin = new Bun.SQL(url);
      await admin.unsafe(`CREATE DATABASE "${name}"`);
      await admin.close();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await run([...as, `${PG_BIN}/pg_ctl`, "-D", data, "-m", "immediate", "-w", "stop"], "pg_ctl stop").catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Redis {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: as a crash or a network cut looks to clients). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

/** redis-server on a free loopback port, no persistence. */
export async function startRedis(): Promise<Redis> {
  const port = freePort();
  const dir = mkdtempSync("/tmp/autotask-mcp-redis-");
  let proc: ReturnType<typeof Bun.spawn> | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const start = async () => {
    proc = Bun.spawn([REDIS!, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdout: "ignore", stderr: "ignore" });
    for (let attempt = 0; ; attempt++) {
      const client = new Bun.RedisClient(url, { autoReconnect: false, connectionTimeout: 500 });
      try {
        await client.connect();
        await client.send("PING", []);
        return;
      } catch (error) {
        if (attempt > 100) throw new Error(`redis-server did not answer on port ${port}: ${(error as Error).message}`);
        await Bun.sleep(50);
      } finally {
        client.close();
      }
    }
  };
  await start();
  return {
    url,
    port,
    async stop() {
      proc?.kill("SIGKILL");
      await proc?.exited;
    },
    start,
    async dispose() {
      proc?.kill("SIGKILL");
      await proc?.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Nginx {
  /** http://127.0.0.1:<port> */
  url: string;
  stop(): Promise<void>;
}

/**
 * The repository's nginx configuration (deploy/nginx.conf), run as written except for what only
 * differs on this machine: its upstream server line becomes the given loopback replicas, it listens
 * on a free loopback port, and its pid, logs and temporary files go to a fresh directory.
 */
export async function startNginx(configPath: string, upstreams: string[], port = freePort()): Promise<Nginx> {
  const dir = mkdtempSync("/tmp/autotask-mcp-nginx-");
  const source = readFileSync(configPath, "utf8");
  const serverLine = /^(\s*)server\s+autotask-mcp:8080(.*);$/m.exec(source);
  if (!serverLine) throw new Error(`${configPath} has no "server autotask-mcp:8080 …;" line in its upstream`);
  const config = source
    .replace(serverLine[0], upstreams.map((upstream) => `${serverLine[1]}server ${upstream}${serverLine[2]};`).join("\n"))
    .replace(/^(\s*)listen\s+8080;$/m, `$1listen 127.0.0.1:${port};`)
    .replace(/^http \{$/m, `http {\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n  access_log off;`);
  if (!config.includes(`listen 127.0.0.1:${port};`)) throw new Error(`${configPath} has no "listen 8080;" line`);
  const file = join(dir, "nginx.conf");
  writeFileSync(file, config);
  const globals = `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn;`;
  await run([NGINX!, "-t", "-q", "-p", dir, "-c", file, "-g", globals], "nginx -t");
  const proc = Bun.spawn([NGINX!, "-p", dir, "-c", file, "-g", globals], { stdout: "ignore", stderr: "pipe" });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const up = await fetch(`${url}/nginx-probe`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (attempt > 100 || proc.exitCode !== null) throw new Error(`nginx did not start:\n${readFileSync(join(dir, "error.log"), "utf8")}`);
    await Bun.sleep(50);
  }
  return {
    url,
    async stop() {
      proc.kill("SIGQUIT");
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
