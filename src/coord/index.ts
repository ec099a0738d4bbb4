/**
 * Which Coordinator a server uses: this process's (memory.ts), or — for `serve` with REDIS_URL —
 * the one shared by every replica through Redis (redis.ts, loaded only then: it needs Bun).
 */
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Coordinator } from "./coordinator.ts";
import { MemoryCoordinator } from "./memory.ts";

export class CoordinationError extends Error {
  override name = "CoordinationError";
}

/**
 * The coordinator: shared through Redis when `shared` (the HTTP server) and REDIS_URL is set, else
 * this process's — a stdio server or a one-off command serves one client and ignores REDIS_URL.
 * Throws CoordinationError when REDIS_URL is set on Node (Bun's Redis client is built into Bun).
 * An unreachable Redis is not an error: the server starts with the per-process gate and keeps trying.
 */
export async function openCoordinator(config: Config, log: Logger, shared: boolean): Promise<Coordinator> {
  if (!shared || !config.redisUrl) return new MemoryCoordinator();
  if (typeof Bun === "undefined") {
    throw new CoordinationError(
      "REDIS_URL needs the Bun runtime: its Redis client is built into Bun, not Node. Run the standalone binary, the container image, or `bunx autotask-mcp`; or unset REDIS_URL to keep Autotask's limits in this one process",
    );
  }
  const { openRedisCoordinator } = await import("./redis.ts");
  return openRedisCoordinator({ url: config.redisUrl, log });
}
