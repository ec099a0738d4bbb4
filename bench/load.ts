/**
 * What the HTTP benches share: starting a server process and waiting for its "listening url=…"
 * log line, a bounded closed-loop load (CONCURRENCY workers, each waiting for its answer before
 * sending the next request), and a plain-text table.
 */

export const CONCURRENCY = 8;

export interface Child {
  proc: ReturnType<typeof Bun.spawn>;
  /** Base URL (no /mcp). */
  url: string;
}

/** Runs `bun …args` with only PATH and `env`, resolving once it logs where it listens. */
export async function spawnServer(args: string[], env: Record<string, string>, cwd: string): Promise<Child> {
  const proc = Bun.spawn([process.execPath, ...args], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, stdout: "ignore", stderr: "pipe" });
  const url = await new Promise<string>((resolve, reject) => {
    void (async () => {
      let seen = "";
      let found = false;
      const decoder = new TextDecoder();
      // Keep draining stderr (the access log) for the life of the process.
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
        if (found) continue;
        seen += decoder.decode(chunk);
        const match = /listening url=(http:\/\/\S+?)(\/mcp)?(\s|$)/.exec(seen);
        if (match) {
          found = true;
          resolve(match[1]!);
        }
      }
      if (!found) reject(new Error(`process exited before listening:\n${seen}`));
    })();
  });
  return { proc, url };
}

export interface Run {
  calls: number;
  seconds: number;
  perSecond: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  errors: number;
}

/** One unit of work: resolves true when it succeeded. */
export type Work = () => Promise<boolean>;

/** A POST answered 200 without a tool error. */
export function postWork(url: string, body: string, headers: Record<string, string>): Work {
  return async () => {
    const response = await fetch(url, { method: "POST", headers, body });
    const text = await response.text();
    return response.status === 200 && !text.includes('"isError":true');
  };
}

/** `total` units of `work` from CONCURRENCY workers, stopping early at `deadline` (epoch ms). */
export async function load(work: Work, total: number, deadline: number): Promise<Run> {
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < total && Date.now() < deadline) {
        issued++;
        const start = performance.now();
        const ok = await work();
        latencies.push(performance.now() - start);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { calls: latencies.length, seconds, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors };
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux; clock ticks of 10 ms).
 * Less noisy than throughput on a shared machine: other processes' load slows a server down but
 * does not add to its CPU time.
 */
export function cpuSeconds(pid: number): number {
  const stat = require("node:fs").readFileSync(`/proc/${pid}/stat`, "utf8") as string;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** One side of an A/B comparison: the work, and the server process whose CPU it costs. */
export interface Side {
  pid: number;
  work: Work;
}

export interface SideRun {
  calls: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU time per unit of work, µs (lowest of the rounds). */
  cpuMicros: number;
}

/**
 * A against B under the same conditions: each of CONCURRENCY workers does A then B (the order
 * flips every time), so whatever else the machine is doing hits both alike. `total` pairs per
 * round; per side, latency from the least disturbed round (lowest CPU per call) and that CPU.
 * The two sides must be different server processes for their CPU to be told apart.
 */
export async function paired(a: Side, b: Side, total: number, rounds: number, deadline: number): Promise<[SideRun, SideRun]> {
  const best: [SideRun | undefined, SideRun | undefined] = [undefined, undefined];
  for (let round = 0; round < rounds; round++) {
    const latencies: [number[], number[]] = [[], []];
    const errors = [0, 0];
    const cpuBefore = [cpuSeconds(a.pid), cpuSeconds(b.pid)];
    let issued = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (issued < total && Date.now() < deadline) {
          const order = issued++ % 2 === 0 ? [0, 1] : [1, 0];
          for (const side of order) {
            const start = performance.now();
            const ok = await [a, b][side]!.work();
            latencies[side]!.push(performance.now() - start);
            if (!ok) errors[side]!++;
          }
        }
      }),
    );
    const cpuAfter = [cpuSeconds(a.pid), cpuSeconds(b.pid)];
    for (const side of [0, 1] as const) {
      const sorted = latencies[side].sort((x, y) => x - y);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      const run = { calls: sorted.length, p50: at(0.5), p99: at(0.99), errors: errors[side]!, cpuMicros: ((cpuAfter[side]! - cpuBefore[side]!) / sorted.length) * 1e6 };
      if (!best[side] || run.cpuMicros < best[side]!.cpuMicros) best[side] = run;
    }
  }
  return best as [SideRun, SideRun];
}

export const f0 = (n: number) => n.toFixed(0);
export const f1 = (n: number) => n.toFixed(1);
export const f2 = (n: number) => n.toFixed(2);

/** The usual row for a run: calls, calls/s, p50, p99, errors. */
export function runCells(run: Run): string[] {
  return [String(run.calls), f1(run.perSecond), f2(run.p50), f2(run.p99), String(run.errors)];
}

/** Prints rows under a header, the first column left-aligned and the rest right-aligned. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
