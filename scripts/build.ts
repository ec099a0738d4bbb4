/**
 * Builds what we ship, with the build's commit and date injected (`--version` prints them):
 *
 *   bun scripts/build.ts node                          dist/cli.js (+ dist/chunks/) — the npm package's bin, Node >= 20, no Bun
 *   bun scripts/build.ts compile [--target T[,T…]]     dist/autotask-mcp-<os>-<arch>[.exe] + dist/SHA256SUMS
 *   bun scripts/build.ts checksums                     dist/SHA256SUMS over every release file in dist/
 *
 * T is `host` (default), `all`, or names from TARGETS. Cross-compiling fetches the Bun runtime of each
 * target from the npm registry (@oven/bun-<os>-<arch>) once and keeps it in Bun's install cache
 * (~/.bun/install/cache, or $BUN_INSTALL_CACHE_DIR). `--outdir DIR` writes elsewhere than dist/.
 *
 * Commit: $AUTOTASK_MCP_COMMIT, else $GITHUB_SHA, else `git rev-parse`, else "unknown".
 * Build date: $SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else now.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import pkg from "../package.json" with { type: "json" };

export const ROOT = resolve(import.meta.dir, "..");
const ENTRY = join(ROOT, "src/cli.ts");

/** Release names (`<os>-<arch>[-musl]`) -> Bun compile targets. */
export const TARGETS = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "linux-x64-musl": "bun-linux-x64-musl",
  "linux-arm64-musl": "bun-linux-arm64-musl",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
  "windows-x64": "bun-windows-x64",
} as const;
export type Target = keyof typeof TARGETS;

/**
 * How every binary is compiled, as `bun bench/startup.ts --flags` measured it (figures: CPU time to
 * the first answer, RSS once tools/list has answered):
 * - bytecode saves most of the parse and compile work, about 40% of the time to the first answer
 *   (as ESM: the bundle uses import.meta, which CommonJS bytecode rejects); minifying adds little on
 *   top but costs nothing; a source map only adds size (stack traces never reach users);
 * - splitting puts what is imported lazily (other commands, the tool registry, the sandbox, the
 *   HTTP stack) into chunks of its own, so a stdio start neither loads them nor the Node built-ins
 *   they import (node:http …): -5 ms, -2 MiB;
 * - jitPolicy 100 keeps start-up code, which runs once, in the interpreter instead of compiling it
 *   on JavaScriptCore's usual thresholds: -20 ms, -8 MiB. `serve` returns to the normal policy once
 *   it listens (throughput); a stdio server keeps it — it answers one person's requests, and
 *   resetting after start-up compiles at once all that start-up ran (+20 ms, +5 MiB by tools/list).
 * The binary reads no .env or bunfig.toml from whatever directory a client starts it in: its
 * configuration is the environment the client passes, nothing a stray file there can change.
 */
export const COMPILE_OPTIONS: CompileOptions = {
  minify: true,
  bytecode: true,
  format: "esm",
  splitting: true,
  compile: { autoloadDotenv: false, autoloadBunfig: false, jitPolicy: 100 },
};

/** What may vary between builds of a binary (bench/startup.ts compares variants); target and outfile are compile()'s. */
export type CompileOptions = Pick<Bun.BuildConfig, "minify" | "bytecode" | "format" | "sourcemap" | "splitting"> & {
  compile: Omit<Bun.CompileBuildOptions, "target" | "outfile">;
};

/** This machine's release name, e.g. "linux-x64" or "linux-arm64-musl". */
export function hostTarget(): Target {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const musl = os === "linux" && existsSync("/lib") && readdirSync("/lib").some((name) => name.startsWith("ld-musl-"));
  const name = `${os}-${process.arch}${musl ? "-musl" : ""}`;
  if (!(name in TARGETS)) throw new Error(`no release target for this machine (${name}); known: ${Object.keys(TARGETS).join(", ")}`);
  return name as Target;
}

/** The file name a target's binary is released under. */
export function binaryName(target: Target): string {
  return `autotask-mcp-${target}${target.startsWith("windows") ? ".exe" : ""}`;
}

/** Commit and build date for `--version`, as `define` values (JSON string literals). */
function buildDefines(): Record<string, string> {
  const commit = process.env.AUTOTASK_MCP_COMMIT?.trim() || process.env.GITHUB_SHA?.trim() || gitCommit() || "unknown";
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const date = (Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { AUTOTASK_MCP_COMMIT: JSON.stringify(commit.slice(0, 12)), AUTOTASK_MCP_BUILD_DATE: JSON.stringify(date) };
}

function gitCommit(): string | undefined {
  try {
    const git = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: ROOT, stdout: "pipe", stderr: "ignore" });
    return git.exitCode === 0 ? git.stdout.toString().trim() || undefined : undefined;
  } catch {
    return undefined; // no git on this machine (a container build): the commit comes from the environment or is "unknown"
  }
}

/**
 * What the bundle carries in place of src/mcp/listings-precomputed.ts: the listings computed from
 * the registry now (src/mcp/listings.ts), as JSON text the server parses on its first list request.
 * With them inlined, initialize and the list methods never load the tool modules (src/mcp/lists.ts).
 */
export async function precomputedListings(): Promise<Record<string, string>> {
  const { computeListings } = await import("../src/mcp/listings.ts");
  return { [join(ROOT, "src/mcp/listings-precomputed.ts")]: `export const PRECOMPUTED = ${JSON.stringify(JSON.stringify(computeListings()))};\n` };
}

/**
 * Runs Bun.build. A failure throws; so does any error in the log, as some (e.g. "Failed to generate
 * bytecode") still report success and leave a binary that cannot start.
 */
async function build(config: Bun.BuildConfig): Promise<void> {
  const result = await Bun.build({ ...config, throw: false });
  for (const log of result.logs) process.stderr.write(`${log.level}: ${log.message}\n`);
  if (!result.success || result.logs.some((log) => log.level === "error")) throw new Error(`failed: bun build ${config.entrypoints.join(" ")}`);
}

/** Compiles one target into `outdir`; returns the binary's path. */
export async function compile(target: Target, outdir: string, options: CompileOptions = COMPILE_OPTIONS): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, binaryName(target));
  await build({
    entrypoints: [ENTRY],
    ...options,
    compile: { ...options.compile, target: TARGETS[target], outfile },
    define: buildDefines(),
    files: await precomputedListings(),
  });
  return outfile;
}

/**
 * On Node, ofetch's default entry loads node-fetch-native, a fetch polyfill (~110 KB) that Node >= 20
 * never uses, having fetch built in. The bundle takes the entry ofetch gives every runtime with a
 * global fetch (Bun, Deno, workers) instead.
 */
export const ofetchOnGlobalFetch: Bun.BunPlugin = {
  name: "ofetch on the global fetch",
  setup(builder) {
    const entry = Bun.resolveSync("ofetch", ROOT); // resolved as Bun resolves it: the global-fetch entry
    builder.onResolve({ filter: /^ofetch$/ }, () => ({ path: entry }));
  },
};

/** Where the Node bundle's chunks go, beside its entry. */
const NODE_CHUNKS = "chunks";

/**
 * The Node bundle (ESM, node shebang): what `npx autotask-mcp` runs — `outfile` and, beside it,
 * `chunks/` with what it imports lazily (as for the binary: a stdio start loads neither the other
 * commands nor the tool registry; measured on Node 20: -30 ms CPU, -14 MiB). Minified: ~7% less
 * start-up CPU.
 */
export async function buildNode(outfile = join(ROOT, "dist/cli.js")): Promise<string> {
  const outdir = dirname(outfile);
  // Chunk names carry a content hash: the last build's would linger beside this one's (and be packed).
  rmSync(join(outdir, NODE_CHUNKS), { recursive: true, force: true });
  await build({
    entrypoints: [ENTRY],
    target: "node",
    minify: true,
    splitting: true,
    banner: "#!/usr/bin/env node",
    define: buildDefines(),
    files: await precomputedListings(),
    plugins: [ofetchOnGlobalFetch],
    outdir,
    naming: { entry: basename(outfile), chunk: `${NODE_CHUNKS}/[name]-[hash].[ext]` },
  });
  return outfile;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Writes `SHA256SUMS` in `dir` over every release file there (`autotask-mcp-*`, `autotask-mcp.mcpb`), in the format
 * `sha256sum -c` reads: "<hex>  <name>" per line, sorted by name.
 */
export async function writeChecksums(dir: string): Promise<string> {
  const names = readdirSync(dir).filter((name) => /^autotask-mcp[-.]/.test(name) && statSync(join(dir, name)).isFile()).sort();
  const lines = await Promise.all(names.map(async (name) => `${await sha256(join(dir, name))}  ${name}\n`));
  const path = join(dir, "SHA256SUMS");
  writeFileSync(path, lines.join(""));
  return path;
}

/** Parses `host`, `all` or a comma list of release names. */
function parseTargets(spec: string): Target[] {
  if (spec === "host") return [hostTarget()];
  if (spec === "all") return Object.keys(TARGETS) as Target[];
  return spec.split(",").map((name) => {
    const trimmed = name.trim();
    if (!(trimmed in TARGETS)) throw new Error(`unknown target "${trimmed}"; known: host, all, ${Object.keys(TARGETS).join(", ")}`);
    return trimmed as Target;
  });
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : args.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function main(args: string[]): Promise<void> {
  const outdir = resolve(option(args, "--outdir") ?? join(ROOT, "dist"));
  if (args[0] === "node") {
    console.log(await buildNode(join(outdir, "cli.js")));
    return;
  }
  if (args[0] === "compile") {
    const host = hostTarget();
    for (const target of parseTargets(option(args, "--target") ?? "host")) {
      const binary = await compile(target, outdir);
      // A binary this machine can run proves itself before it ships.
      if (target === host) {
        const check = Bun.spawnSync([binary, "--version"], { stdout: "pipe", stderr: "pipe", env: {} });
        const printed = check.stdout.toString().trim();
        if (check.exitCode !== 0 || !printed.startsWith(`${pkg.version} `)) throw new Error(`${binary} --version printed "${printed}" (exit ${check.exitCode})`);
      }
      console.log(`${binaryName(target).padEnd(34)} ${(statSync(binary).size / 2 ** 20).toFixed(1)} MiB`);
    }
    console.log(await writeChecksums(outdir));
    return;
  }
  if (args[0] === "checksums") {
    console.log(await writeChecksums(outdir));
    return;
  }
  throw new Error("usage: bun scripts/build.ts node | compile [--target host|all|<name>[,<name>…]] | checksums [--outdir DIR]");
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`build: ${error.message}`);
    process.exit(1);
  });
}
