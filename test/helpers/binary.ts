/**
 * The standalone binary for this machine, compiled once per test run (as `npm run compile` does, with
 * the same flags) and shared by every test file that needs it: bun test runs all files in one
 * process, so the promise below is reused. It lives in a temporary directory, readable by other
 * users (tests run it as a non-root uid); test/setup.ts removes it when the run ends (bun test
 * emits no process "exit" event, so a global afterAll does it).
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, hostTarget, type Target } from "../../scripts/build.ts";

let built: Promise<{ path: string; target: Target; dir: string }> | undefined;

export function hostBinary(): Promise<{ path: string; target: Target; dir: string }> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "autotask-mcp-bin-"));
    chmodSync(dir, 0o755);
    const target = hostTarget();
    return { path: await compile(target, dir), target, dir };
  })();
  return built;
}

/** Deletes the binary built for this run, if any (110 MB a build). */
export async function removeHostBinary(): Promise<void> {
  if (!built) return;
  const { dir } = await built.catch(() => ({ dir: undefined }));
  if (dir) rmSync(dir, { recursive: true, force: true });
  built = undefined;
}

/** A uid/gid with no rights here: distroless's `nonroot` (65532). */
export const NONROOT = 65532;

/**
 * argv prefix that runs a command as NONROOT when this process is root (CI is), through util-linux
 * setpriv; empty otherwise, because a non-root user already is one.
 */
export function asNonRoot(): string[] {
  return process.getuid?.() === 0 ? ["setpriv", `--reuid=${NONROOT}`, `--regid=${NONROOT}`, "--clear-groups"] : [];
}
