/**
 * What the limit benches share: starting a gateway (this checkout's CLI, or another checkout's for
 * a before/after comparison: BASELINE=/path/to/checkout), latency percentiles and a table printer.
 */
import type { Sandbox } from "../src/sandbox/index.ts";

export const ROOT = new URL("../", import.meta.url).pathname;

export interface Server {
  label: string;
  mcp: string;
  proc: ReturnType<typeof Bun.spawn>;
  stop(): Promise<void>;
}

/** `autotask-mcp serve` in gateway mode from `root`, pointed at the sandbox (its host allowed). */
export async function startGatewayProcess(root: string, label: string, sandbox: Sandbox, env: Record<string, string> = {}): Promise<Server> {
  const proc = Bun.spawn([process.execPath, `${root}/src/cli.ts`, "serve", "--port", "0", "--host", "127.0.0.1"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      AUTH_MODE: "gateway",
      LOG_LEVEL: "info",
      AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl,
      AUTOTASK_ALLOWED_API_HOSTS: new URL(sandbox.url).host,
      ...env,
    },
    stdout: "ignore",
    stderr: "pipe",
  });
  const url = await new Promise<string>((resolve, reject) => {
    void (async () => {
      let seen = "";
      let found = false;
      // Keep draining stderr (the access log) for the life of the process.
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
        if (found) continue;
        seen += new TextDecoder().decode(chunk);
        const match = /listening url=(http:\/\/\S+?\/mcp)/.exec(seen);
        if (match) {
          found = true;
          resolve(match[1]!);
        }
      }
      if (!found) reject(new Error(`${label} exited before listening:\n${seen}`));
    })();
  });
  return {
    label,
    mcp: url,
    proc,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/** The servers to compare: this checkout, and BASELINE's when set. */
export async function startServers(sandbox: Sandbox, env: Record<string, string> = {}): Promise<Server[]> {
  const servers = [await startGatewayProcess(ROOT, "this branch", sandbox, env)];
  if (process.env.BASELINE) servers.unshift(await startGatewayProcess(process.env.BASELINE, `baseline (${process.env.BASELINE})`, sandbox, env));
  return servers;
}

export function toolCall(name: string, args: Record<string, unknown> = {}): string {
  return JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } });
}

export function headersFor(user: { username: string; secret: string; integrationCode: string }): Record<string, string> {
  return { "Content-Type": "application/json", "X-API-Key": user.username, "X-API-Secret": user.secret, "X-Integration-Code": user.integrationCode };
}

/** The q-quantile (0…1) of unsorted samples. */
export function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
