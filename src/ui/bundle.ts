/**
 * A Bun macro (imported `with { type: "macro" }`): bundles the views' browser code into one minified
 * ES module and returns it as a string. It runs when the importing module is bundled — so
 * `npm run build` (dist/cli.js for Node) and `--compile` (the binaries) carry the finished script and
 * need neither Bun nor node_modules at run time — and, when running from source, when that module is
 * first loaded. Bun.build cannot run inside a macro (the bundler would wait on itself), hence the
 * `bun build` subprocess, as Bun's documentation advises.
 */
export function bundleViewScript(): string {
  const entry = new URL("./client/main.ts", import.meta.url).pathname;
  const result = Bun.spawnSync([process.execPath, "build", entry, "--target=browser", "--format=esm", "--minify"], { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`bundling the MCP Apps views failed:\n${result.stderr.toString()}`);
  return result.stdout.toString();
}
