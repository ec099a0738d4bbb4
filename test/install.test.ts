/**
 * install.sh as `curl … | sh` runs it, under the system's POSIX sh, against a local HTTP server that
 * holds a release laid out as GitHub's (URL/latest/download/FILE, URL/download/vX.Y.Z/FILE): the
 * binary built for this machine and its SHA256SUMS. Other platforms are shown to the script with
 * stand-in `uname`, `sysctl` and `ldd` commands first on PATH, and stand-in binaries (shell scripts
 * that answer --version), so no test needs a Mac or Alpine.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { ROOT } from "./helpers/mcp.ts";
import { testWithCommand } from "./helpers/system.ts";
import { asNonRoot, hostBinary } from "./helpers/binary.ts";

const SCRIPT = join(ROOT, "install.sh");
const work = mkdtempSync(join(tmpdir(), "autotask-mcp-install-"));
chmodSync(work, 0o755);
const fakebin = join(work, "fakebin");
const sha256 = (bytes: Uint8Array | string) => new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
const STAND_IN = `#!/bin/sh\necho "${pkg.version} (stand-in)"\n`;

/** Release files by "<release>/<file>"; releases: good, tampered, fake (stand-in binaries). */
const files = new Map<string, Blob | string>();
const requests: string[] = [];
let server: ReturnType<typeof Bun.serve>;
let host: string;

beforeAll(async () => {
  const binary = await hostBinary();
  const name = `autotask-mcp-${binary.target}`;
  const real = Bun.file(binary.path);
  const digest = sha256(new Uint8Array(await real.arrayBuffer()));
  files.set(`good/${name}`, real);
  files.set(`good/SHA256SUMS`, `${sha256("something else")}  autotask-mcp-darwin-arm64\n${digest}  ${name}\n`);
  files.set(`tampered/${name}`, real);
  files.set(`tampered/SHA256SUMS`, `${sha256("not this binary")}  ${name}\n`);
  const fakes = ["autotask-mcp-linux-x64", "autotask-mcp-linux-x64-musl", "autotask-mcp-darwin-arm64", "autotask-mcp-darwin-x64"];
  for (const fake of fakes) files.set(`fake/${fake}`, STAND_IN);
  files.set(`fake/SHA256SUMS`, fakes.map((fake) => `${sha256(STAND_IN)}  ${fake}\n`).join(""));

  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      requests.push(path);
      // /<release>/latest/download/<file> or /<release>/download/v<version>/<file>
      const match = /^\/([^/]+)\/(?:latest\/download|download\/v[^/]+)\/([^/]+)$/.exec(path);
      const body = match && files.get(`${match[1]}/${match[2]}`);
      return body === undefined || body === null ? new Response("not found", { status: 404 }) : new Response(body);
    },
  });
  host = `http://127.0.0.1:${server.port}`;

  // Stand-ins, driven by the environment: FAKE_OS/FAKE_ARCH for uname, FAKE_TRANSLATED for
  // Rosetta's sysctl, FAKE_LIBC=musl for ldd.
  mkdirSync(fakebin);
  const stand = (command: string, body: string) => {
    writeFileSync(join(fakebin, command), `#!/bin/sh\n${body}\n`);
    chmodSync(join(fakebin, command), 0o755);
  };
  stand("uname", 'case "$1" in -s) echo "$FAKE_OS" ;; -m) echo "$FAKE_ARCH" ;; *) echo "$FAKE_OS" ;; esac');
  stand("sysctl", 'echo "${FAKE_TRANSLATED:-0}"');
  stand("ldd", 'if [ "$FAKE_LIBC" = musl ]; then echo "musl libc (x86_64)" >&2; exit 1; fi; echo "ldd (Debian GLIBC 2.36-9) 2.36"');
}, 120_000);

afterAll(() => {
  server?.stop(true);
  rmSync(work, { recursive: true, force: true });
});

interface Install {
  home: string;
  dir: string;
  tmp: string;
  stdout: string;
  stderr: string;
  code: number;
  requested: string[];
}

let runs = 0;
/** Runs `sh install.sh` in a fresh HOME; `platform` switches the stand-in commands on. */
async function install(options: { release: string; args?: string[]; env?: Record<string, string>; platform?: Record<string, string>; prefix?: string[]; prepare?: (dir: string) => void }): Promise<Install> {
  const home = join(work, `home-${++runs}`);
  const tmp = join(home, "tmp");
  mkdirSync(tmp, { recursive: true });
  chmodSync(home, 0o777);
  chmodSync(tmp, 0o777);
  const dir = join(home, ".local/bin");
  options.prepare?.(dir);
  const path = `${options.platform ? `${fakebin}:` : ""}${process.env.PATH ?? "/usr/bin:/bin"}`;
  const before = requests.length;
  const proc = Bun.spawn([...(options.prefix ?? []), "sh", SCRIPT, ...(options.args ?? [])], {
    cwd: home,
    env: { PATH: path, HOME: home, TMPDIR: tmp, SHELL: "/bin/bash", AUTOTASK_MCP_BASE_URL: `${host}/${options.release}`, ...options.platform, ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { home, dir, tmp, stdout, stderr, code, requested: requests.slice(before) };
}

const installedFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe("install.sh", () => {
  testWithCommand("shellcheck")("passes shellcheck as POSIX sh", async () => {
    const proc = Bun.spawn(["shellcheck", "--shell=sh", SCRIPT], { stdout: "pipe", stderr: "pipe" });
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(out).toBe("");
    expect(code).toBe(0);
  });

  test("happy path: downloads this machine's binary, checks it, installs it to ~/.local/bin, prints the next steps", async () => {
    const run = await install({ release: "good" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const dest = join(run.dir, "autotask-mcp");
    expect(installedFiles(run.dir)).toEqual(["autotask-mcp"]);
    const version = Bun.spawnSync([dest, "--version"], { env: {} }).stdout.toString().trim();
    expect(version).toStartWith(`${pkg.version} (commit `);
    expect(run.stdout).toContain("checksum ok");
    expect(run.stdout).toContain(`installed ${version} to ${dest}`);
    expect(run.stdout).toContain(`${run.dir} is not on your PATH`);
    expect(run.stdout).toContain(`export PATH="${run.dir}:$PATH"' >> ~/.bashrc`);
    // The Claude Desktop snippet is JSON that can be pasted as it is.
    const desktop = run.stdout.slice(run.stdout.indexOf("{", run.stdout.indexOf("Claude Desktop")), run.stdout.indexOf("Claude Code:"));
    expect(JSON.parse(desktop).mcpServers.autotask.command).toBe(dest);
    expect(run.stdout).toContain(`--env AUTOTASK_INTEGRATION_CODE=your-integration-code -- ${dest}`);
    expect(readdirSync(run.tmp)).toEqual([]); // its download directory is gone
  });

  test("wrong checksum: refuses, installs nothing, leaves nothing behind", async () => {
    const run = await install({ release: "tampered" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/checksum mismatch for autotask-mcp-\S+ \(expected [0-9a-f]{64}, got [0-9a-f]{64}\).*nothing installed/);
    expect(installedFiles(run.dir)).toEqual([]);
    expect(readdirSync(run.tmp)).toEqual([]);
  });

  test("unknown platform: says which and what is supported, downloads nothing", async () => {
    const os = await install({ release: "fake", platform: { FAKE_OS: "SunOS", FAKE_ARCH: "sun4v" } });
    expect(os.code).toBe(1);
    expect(os.stderr).toContain("no autotask-mcp binary for this operating system (SunOS sun4v)");
    expect(os.stderr).toContain("Supported: linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl, darwin-x64, darwin-arm64");
    expect(os.stderr).toContain("npx -y autotask-mcp");
    const cpu = await install({ release: "fake", platform: { FAKE_OS: "Linux", FAKE_ARCH: "riscv64" } });
    expect(cpu.code).toBe(1);
    expect(cpu.stderr).toContain("no autotask-mcp binary for this CPU (linux riscv64)");
    expect([...os.requested, ...cpu.requested]).toEqual([]);
    expect(installedFiles(os.dir)).toEqual([]);
  });

  test("picks arm64 under Rosetta and the musl build on a musl Linux", async () => {
    const rosetta = await install({ release: "fake", platform: { FAKE_OS: "Darwin", FAKE_ARCH: "x86_64", FAKE_TRANSLATED: "1" } });
    expect(rosetta.code).toBe(0);
    expect(rosetta.requested).toEqual(["/fake/latest/download/SHA256SUMS", "/fake/latest/download/autotask-mcp-darwin-arm64"]);
    const intel = await install({ release: "fake", platform: { FAKE_OS: "Darwin", FAKE_ARCH: "x86_64", FAKE_TRANSLATED: "0" } });
    expect(intel.requested.at(-1)).toBe("/fake/latest/download/autotask-mcp-darwin-x64");
    const musl = await install({ release: "fake", platform: { FAKE_OS: "Linux", FAKE_ARCH: "x86_64", FAKE_LIBC: "musl" } });
    expect(musl.code).toBe(0);
    expect(musl.requested.at(-1)).toBe("/fake/latest/download/autotask-mcp-linux-x64-musl");
    const glibc = await install({ release: "fake", platform: { FAKE_OS: "Linux", FAKE_ARCH: "amd64", FAKE_LIBC: "glibc" } });
    expect(glibc.requested.at(-1)).toBe("/fake/latest/download/autotask-mcp-linux-x64");
  });

  test("re-install over an older version: replaces it in place, says from which version, pinned with --version", async () => {
    const run = await install({
      release: "good",
      args: ["--version", pkg.version],
      prepare(dir) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "autotask-mcp"), '#!/bin/sh\necho "2.18.0"\n');
        chmodSync(join(dir, "autotask-mcp"), 0o755);
      },
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.requested.length).toBeGreaterThan(0);
    expect(run.requested.every((path) => path.startsWith(`/good/download/v${pkg.version}/`))).toBe(true);
    expect(run.stdout).toMatch(new RegExp(`replaced 2\\.18\\.0 with ${pkg.version.replaceAll(".", "\\.")} \\(commit .*\\) at ${join(run.dir, "autotask-mcp")}`));
    expect(installedFiles(run.dir)).toEqual(["autotask-mcp"]);
    expect(readFileSync(join(run.dir, "autotask-mcp")).subarray(0, 4).toString("latin1")).toBe("\x7fELF");
  });

  test("no write permission: a clear refusal naming the directory and the way out, nothing installed", async () => {
    const run = await install({
      release: "fake",
      platform: { FAKE_OS: "Linux", FAKE_ARCH: "x86_64", FAKE_LIBC: "glibc" },
      prefix: asNonRoot(),
      prepare(dir) {
        mkdirSync(dir, { recursive: true });
        chmodSync(dir, 0o555);
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot write to ${run.dir} (permission denied): choose another directory with --dir or INSTALL_DIR`);
    expect(installedFiles(run.dir)).toEqual([]);
  });

  test("INSTALL_DIR and --dir choose where it goes", async () => {
    const custom = join(work, "custom-bin");
    const run = await install({ release: "fake", platform: { FAKE_OS: "Linux", FAKE_ARCH: "x86_64", FAKE_LIBC: "glibc" }, env: { INSTALL_DIR: custom } });
    expect(run.code).toBe(0);
    expect(installedFiles(custom)).toEqual(["autotask-mcp"]);
    const flagged = join(work, "flag-bin");
    const second = await install({ release: "fake", platform: { FAKE_OS: "Linux", FAKE_ARCH: "x86_64", FAKE_LIBC: "glibc" }, args: [`--dir=${flagged}`] });
    expect(second.code).toBe(0);
    expect(installedFiles(flagged)).toEqual(["autotask-mcp"]);
  });
});
