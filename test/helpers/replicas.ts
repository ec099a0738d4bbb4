/**
 * Replicas as they run in production: `autotask-mcp serve` in separate processes on their own
 * loopback ports, with the same environment (shared Redis, PostgreSQL), started together.
 */
import { BUN, CLI, ROOT } from "./mcp.ts";
import { freePort } from "./hosted.ts";

export interface Replica {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Everything it wrote to stderr (its log). */
  log(): string;
  /** Sends a signal (SIGKILL: a crash) and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts one replica and resolves once it listens. */
export async function startReplica(env: Record<string, string>, port = freePort()): Promise<Replica> {
  const proc = Bun.spawn([BUN, CLI, "serve", "--port", String(port), "--host", "127.0.0.1"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_FORMAT: "json", LOG_LEVEL: "info", ...env },
    stdout: "ignore",
    stderr: "pipe",
  });
  let stderr = "";
  void (async () => {
    const decoder = new TextDecoder();
    // Keep reading for the life of the process (a full pipe would block it).
    for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) stderr += decoder.decode(chunk);
  })();
  const url = `http://127.0.0.1:${port}`;
  // Ready once /health answers (whatever LOG_LEVEL says).
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`replica exited before listening:\n${stderr}`);
    if (await fetch(`${url}/health`).then((response) => response.ok, () => false)) break;
    await Bun.sleep(25);
  }
  return {
    url,
    port,
    log: () => stderr,
    async kill(signal = "SIGTERM") {
      if (proc.exitCode !== null) return;
      proc.kill(signal);
      await proc.exited;
    },
  };
}

/** `count` replicas with the same environment, started at once (as a rollout does). */
export function startReplicas(count: number, env: Record<string, string>): Promise<Replica[]> {
  return Promise.all(Array.from({ length: count }, () => startReplica(env)));
}
