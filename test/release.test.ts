/**
 * What a release publishes says the same thing everywhere: package.json is the source of the name,
 * version, licence and repository; server.json (MCP Registry), the MCPB manifest template, the
 * CHANGELOG, install.sh and the release workflow are checked against it and against each other.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import server from "../server.json" with { type: "json" };
import template from "../mcpb/manifest.json" with { type: "json" };
import { binaryName, TARGETS, type Target } from "../scripts/build.ts";
import { ENV_VARS } from "../src/config.ts";
import { ROOT } from "./helpers/mcp.ts";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
/** owner/name of the GitHub repository, from package.json. */
const slug = /github\.com\/([^/]+\/[^/.]+)(\.git)?$/.exec(pkg.repository.url)![1]!;
const github = `https://github.com/${slug}`;

describe("package.json", () => {
  test("names one repository for homepage, bugs and the MCP Registry", () => {
    expect(pkg.homepage).toBe(`${github}#readme`);
    expect(pkg.bugs.url).toBe(`${github}/issues`);
    expect(pkg.mcpName).toBe(`io.github.${slug}`);
  });

  test("ships the MIT licence it declares, and no runtime dependencies", () => {
    expect(pkg.license).toBe("MIT");
    expect(read("LICENSE")).toStartWith("MIT License\n");
    expect((pkg as { dependencies?: object }).dependencies).toBeUndefined();
    expect(pkg.files).toEqual(["dist/cli.js", "dist/chunks/", "README.md", "LICENSE", "CHANGELOG.md"]);
    expect(pkg.scripts.prepack).toBe("npm run build");
  });

  test("CHANGELOG.md has a section for this version (the release notes come from it)", () => {
    expect(read("CHANGELOG.md")).toContain(`\n## [${pkg.version}]`);
  });
});

describe("server.json (MCP Registry)", () => {
  test("is in step with package.json", () => {
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    expect(server.repository).toEqual({ url: github, source: "github" });
    const npm = server.packages.find((entry) => entry.registryType === "npm")!;
    expect(npm).toMatchObject({ identifier: pkg.name, version: pkg.version, registryBaseUrl: "https://registry.npmjs.org", transport: { type: "stdio" } });
    const oci = server.packages.find((entry) => entry.registryType === "oci")!;
    expect(oci.identifier).toBe(`ghcr.io/${slug}:${pkg.version}`);
  });

  test("follows the registry's rules: name pattern, description length, declared URL variables, real environment variables", () => {
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.$schema).toMatch(/^https:\/\/static\.modelcontextprotocol\.io\/schemas\/\d{4}-\d\d-\d\d\/server\.schema\.json$/);
    for (const remote of server.remotes) {
      const used = [...remote.url.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(used.sort()).toEqual(Object.keys(remote.variables).sort());
    }
    for (const entry of server.packages) {
      for (const variable of entry.environmentVariables) expect(ENV_VARS).toContain(variable.name as never);
      const secrets = entry.environmentVariables.filter((variable) => (variable as { isSecret?: boolean }).isSecret).map((variable) => variable.name);
      expect(secrets.sort()).toEqual(["AUTOTASK_INTEGRATION_CODE", "AUTOTASK_SECRET"]);
    }
  });
});

describe("the rest of the release", () => {
  test("the MCPB manifest template carries this version and repository", () => {
    expect(template.version).toBe(pkg.version);
    expect(template.repository.url).toBe(github);
    expect(template.license).toBe(pkg.license);
    for (const value of Object.values(template.server.mcp_config.env)) expect(value).toMatch(/^\$\{user_config\.\w+\}$/);
    for (const name of Object.keys(template.server.mcp_config.env)) expect(ENV_VARS).toContain(name as never);
  });

  test("install.sh downloads from this repository's releases and knows every Unix target", () => {
    const script = read("install.sh");
    expect(script).toContain(`REPO_RELEASES="${github}/releases"`);
    const supported = /SUPPORTED="([^"]+)"/.exec(script)![1]!.split(", ");
    expect(supported.sort()).toEqual(Object.keys(TARGETS).filter((target) => !target.startsWith("windows")).sort());
  });

  test("no file names another repository", () => {
    for (const file of ["README.md", "install.sh", "server.json", "mcpb/manifest.json", "Dockerfile", "docker-compose.yml", "CHANGELOG.md", ".github/workflows/release.yml"]) {
      const named = [...read(file).matchAll(/github\.com\/([\w.-]+\/autotask-mcp)\b/g)].map((match) => match[1]);
      expect({ file, named: named.filter((other) => other !== slug) }).toEqual({ file, named: [] });
    }
  });

  test("the release workflow runs only scripts that exist, verifies every binary, and publishes each artifact", () => {
    const workflow = Bun.YAML.parse(read(".github/workflows/release.yml")) as {
      on: { push: { tags: string[] } };
      jobs: Record<string, { needs?: string | string[]; steps: Array<{ run?: string; with?: Record<string, unknown> }>; strategy?: { matrix: { include: Array<{ binary: string }> } } }>;
    };
    expect(workflow.on.push.tags).toEqual(["v*.*.*"]);
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? "")).join("\n");
    for (const [, script] of runs.matchAll(/npm run (\S+)/g)) expect(Object.keys(pkg.scripts)).toContain(script!);
    for (const job of Object.values(workflow.jobs)) for (const need of [job.needs ?? []].flat()) expect(Object.keys(workflow.jobs)).toContain(need);
    const verified = workflow.jobs.verify!.strategy!.matrix.include.map((entry) => entry.binary).sort();
    expect(verified).toEqual((Object.keys(TARGETS) as Target[]).map(binaryName).sort());
    expect(runs).toContain("npm run compile:all");
    expect(runs).toContain("npm run mcpb");
    expect(runs).toContain("npm pack --pack-destination dist");
    expect(runs).toContain(`npm publish "dist/autotask-mcp-\${{ needs.build.outputs.version }}.tgz"`);
    expect(runs).toContain("mcp-publisher publish server.json");
  });
});
