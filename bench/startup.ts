/**
 * Start-up cost, side by side with a bare compiled Bun program that answers the same `initialize`
 * (and `tools/list`, with the same bytes) and does nothing else — the floor any Bun binary pays —
 * and with the floor of any server on the official SDK (an empty stdio server, compiled like ours).
 *
 *   node_modules/.bin/bun bench/startup.ts                          binary, Node bundle, bare program
 *   BASELINE=/path/to/checkout node_modules/.bin/bun bench/startup.ts   … and that checkout's binary and bundle
 *   node_modules/.bin/bun bench/startup.ts --flags                  binaries compiled with each set of options
 *
 * Cold start = spawn to the first answer line on stdout, with `initialize` written at once; median
 * of 20 (after 2 warm-up runs that fill the page cache). CPU = the CPU time all of the process's
 * threads had used by then (/proc/<pid>/task/<tid>/schedstat): on a machine shared with other work,
 * wall time swings with the load, CPU time hardly does. RSS = VmRSS once `tools/list` has answered,
 * median of 5. Then, in the same processes, the first tools/call (one refused for an unknown
 * argument: it loads and runs the tool registry but reaches no network) and the RSS after it.
 * The server runs `stdio` with (unused) env credentials and LOG_LEVEL=warn.
 * BASELINE (a checkout with node_modules, e.g. `git archive <commit> | tar -x -C /tmp/base` and
 * `npm ci` there) is built with its own scripts/build.ts and measured in the same interleaved runs:
 * before and after, under the same load.
 * Linux only (/proc). Builds into a temporary directory; nothing in dist/ is touched.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildNode, compile, COMPILE_OPTIONS, type CompileOptions, hostTarget, binaryName, ROOT } from "../scripts/build.ts";
import { allTools } from "../src/tools/index.ts";
import { toolListing } from "../src/tools/schema.ts";

const RUNS = 20;
const RSS_RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), "autotask-mcp-startup-"));
const ENV = { AUTOTASK_USERNAME: "bench@example.com", AUTOTASK_SECRET: "x", AUTOTASK_INTEGRATION_CODE: "y", LOG_LEVEL: "warn" };
const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } };
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };
const TOOLS_LIST = { jsonrpc: "2.0", id: 2, method: "tools/list" };
const FIRST_CALL = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "autotask_test_connection", arguments: { bench: true } } };
const BASELINE = process.env.BASELINE;
const line = (message: object) => `${JSON.stringify(message)}\n`;

interface Subject {
  name: string;
  command: string[];
  /** Bytes on disk (the binary, or the bundle for Node). */
  size: number;
  /** Added to the environment. */
  env?: Record<string, string>;
}

interface Figures {
  startMs: number;
  startMinMs: number;
  cpuMs: number;
  rssMiB: number;
  /** The first tools/call, written once tools/list has answered: ms to its answer, RSS after it. */
  callMs: number;
  callRssMiB: number;
}

/** CPU time (ms) every thread of `pid` has run so far; schedstat's first field is ns on a CPU. */
function cpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1e6;
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

/** A running subject: `send` writes messages and resolves once `answers` more lines came back, with the ms that took. */
function spawnSubject(subject: Subject) {
  const proc = Bun.spawn(subject.command, { cwd: dir, env: { ...ENV, ...subject.env }, stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  const reader = proc.stdout.getReader();
  let seen = 0;
  return {
    proc,
    async send(messages: object[], answers: number): Promise<number> {
      const began = performance.now();
      for (const message of messages) proc.stdin.write(line(message));
      await proc.stdin.flush();
      const wanted = seen + answers;
      while (seen < wanted) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`${subject.name} exited before answering`);
        for (const byte of value) if (byte === 10) seen++;
      }
      return performance.now() - began;
    },
    async stop() {
      proc.kill();
      await proc.exited;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Measures every subject, interleaved run by run so that noise from other work on the machine falls
 * on all of them alike.
 */
async function measureAll(subjects: Subject[]): Promise<Figures[]> {
  const samples = subjects.map(() => ({ starts: [] as number[], cpu: [] as number[], rss: [] as number[], call: [] as number[], callRss: [] as number[] }));
  for (let run = -2; run < RUNS; run++) {
    for (const [index, subject] of subjects.entries()) {
      // Timed from before the spawn: starting the process is part of a cold start.
      const began = performance.now();
      const running = spawnSubject(subject);
      await running.send([INITIALIZE], 1);
      const ms = performance.now() - began;
      const cpu = cpuMs(running.proc.pid);
      await running.stop();
      if (run >= 0) {
        samples[index]!.starts.push(ms);
        samples[index]!.cpu.push(cpu);
      }
    }
  }
  for (let run = 0; run < RSS_RUNS; run++) {
    for (const [index, subject] of subjects.entries()) {
      const running = spawnSubject(subject);
      await running.send([INITIALIZE, INITIALIZED, TOOLS_LIST], 2);
      samples[index]!.rss.push(rssMiB(running.proc.pid));
      samples[index]!.call.push(await running.send([FIRST_CALL], 1));
      samples[index]!.callRss.push(rssMiB(running.proc.pid));
      await running.stop();
    }
  }
  return samples.map((sample) => ({
    startMs: median(sample.starts),
    startMinMs: Math.min(...sample.starts),
    cpuMs: median(sample.cpu),
    rssMiB: median(sample.rss),
    callMs: median(sample.call),
    callRssMiB: median(sample.callRss),
  }));
}

/** A Bun program that answers initialize and tools/list with fixed bytes, compiled like ours. */
async function bareProgram(): Promise<Subject> {
  const tools = JSON.stringify({ tools: allTools().map(toolListing) });
  const source = join(dir, "bare.ts");
  writeFileSync(
    source,
    `const TOOLS = ${JSON.stringify(tools)};
const INIT = ${JSON.stringify(JSON.stringify({ protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "bare", version: "1" } }))};
let buffered = "";
process.stdin.on("data", (chunk) => {
  buffered += chunk;
  for (let end = buffered.indexOf("\\n"); end >= 0; end = buffered.indexOf("\\n")) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (message.id === undefined) continue;
    const result = message.method === "initialize" ? INIT : message.method === "tools/list" ? TOOLS : "{}";
    process.stdout.write('{"jsonrpc":"2.0","id":' + JSON.stringify(message.id) + ',"result":' + result + "}\\n");
  }
});
`,
  );
  const outfile = join(dir, "bare");
  const proc = Bun.spawn([process.execPath, "build", source, "--compile", "--minify", `--outfile=${outfile}`], { stdout: "ignore", stderr: "inherit" });
  if ((await proc.exited) !== 0) throw new Error("compiling the bare program failed");
  return { name: "bare compiled Bun program", command: [outfile], size: statSync(outfile).size };
}

/**
 * The floor of any server built on the official SDK: a program that serves an empty tool list over
 * stdio with @modelcontextprotocol/server and nothing else, compiled like ours (COMPILE_OPTIONS).
 */
async function sdkFloorProgram(): Promise<Subject> {
  // In the repository, so that the SDK resolves from its node_modules.
  const source = join(ROOT, ".startup-sdk-floor.ts");
  const outfile = join(dir, "sdk-floor");
  writeFileSync(
    source,
    `import { Server } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
serveStdio(() => {
  const server = new Server({ name: "floor", version: "1" }, { capabilities: { tools: {} } });
  server.setRequestHandler("tools/list", () => ({ tools: [] }));
  server.setRequestHandler("tools/call", () => ({ content: [] }));
  return server;
});
`,
  );
  try {
    const result = await Bun.build({ entrypoints: [source], ...COMPILE_OPTIONS, compile: { ...COMPILE_OPTIONS.compile, outfile }, throw: false });
    if (!result.success) throw new Error(`compiling the SDK floor failed: ${result.logs.map((log) => log.message).join("\n")}`);
  } finally {
    rmSync(source, { force: true });
  }
  return { name: "SDK v2 floor (empty stdio server)", command: [outfile], size: statSync(outfile).size };
}

/** Bytes of a Node bundle: its entry and, if it has them, its chunks. */
function bundleSize(entry: string): number {
  const chunks = join(dirname(entry), "chunks");
  return statSync(entry).size + (existsSync(chunks) ? readdirSync(chunks).reduce((sum, name) => sum + statSync(join(chunks, name)).size, 0) : 0);
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function print(rows: Array<[Subject, Figures]>, baseline: Figures) {
  const width = Math.max(...rows.map(([subject]) => subject.name.length));
  const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}x`.padStart(7);
  console.log(`${"".padEnd(width)}  first answer: median   (min)  vs bare       CPU  vs bare  RSS after tools/list  vs bare  first tools/call  RSS after it      size`);
  for (const [subject, figures] of rows) {
    console.log(
      [
        subject.name.padEnd(width),
        `${figures.startMs.toFixed(1)} ms`.padStart(20),
        `(${figures.startMinMs.toFixed(1)})`.padStart(7),
        ratio(figures.startMs, baseline.startMs),
        `${figures.cpuMs.toFixed(1)} ms`.padStart(9),
        ratio(figures.cpuMs, baseline.cpuMs),
        `${figures.rssMiB.toFixed(1)} MiB`.padStart(20),
        ratio(figures.rssMiB, baseline.rssMiB),
        `${figures.callMs.toFixed(1)} ms`.padStart(16),
        `${figures.callRssMiB.toFixed(1)} MiB`.padStart(12),
        mib(subject.size).padStart(9),
      ].join("  "),
    );
  }
}

/** Build options worth comparing; each is compiled and measured against the bare program. */
const OPTION_SETS: Array<[string, CompileOptions]> = [
  ["(none)", { compile: {} }],
  ["minify", { minify: true, compile: {} }],
  ["minify + bytecode", { minify: true, bytecode: true, format: "esm", compile: {} }],
  ["minify + bytecode + sourcemap", { minify: true, bytecode: true, format: "esm", sourcemap: "inline", compile: {} }],
  ["shipped, not split", { ...COMPILE_OPTIONS, splitting: false }],
  ["shipped, jitPolicy 1", { ...COMPILE_OPTIONS, compile: { ...COMPILE_OPTIONS.compile, jitPolicy: 1 } }],
  ["shipped, jitPolicy 1000", { ...COMPILE_OPTIONS, compile: { ...COMPILE_OPTIONS.compile, jitPolicy: 1000 } }],
  ["shipped (COMPILE_OPTIONS)", COMPILE_OPTIONS],
];

/** Records which functions a run of `binary` uses (initialize, tools/list, a first call), for bytecodeOrder. */
async function bytecodeOrder(binary: string): Promise<string> {
  const order = join(dir, "bytecode-order.txt");
  const running = spawnSubject({ name: "order", command: [binary, "stdio"], size: 0, env: { BUN_BYTECODE_ORDER_OUT: order } });
  await running.send([INITIALIZE, INITIALIZED, TOOLS_LIST, FIRST_CALL], 3);
  running.proc.stdin.end(); // the server exits at the end of its input, which writes the order file
  await running.proc.exited;
  return order;
}

/** BASELINE's binary and Node bundle, built by its own scripts/build.ts. */
async function baselineSubjects(root: string): Promise<Subject[]> {
  const out = join(dir, "baseline");
  for (const what of ["compile", "node"]) {
    const proc = Bun.spawn([process.execPath, "scripts/build.ts", what, "--outdir", out], { cwd: root, stdout: "ignore", stderr: "inherit" });
    if ((await proc.exited) !== 0) throw new Error(`building ${root} (${what}) failed`);
  }
  const commit = Bun.spawnSync(["git", "-C", root, "rev-parse", "--short", "HEAD"]).stdout.toString().trim() || root.split("/").pop()!;
  const binary = join(out, binaryName(hostTarget()));
  const bundle = join(out, "cli.js");
  return [
    { name: `before (${commit}): binary`, command: [binary, "stdio"], size: statSync(binary).size },
    { name: `before (${commit}): node cli.js`, command: ["node", bundle, "stdio"], size: bundleSize(bundle) },
  ];
}

try {
  const bare = await bareProgram();
  const subjects: Subject[] = [bare, await sdkFloorProgram()];
  if (process.argv.includes("--flags")) {
    for (const [name, options] of OPTION_SETS) {
      const binary = await compile(hostTarget(), join(dir, name.replace(/\W+/g, "_")), options);
      subjects.push({ name, command: [binary, "stdio"], size: statSync(binary).size });
    }
    // Profile-guided bytecode layout: a recorded run of the shipped options, then a rebuild with it.
    const order = await bytecodeOrder(subjects.at(-1)!.command[0]!);
    const ordered = await compile(hostTarget(), join(dir, "ordered"), { ...COMPILE_OPTIONS, compile: { ...COMPILE_OPTIONS.compile, bytecodeOrder: order } });
    subjects.push({ name: "shipped + bytecodeOrder", command: [ordered, "stdio"], size: statSync(ordered).size });
  } else {
    if (BASELINE) subjects.push(...(await baselineSubjects(BASELINE)));
    const binary = await compile(hostTarget(), dir);
    const bundle = await buildNode(join(dir, "cli.js"));
    subjects.push({ name: `binary (${hostTarget()})`, command: [binary, "stdio"], size: statSync(binary).size });
    subjects.push({ name: "node dist/cli.js stdio", command: ["node", bundle, "stdio"], size: bundleSize(bundle) });
  }
  const figures = await measureAll(subjects);
  console.log(`\nstart-up, ${RUNS} runs each, interleaved (${ROOT}; load average ${(await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ")})`);
  print(subjects.map((subject, index) => [subject, figures[index]!]), figures[0]!);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
