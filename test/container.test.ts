/**
 * The container, without a Docker engine: the Dockerfile is linted (dockerfile-utils) and read, and
 * the binary it copies — compiled by the same scripts/build.ts step — is run the way the image runs
 * it: as the distroless `nonroot` uid, from /, with exactly the image's environment, started directly
 * (exec form, no shell), its HEALTHCHECK command run as written. docker-compose.yml is checked against
 * both.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import bunPkg from "../node_modules/bun/package.json" with { type: "json" };
import server from "../server.json" with { type: "json" };
import { ENV_VARS, parseConfig } from "../src/config.ts";
import { ROOT } from "./helpers/mcp.ts";
import { asNonRoot, hostBinary, NONROOT } from "./helpers/binary.ts";

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions per stage (continuation lines joined, comments and parser directives dropped). */
function parseDockerfile(text: string): Instruction[][] {
  const stages: Instruction[][] = [[]];
  const logical = text.replace(/\\\n/g, " ").split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === "FROM") stages.push([]);
    stages.at(-1)!.push({ keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, " ") });
  }
  return stages;
}

/** `KEY=value KEY2="value 2"` pairs, as ENV, LABEL and ARG write them. */
function pairs(args: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of args.matchAll(/([\w.-]+)=("([^"]*)"|\S+)/g)) found[match[1]!] = match[3] ?? match[2]!;
  return found;
}

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const [globals, build, final] = parseDockerfile(dockerfile) as [Instruction[], Instruction[], Instruction[]];
const all = (stage: Instruction[], keyword: string) => stage.filter((instruction) => instruction.keyword === keyword);
const one = (stage: Instruction[], keyword: string) => {
  const found = all(stage, keyword);
  expect(found).toHaveLength(1);
  return found[0]!.args;
};
const imageEnv = Object.assign({}, ...all(final, "ENV").map((instruction) => pairs(instruction.args))) as Record<string, string>;
const labels = Object.assign({}, ...all(final, "LABEL").map((instruction) => pairs(instruction.args))) as Record<string, string>;
const entrypoint = JSON.parse(one(final, "ENTRYPOINT")) as string[];
const healthcheck = JSON.parse(/CMD (\[.*\])$/.exec(one(final, "HEALTHCHECK"))![1]!) as string[];
// What distroless's base image itself sets (gcr.io/distroless/cc-debian12 image config).
const BASE_ENV = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", SSL_CERT_FILE: "/etc/ssl/certs/ca-certificates.crt" };

describe("Dockerfile", () => {
  test("passes the linter", async () => {
    const proc = Bun.spawn([join(ROOT, "node_modules/.bin/dockerfile-utils"), "lint", join(ROOT, "Dockerfile")], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(stdout + stderr).toBe("");
    expect(code).toBe(0);
  });

  test("builds on the official Bun image, the version the lockfile installs, and compiles with scripts/build.ts", () => {
    expect(pairs(one(globals, "ARG")).BUN_VERSION).toBe(bunPkg.version);
    expect(one(build, "FROM")).toBe("--platform=$BUILDPLATFORM oven/bun:${BUN_VERSION} AS build");
    expect(all(build, "RUN").some((run) => run.args.includes("bun install --frozen-lockfile"))).toBe(true);
    expect(all(build, "RUN").some((run) => run.args.includes("bun scripts/build.ts compile --target"))).toBe(true);
  });

  test("ships distroless, non-root, exec-form entrypoint and healthcheck, the same binary path throughout", () => {
    expect(one(final, "FROM")).toBe("gcr.io/distroless/cc-debian12:nonroot");
    expect(one(final, "USER")).toBe("nonroot");
    const [, destination] = /^--from=build \S+ (\S+)$/.exec(one(final, "COPY"))!;
    expect(entrypoint).toEqual([destination!]);
    expect(healthcheck).toEqual([destination!, "healthcheck"]);
    expect(one(final, "EXPOSE")).toBe(imageEnv.MCP_HTTP_PORT!);
    expect(imageEnv).toMatchObject({ MCP_TRANSPORT: "http", AUTH_MODE: "gateway" });
    for (const name of Object.keys(imageEnv)) expect(ENV_VARS).toContain(name as never);
  });

  test("carries OCI labels in step with package.json and the MCP Registry entry", () => {
    expect(pairs(one(final, "ARG")).VERSION).toBe(pkg.version);
    expect(labels).toMatchObject({
      "org.opencontainers.image.title": pkg.name,
      "org.opencontainers.image.version": "${VERSION}",
      "org.opencontainers.image.licenses": pkg.license,
      "org.opencontainers.image.source": server.repository.url,
      "io.modelcontextprotocol.server.name": server.name,
    });
  });

  test("copies only what .dockerignore lets into the build context, and every copied path exists", () => {
    const ignore = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
    expect(ignore[0]).toBe("*"); // an allowlist
    const allowed = ignore.slice(1).map((line) => line.replace(/^!/, "").replace(/\/$/, ""));
    const sources = all(build, "COPY").flatMap((copy) => copy.args.split(" ").slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(allowed).toContain(source.replace(/^\.\//, ""));
      expect(existsSync(join(ROOT, source))).toBe(true);
    }
  });
});

describe("the binary the image runs", () => {
  let proc: ReturnType<typeof Bun.spawn>;
  let port = 0;
  let stderr = "";
  // Port 0: the image's env, except a free port instead of 8080 on a shared machine.
  const env = () => ({ ...BASE_ENV, ...imageEnv, MCP_HTTP_PORT: String(port) });

  beforeAll(async () => {
    const binary = (await hostBinary()).path;
    proc = Bun.spawn([...asNonRoot(), binary, ...entrypoint.slice(1)], { cwd: "/", env: env(), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    // Keep reading stderr for the life of the process, as Docker does (a closed pipe would break its logging).
    const listening = new Promise<void>((resolve) => {
      void (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
          stderr += decoder.decode(chunk);
          const entry = stderr.split("\n").map((line) => (line.startsWith("{") ? JSON.parse(line) : {})).find((logged) => logged.url);
          if (entry && !port) {
            port = Number(new URL(entry.url).port);
            resolve();
          }
        }
        resolve();
      })();
    });
    await listening;
    expect(port).toBeGreaterThan(0);
  });
  afterAll(async () => {
    if (proc.exitCode === null) proc.kill("SIGKILL");
  });

  test("runs as the non-root uid in gateway mode, logging JSON", async () => {
    if (asNonRoot().length > 0) expect(readFileSync(`/proc/${proc.pid}/status`, "utf8")).toMatch(new RegExp(`\\nUid:\\s+${NONROOT}\\s`));
    expect(JSON.parse(stderr.split("\n")[0]!)).toMatchObject({ authMode: "gateway" });
    const response = await fetch(`http://127.0.0.1:${port}/mcp`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"method":"tools/list"}' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Unauthorized: Missing credentials");
  });

  test("its HEALTHCHECK command, as written, reports healthy", async () => {
    const binary = (await hostBinary()).path;
    const check = Bun.spawn([...asNonRoot(), binary, ...healthcheck.slice(1)], { cwd: "/", env: env(), stdout: "pipe", stderr: "pipe" });
    const [stdout, code] = await Promise.all([new Response(check.stdout).text(), check.exited]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`ok http://127.0.0.1:${port}/health`);
  });

  test("stops cleanly on SIGTERM (docker stop)", async () => {
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(stderr).toContain('"stopped"');
  });
});

describe("docker-compose.yml", () => {
  const compose = Bun.YAML.parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as {
    services: Record<string, { build: string; environment: Record<string, string>; ports: string[]; healthcheck: { test: string[] }; read_only: boolean; cap_drop: string[] }>;
  };
  const service = compose.services["autotask-mcp"]!;

  test("builds this Dockerfile and runs it in gateway mode with a valid configuration", () => {
    expect(service.build).toBe(".");
    expect(service.environment).toMatchObject({ MCP_TRANSPORT: "http", AUTH_MODE: "gateway" });
    for (const name of Object.keys(service.environment)) expect(ENV_VARS).toContain(name as never);
    const config = parseConfig({ ...imageEnv, ...service.environment });
    expect(config.authMode).toBe("gateway");
    expect(service.ports).toEqual([`${config.http.port}:${imageEnv.MCP_HTTP_PORT}`]);
  });

  test("checks health with the image's own command and drops privileges", () => {
    expect(service.healthcheck.test).toEqual(["CMD", ...healthcheck]);
    expect(service.read_only).toBe(true);
    expect(service.cap_drop).toEqual(["ALL"]);
  });
});
