/** The CLI as users run it: a real subprocess, real exit codes, real stdout/stderr. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import pkg from "../package.json" with { type: "json" };
import { BUN, CLI, ROOT, sandboxEnv } from "./helpers/mcp.ts";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

async function run(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([BUN, CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("autotask-mcp", () => {
  test("--version prints the package version, and says it runs from source (no build commit or date)", async () => {
    const { stdout, code } = await run(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(`${pkg.version} (from source)`);
  });

  test("--help lists the subcommands", async () => {
    const { stdout, code } = await run(["--help"]);
    expect(code).toBe(0);
    for (const command of ["stdio", "serve", "test-connection", "healthcheck", "tools"]) expect(stdout).toContain(command);
  });

  test("bad configuration stops start-up with one line naming the variable", async () => {
    const { stderr, stdout, code } = await run(["stdio"], { AUTH_MODE: "bogus" });
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe('autotask-mcp: AUTH_MODE must be env or gateway, got "bogus"');
  });

  test("tools --json prints every tool with its schemas", async () => {
    const { stdout, code } = await run(["tools", "--json"]);
    expect(code).toBe(0);
    const tools = JSON.parse(stdout) as Array<{ name: string; inputSchema: { type: string }; outputSchema: { type: string }; annotations: Record<string, unknown> }>;
    expect(tools.length).toBeGreaterThanOrEqual(90);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema.type).toBe("object");
      expect(typeof tool.annotations.readOnlyHint).toBe("boolean");
    }
  });
});

describe("test-connection", () => {
  test("prints zone, API URL, the API user's resource and the time taken", async () => {
    const { stdout, stderr, code } = await run(["test-connection"], sandboxEnv(sandbox));
    expect(stderr).not.toContain(DEFAULT_SANDBOX_TENANT.secret);
    expect(code).toBe(0);
    expect(stdout).toContain("Connected to Autotask");
    expect(stdout).toContain("zone:      Sandbox");
    expect(stdout).toContain(`API URL:   ${sandbox.apiUrl}V1.0/`);
    expect(stdout).toMatch(/API user:  sandbox@autotask-mcp\.dev \(resource \d+: \S+ \S+\)/);
    expect(stdout).toMatch(/time:      \d+ ms/);
  });

  test("--json is machine-readable", async () => {
    const { stdout, code } = await run(["test-connection", "--json"], sandboxEnv(sandbox));
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ ok: true, zone: "Sandbox", username: DEFAULT_SANDBOX_TENANT.username });
    expect(result.resource.id).toBeGreaterThan(0);
  });

  test("--sandbox needs no credentials", async () => {
    const { stdout, code } = await run(["test-connection", "--sandbox"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Connected to Autotask");
  });

  const failures: Array<[string, Record<string, string>, RegExp]> = [
    ["wrong secret", { AUTOTASK_SECRET: "definitely-wrong-secret" }, /wrong secret/],
    ["unknown user", { AUTOTASK_USERNAME: "nobody@example.com" }, /unknown user/],
    ["invalid integration code", { AUTOTASK_INTEGRATION_CODE: "WRONG-INTEGRATION-CODE-123" }, /invalid integration code/],
    ["unreachable", { AUTOTASK_ZONE_LOOKUP_URL: "http://127.0.0.1:9/ATServicesRest/V1.0/zoneInformation" }, /unreachable/],
  ];
  for (const [name, env, reason] of failures) {
    test(`fails clearly (${name}), exit 1, never printing the secret`, async () => {
      const merged = { ...sandboxEnv(sandbox), ...env };
      const { stdout, stderr, code } = await run(["test-connection"], merged);
      expect(code).toBe(1);
      expect(stderr).toMatch(reason);
      expect(stdout + stderr).not.toContain(merged.AUTOTASK_SECRET!);
      expect(stdout + stderr).not.toContain(merged.AUTOTASK_INTEGRATION_CODE!);
      expect(stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
    });
  }

  test("missing credentials name the variables", async () => {
    const { stderr, code } = await run(["test-connection"], { AUTOTASK_USERNAME: "someone@example.com" });
    expect(code).toBe(1);
    expect(stderr).toContain("AUTOTASK_SECRET");
    expect(stderr).toContain("AUTOTASK_INTEGRATION_CODE");
  });
});
