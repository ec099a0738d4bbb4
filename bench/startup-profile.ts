/**
 * Where start-up time goes: CPU profiles of `stdio` answering `initialize` (and, in a second run,
 * `tools/list`), for Bun and for Node, attributed to the modules of a non-minified bundle (the same
 * code, chunks and inlined listings the binary and dist/cli.js carry, with Bun's `// path` module
 * markers left in).
 *
 *   node_modules/.bin/bun bench/startup-profile.ts [--runs 5] [--keep DIR]
 *
 * Two views per runtime, median over the runs:
 *   self   — the module whose code was on top of the stack (a package, or a src/ file);
 *   caused — the innermost src/ frame on the stack: which of our modules the work was done for
 *            (zod building a tool's schema counts against that tool file). Time with no src/ frame
 *            on the stack (runtime start, the SDK's own module bodies) stays under its own module.
 * Sampling every 100 µs adds overhead: compare rows with each other, not with bench/startup.ts.
 *
 * First the stages of a stdio start-up, timed inside one binary compiled as the build compiles
 * (COMPILE_OPTIONS, listings inlined): what each step adds, in the order stdio takes them, up to
 * tools/list and then the first tools/call (the registry), median of the runs.
 *
 * Then import timing: each module bundled alone (minified, as the binary carries it) behind a timer
 * and run in a fresh `bun` process: what evaluating it and everything it imports costs, median of
 * the runs, next to an empty module.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMPILE_OPTIONS, ofetchOnGlobalFetch, precomputedListings } from "../scripts/build.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BUN = process.execPath;
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 5;
const KEEP = args.includes("--keep") ? args[args.indexOf("--keep") + 1] : undefined;
const dir = KEEP ?? mkdtempSync(join(tmpdir(), "autotask-mcp-profile-"));

const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "profile", version: "1" } } };
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };
const TOOLS_LIST = { jsonrpc: "2.0", id: 2, method: "tools/list" };
// Credentials are set (nothing is sent upstream before a tool call), so no warning path runs.
const ENV = { AUTOTASK_USERNAME: "profile@example.com", AUTOTASK_SECRET: "x", AUTOTASK_INTEGRATION_CODE: "y", LOG_LEVEL: "warn", PATH: process.env.PATH ?? "" };

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Bundles src/cli.ts as the build does (split into chunks, the listings inlined) but without
 * minifying, so `// node_modules/x/…` and `// src/…` lines mark each module. Returns the entry file.
 */
async function bundle(target: "bun" | "node"): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(ROOT, "src/cli.ts")],
    target,
    splitting: true,
    root: ROOT,
    outdir: join(dir, `bundle-${target}`),
    files: await precomputedListings(),
    plugins: target === "node" ? [ofetchOnGlobalFetch] : [],
    throw: false,
  });
  const entry = result.outputs.find((output) => output.kind === "entry-point");
  if (!result.success || !entry) throw new Error(`bundling for ${target} failed: ${result.logs.map((log) => log.message).join("\n")}`);
  return entry.path;
}

const moduleMaps = new Map<string, Array<[number, string]>>();

/** Line ranges of the modules in one file of the bundle: sorted [first line (0-based), group] pairs. */
function moduleMap(file: string): Array<[number, string]> {
  let ranges = moduleMaps.get(file);
  if (!ranges) {
    ranges = [];
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        const marker = /^\/\/ ((?:node_modules|src)\/\S+|package\.json)$/.exec(line);
        if (marker) ranges!.push([index, group(marker[1]!)]);
      });
    moduleMaps.set(file, ranges);
  }
  return ranges;
}

/** A package name for node_modules code, the file for our own. */
function group(path: string): string {
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (!pkg) return path;
  // The SDK is big enough to split by its chunks: the protocol's schemas, Server, stdio, the Ajv shim.
  if (pkg[1] === "@modelcontextprotocol/server" || pkg[1] === "@modelcontextprotocol/core") return `${pkg[1]}/${path.split("/").at(-1)}`;
  return pkg[1]!;
}

function moduleAt(ranges: Array<[number, string]>, line: number): string {
  let low = 0;
  let high = ranges.length - 1;
  let found = "(bundle prelude)";
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (ranges[mid]![0] <= line) {
      found = ranges[mid]![1];
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

async function profile(runtime: "bun" | "node", bundleFile: string, messages: object[], run: number): Promise<Profile> {
  const profDir = join(dir, `${runtime}-${messages.length}-${run}`);
  const flags = ["--cpu-prof", "--cpu-prof-interval=100", `--cpu-prof-dir=${profDir}`];
  const command = runtime === "bun" ? [BUN, ...flags, bundleFile, "stdio"] : ["node", ...flags, bundleFile, "stdio"];
  const proc = Bun.spawn(command, { cwd: dir, env: ENV, stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  for (const message of messages) proc.stdin.write(`${JSON.stringify(message)}\n`);
  await proc.stdin.flush();
  // Wait for every answer, then close stdin: the server exits, which writes the profile.
  const reader = proc.stdout.getReader();
  const expected = messages.filter((message) => "id" in message).length;
  let out = "";
  while ((out.match(/\n/g) ?? []).length < expected) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  proc.stdin.end();
  await proc.exited;
  const [file] = readdirSync(profDir);
  return JSON.parse(readFileSync(join(profDir, file!), "utf8")) as Profile;
}

/** Milliseconds per module, by the module on top of the stack and by the innermost src/ frame. */
function attribute(prof: Profile, bundleDir: string) {
  const byId = new Map(prof.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of prof.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { url, functionName, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, "");
    if (file.startsWith(bundleDir)) return moduleAt(moduleMap(file), lineNumber);
    if (!url) return functionName.startsWith("(") ? functionName : "(runtime)";
    return "(runtime)";
  };
  const self = new Map<string, number>();
  const caused = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, index) => {
    const ms = (prof.timeDeltas[index + 1] ?? 0) / 1000;
    total += ms;
    const leaf = label(byId.get(id)!);
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    let owner = leaf;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (name.startsWith("src/")) {
        owner = name;
        break;
      }
    }
    caused.set(owner, (caused.get(owner) ?? 0) + ms);
  });
  return { self, caused, total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function table(title: string, runs: Array<Map<string, number>>, totals: number[], rows = 18) {
  const keys = new Set(runs.flatMap((run) => [...run.keys()]));
  const medians = [...keys].map((key) => [key, median(runs.map((run) => run.get(key) ?? 0))] as const).sort((a, b) => b[1] - a[1]);
  console.log(`\n${title} — total ${median(totals).toFixed(1)} ms (median of ${runs.length})`);
  for (const [key, ms] of medians.slice(0, rows)) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${key}`);
}

/** Modules a start-up may load, in the order stdio loads them; what each costs on its own. */
const IMPORTS = [
  "citty",
  "consola",
  "consola/core",
  "zod",
  "ofetch",
  "@modelcontextprotocol/server",
  "@modelcontextprotocol/server/stdio",
  "./src/config.ts",
  "./src/log.ts",
  "./src/autotask/client.ts",
  "./src/ui/index.ts",
  "./src/boot.ts",
  "./src/tools/conventions.ts",
  "./src/mcp/lists.ts",
  "./src/mcp/server.ts",
  "./src/mcp/stdio.ts",
  "./src/commands/stdio.ts",
  "./src/mcp/resources.ts",
  "./src/mcp/tool-calls.ts",
  "./src/mcp/http.ts",
  "./src/sandbox/index.ts",
];

async function importTimes() {
  const entries = [join(dir, "empty.ts"), ...IMPORTS];
  await Bun.write(entries[0]!, "export {};\n");
  console.log(`\nimport timing (bundled alone, minified, fresh bun process each, inclusive), median of ${RUNS}`);
  for (const [index, module] of entries.entries()) {
    const entry = join(ROOT, `.import-timing-${index}.ts`); // in ROOT, so bare specifiers resolve from node_modules
    const bundled = join(dir, `import-${index}.js`);
    await Bun.write(entry, `const t = performance.now();\nawait import(${JSON.stringify(module)});\nconsole.log(performance.now() - t);\n`);
    try {
      const build = Bun.spawnSync([BUN, "build", entry, "--target=bun", "--minify", `--outfile=${bundled}`], { cwd: ROOT, stdout: "ignore", stderr: "pipe" });
      if (build.exitCode !== 0) throw new Error(`bundling ${module}: ${build.stderr.toString()}`);
    } finally {
      rmSync(entry, { force: true });
    }
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const proc = Bun.spawnSync([BUN, bundled], { cwd: dir, stdout: "pipe", stderr: "pipe" });
      times.push(Number(proc.stdout.toString().trim()));
    }
    console.log(`  ${median(times).toFixed(1).padStart(7)} ms  ${index === 0 ? "(an empty module)" : module}`);
  }
}

/**
 * A program doing what `stdio` does up to its first answer, then tools/list and the first tools/call,
 * one timed step at a time (compiled like the binary, with the listings inlined as the build does).
 */
const STAGES = `
const marks = [["runtime start + loading the binary's code", performance.now(), process.memoryUsage.rss()]];
let last = performance.now();
let lastRss = process.memoryUsage.rss();
const mark = (name) => {
  const now = performance.now();
  const rss = process.memoryUsage.rss();
  marks.push([name, now - last, rss - lastRss]);
  last = now;
  lastRss = rss;
};
await import("citty"); mark("citty");
await import("./src/config.ts"); mark("config.ts: zod + the config schema");
await import("./src/log.ts"); mark("log.ts: consola");
await import("@modelcontextprotocol/server"); mark("SDK v2 server: Server, the protocol's zod schemas");
await import("@modelcontextprotocol/server/stdio"); mark("SDK v2 stdio transport");
await import("./src/boot.ts"); mark("boot.ts: runtime, Autotask client, views");
await import("./src/mcp/server.ts"); await import("./src/mcp/stdio.ts"); mark("mcp/server.ts, stdio.ts: prompts, instructions, lists");
const lists = await import("./src/mcp/lists.ts");
// A logger that touches no stream (the listings are inlined: nothing is logged).
const log = { error() {}, warn() {}, info() {}, debug() {}, withSecrets: () => log, child: () => log };
lists.listTools(await lists.listings(log), { readOnly: false, toolsets: "all", lazy: false }); mark("tools/list: the precomputed listings parsed, all tools selected");
await import("./src/mcp/tool-calls.ts"); mark("first tools/call: the tool registry, every tool's zod schemas");
console.log(JSON.stringify(marks));
`;

async function stages() {
  const entry = join(ROOT, ".startup-stages.ts");
  const binary = join(dir, "stages");
  await Bun.write(entry, STAGES);
  try {
    const build = await Bun.build({
      entrypoints: [entry],
      ...COMPILE_OPTIONS,
      compile: { ...COMPILE_OPTIONS.compile, outfile: binary },
      files: await precomputedListings(),
      throw: false,
    });
    if (!build.success || build.logs.some((log) => log.level === "error")) throw new Error(`compiling the stages program: ${build.logs.map((log) => log.message).join("\n")}`);
  } finally {
    rmSync(entry, { force: true });
  }
  const runs: Array<Map<string, [number, number]>> = [];
  for (let run = 0; run < RUNS * 2; run++) {
    const proc = Bun.spawnSync([binary], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    runs.push(new Map((JSON.parse(proc.stdout.toString()) as Array<[string, number, number]>).map(([name, ms, rss]) => [name, [ms, rss]])));
  }
  console.log(`\nstdio start-up stages, in one binary compiled with COMPILE_OPTIONS, median of ${runs.length}`);
  console.log("       time      RSS added");
  let total = 0;
  let memory = 0;
  for (const name of runs[0]!.keys()) {
    const ms = median(runs.map((marks) => marks.get(name)![0]));
    const mib = median(runs.map((marks) => marks.get(name)![1])) / 2 ** 20;
    total += ms;
    memory += mib;
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${mib.toFixed(1).padStart(6)} MiB  ${name}`);
  }
  console.log(`  ${total.toFixed(1).padStart(7)} ms  ${memory.toFixed(1).padStart(6)} MiB  (sum)`);
}

try {
  await stages();
  await importTimes();
  for (const runtime of ["bun", "node"] as const) {
    const file = await bundle(runtime);
    const bundleDir = join(dir, `bundle-${runtime}`);
    for (const [what, messages] of [
      ["initialize", [INITIALIZE]],
      ["initialize + tools/list", [INITIALIZE, INITIALIZED, TOOLS_LIST]],
    ] as const) {
      const results = [];
      for (let run = 0; run < RUNS; run++) results.push(attribute(await profile(runtime, file, [...messages], run), bundleDir));
      const totals = results.map((result) => result.total);
      table(`${runtime}: ${what}, self`, results.map((result) => result.self), totals);
      table(`${runtime}: ${what}, caused by`, results.map((result) => result.caused), totals);
    }
  }
} finally {
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
}
