/**
 * Start-up cost, side by side with a bare compiled Bun program that answers the same `initialize`
 * (and `tools/list`, with the same bytes) and does nothing else — the floor any Bun binary pays.
 *
 *   node_modules/.bin/bun bench/startup.ts            binary, Node bundle, bare program
 *   node_modules/.bin/bun bench/startup.ts --flags    binaries compiled with each set of flags
 *
 * Cold start = spawn to the first answer line on stdout, with `initialize` written at once; median
 * of 20 (after 2 warm-up runs that fill the page cache). CPU = the CPU time all of the process's
 * threads had used by then (/proc/<pid>/task/<tid>/schedstat): on a machine shared with other work,
 * wall time swings with the load, CPU time hardly does. RSS = VmRSS once `tools/list` has answered,
 * median of 5. The server runs `stdio` with (unused) env credentials and LOG_LEVEL=warn.
 * Linux only (/proc). Builds into a temporary directory; nothing in dist/ is touched.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNode, compile, COMPILE_FLAGS, hostTarget, ROOT } from "../scripts/build.ts";
import { allTools } from "../src/tools/index.ts";
import { toolListing } from "../src/tools/schema.ts";

const RUNS = 20;
const RSS_RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), "autotask-mcp-startup-"));
const ENV = { AUTOTASK_USERNAME: "bench@example.com", AUTOTASK_SECRET: "x", AUTOTASK_INTEGRATION_CODE: "y", LOG_LEVEL: "warn" };
const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } } };
const INITIALIZED = { jsonrpc: "2.0", method: "notifications/initialized" };
const TOOLS_LIST = { jsonrpc: "2.0", id: 2, method: "tools/list" };
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

/** Spawns the subject, writes `messages`, resolves once `answers` lines came back: wall ms, CPU ms, the process. */
async function exchange(subject: Subject, messages: object[], answers: number) {
  const began = performance.now();
  const proc = Bun.spawn(subject.command, { cwd: dir, env: { ...ENV, ...subject.env }, stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  for (const message of messages) proc.stdin.write(line(message));
  await proc.stdin.flush();
  const reader = proc.stdout.getReader();
  let seen = 0;
  while (seen < answers) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${subject.name} exited before answering`);
    for (const byte of value) if (byte === 10) seen++;
  }
  const ms = performance.now() - began;
  return { ms, cpu: cpuMs(proc.pid), proc };
}

async function stop(proc: ReturnType<typeof Bun.spawn>) {
  proc.kill();
  await proc.exited;
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
  const starts = subjects.map((): number[] => []);
  const cpu = subjects.map((): number[] => []);
  const rss = subjects.map((): number[] => []);
  for (let run = -2; run < RUNS; run++) {
    for (const [index, subject] of subjects.entries()) {
      const result = await exchange(subject, [INITIALIZE], 1);
      await stop(result.proc);
      if (run >= 0) {
        starts[index]!.push(result.ms);
        cpu[index]!.push(result.cpu);
      }
    }
  }
  for (let run = 0; run < RSS_RUNS; run++) {
    for (const [index, subject] of subjects.entries()) {
      const { proc } = await exchange(subject, [INITIALIZE, INITIALIZED, TOOLS_LIST], 2);
      const status = readFileSync(`/proc/${proc.pid}/status`, "utf8");
      rss[index]!.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      await stop(proc);
    }
  }
  return subjects.map((_, index) => ({ startMs: median(starts[index]!), startMinMs: Math.min(...starts[index]!), cpuMs: median(cpu[index]!), rssMiB: median(rss[index]!) }));
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

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function print(rows: Array<[Subject, Figures]>, baseline: Figures) {
  const width = Math.max(...rows.map(([subject]) => subject.name.length));
  const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}x`.padStart(7);
  console.log(`${"".padEnd(width)}  first answer: median   (min)     vs bare   CPU      vs bare   RSS after tools/list  vs bare   size`);
  for (const [subject, figures] of rows) {
    console.log(
      [
        subject.name.padEnd(width),
        `${figures.startMs.toFixed(1)} ms`.padStart(20),
        `(${figures.startMinMs.toFixed(1)})`.padStart(9),
        ratio(figures.startMs, baseline.startMs),
        `${figures.cpuMs.toFixed(1)} ms`.padStart(10),
        ratio(figures.cpuMs, baseline.cpuMs),
        `${figures.rssMiB.toFixed(1)} MiB`.padStart(14),
        `${ratio(figures.rssMiB, baseline.rssMiB)}      `,
        mib(subject.size),
      ].join("  "),
    );
  }
}

/** Flag sets worth comparing; each is compiled and measured against the bare program. */
const FLAG_SETS: Array<[string, string[]]> = [
  ["(none)", []],
  ["--minify", ["--minify"]],
  ["--bytecode", ["--bytecode", "--format=esm"]],
  ["--minify --bytecode", ["--minify", "--bytecode", "--format=esm"]],
  ["--minify --bytecode --sourcemap", ["--minify", "--bytecode", "--format=esm", "--sourcemap=inline"]],
  ["--minify --sourcemap", ["--minify", "--sourcemap=inline"]],
  ["shipped + --compile-jit-policy=4", [...COMPILE_FLAGS, "--compile-jit-policy=4"]],
  ["shipped (COMPILE_FLAGS)", COMPILE_FLAGS],
];

/** Records which functions a run of `binary` uses, for --bytecode-order. */
async function bytecodeOrder(binary: string): Promise<string> {
  const order = join(dir, "bytecode-order.txt");
  const subject = { name: "order", command: [binary, "stdio"], size: 0, env: { BUN_BYTECODE_ORDER_OUT: order } };
  const { proc } = await exchange(subject, [INITIALIZE, INITIALIZED, TOOLS_LIST], 2);
  proc.stdin.end(); // the server exits at the end of its input, which writes the order file
  await proc.exited;
  return order;
}

try {
  const bare = await bareProgram();
  const subjects: Subject[] = [bare];
  if (process.argv.includes("--flags")) {
    for (const [name, flags] of FLAG_SETS) {
      const binary = await compile(hostTarget(), join(dir, name.replace(/\W+/g, "_")), flags);
      subjects.push({ name, command: [binary, "stdio"], size: statSync(binary).size });
    }
    // Profile-guided bytecode layout: a recorded run of the shipped flags, then a rebuild with it.
    const order = await bytecodeOrder(subjects.at(-1)!.command[0]!);
    const ordered = await compile(hostTarget(), join(dir, "ordered"), [...COMPILE_FLAGS, `--bytecode-order=${order}`]);
    subjects.push({ name: "shipped + --bytecode-order", command: [ordered, "stdio"], size: statSync(ordered).size });
  } else {
    const binary = await compile(hostTarget(), dir);
    const bundle = await buildNode(join(dir, "cli.js"));
    subjects.push({ name: `binary (${hostTarget()})`, command: [binary, "stdio"], size: statSync(binary).size });
    subjects.push({ name: "node dist/cli.js stdio", command: ["node", bundle, "stdio"], size: statSync(bundle).size });
  }
  const figures = await measureAll(subjects);
  console.log(`\nstart-up, ${RUNS} runs each, interleaved (${ROOT}; load average ${(await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).join(" ")})`);
  print(subjects.map((subject, index) => [subject, figures[index]!]), figures[0]!);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
