/**
 * Builds the Claude Desktop extension: dist/autotask-mcp.mcpb (MCP Bundle, a zip), then refreshes
 * dist/SHA256SUMS.
 *
 *   bun scripts/mcpb.ts [--outdir DIR]
 *
 * The bundle runs the Node bundle (server/cli.js and its chunks) with the Node that Claude Desktop ships, so one
 * file serves macOS, Windows and Linux. mcpb/manifest.json is the template; the bundle's manifest adds
 * the tools the stdio server lists by default, read from the registry (one source of truth), and is
 * checked with `mcpb validate` before `mcpb pack` (npm: @anthropic-ai/mcpb; MANIFEST.md there is the spec).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { TOOLS } from "../src/tools/index.ts";
import { buildNode, ROOT, writeChecksums } from "./build.ts";

const MCPB_NAME = "autotask-mcp.mcpb";
const MCPB_CLI = join(ROOT, "node_modules/.bin/mcpb");

/** The bundle's manifest: the template with the package version checked and the tool list filled in. */
function bundleManifest(): Record<string, unknown> {
  const { $schema: _schema, ...template } = JSON.parse(readFileSync(join(ROOT, "mcpb/manifest.json"), "utf8")) as Record<string, unknown>;
  if (template.version !== pkg.version) throw new Error(`mcpb/manifest.json has version ${String(template.version)}, package.json ${pkg.version}: keep them in step`);
  return { ...template, tools: TOOLS.map((tool) => ({ name: tool.name, description: tool.title })), tools_generated: false };
}

function mcpb(args: string[]): void {
  const run = Bun.spawnSync([MCPB_CLI, ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`mcpb ${args.join(" ")} failed:\n${run.stdout.toString()}${run.stderr.toString()}`);
}

/** Stages the bundle in `outdir/mcpb/`, validates and packs it; returns the .mcpb path. */
async function buildMcpb(outdir: string): Promise<string> {
  const stage = join(outdir, "mcpb");
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, "server"), { recursive: true });
  await buildNode(join(stage, "server/cli.js"));
  writeFileSync(join(stage, "manifest.json"), `${JSON.stringify(bundleManifest(), null, 2)}\n`);
  copyFileSync(join(ROOT, "LICENSE"), join(stage, "LICENSE"));
  mcpb(["validate", join(stage, "manifest.json")]);
  const output = join(outdir, MCPB_NAME);
  mcpb(["pack", stage, output]);
  await writeChecksums(outdir);
  return output;
}

if (import.meta.main) {
  const index = process.argv.indexOf("--outdir");
  const outdir = resolve(index >= 0 ? process.argv[index + 1]! : join(ROOT, "dist"));
  buildMcpb(outdir)
    .then((path) => console.log(path))
    .catch((error: Error) => {
      console.error(`mcpb: ${error.message}`);
      process.exit(1);
    });
}
