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
