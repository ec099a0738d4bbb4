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
    expect(stderr.trim()).toBe('autotask-mcp: AUTH_MODE must be env, gateway or oauth, got "bogus"');
  });

  test("serve --auth-mode oauth without an encryption key stops with one line saying how to make one", async () => {
    const { stderr, code } = await run(["serve", "--auth-mode", "oauth", "--port", "0", "--host", "127.0.0.1"]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      "autotask-mcp: AUTH_MODE=oauth needs AUTOTASK_MCP_ENCRYPTION_KEY (or AUTOTASK_MCP_ENCRYPTION_KEY_FILE) to encrypt stored Autotask credentials: make one with `autotask-mcp keys generate` (or `openssl rand -base64 32`)",
    ]);
    const short = await run(["serve", "--auth-mode", "oauth", "--port", "0", "--host", "127.0.0.1"], { AUTOTASK_MCP_ENCRYPTION_KEY: "dG9vIHNob3J0" });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("AUTOTASK_MCP_ENCRYPTION_KEY: key 1 is not 32 bytes of base64 (got 9 bytes)");
  });

  test("keys generate prints a fresh 32-byte key", async () => {
    const first = await run(["keys", "generate"]);
    const second = await run(["keys", "generate"]);
    expect(first.code).toBe(0);
    expect(Buffer.from(first.stdout.trim(), "base64").length).toBe(32);
    expect(first.stdout).not.toBe(second.stdout);
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

describe("the CLI refuses what it does not understand", () => {
  // A typo that silently drops a safety switch (--read-only) must stop start-up instead.
  const refusals: Array<[string[], RegExp]> = [
    [["stdio", "--sandbox", "--read-onyl"], /^autotask-mcp stdio: unknown option --read-onyl \(did you mean --read-only\?\)$/],
    [["stdio", "--readonly"], /unknown option --readonly \(did you mean --read-only\?\)/],
    [["stdio", "--toolset=tickets"], /unknown option --toolset \(did you mean --toolsets\?\)/],
    [["-V"], /^autotask-mcp: unknown option -V \(did you mean --version\?\)$/],
    [["stdio", "extra"], /^autotask-mcp stdio: unexpected argument "extra"$/],
    [["stdoi"], /^autotask-mcp: unknown command "stdoi" \(did you mean stdio\?/],
    [["--sandbox", "stdio"], /options go after the command: autotask-mcp stdio --sandbox/],
    [["serve", "--port"], /option --port needs a value/],
    [["tools", "--jsno"], /did you mean --json\?/],
    [["test-connection", "--sandbox", "--verbose"], /unknown option --verbose/],
  ];
  for (const [args, message] of refusals) {
    test(`${args.join(" ")} -> exit 2 with one line`, async () => {
      const { stdout, stderr, code } = await run(args, { AUTOTASK_SANDBOX: "false" });
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr.trim()).toMatch(message);
    });
  }

  test("valid spellings still work: --flag=value", async () => {
    const { code, stdout } = await run(["test-connection", "--sandbox", "--log-level=error", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).ok).toBe(true);
  });

  test("test-connection --json prints a JSON object on failure too", async () => {
    const missing = await run(["test-connection", "--json"], { AUTOTASK_USERNAME: "someone@example.com" });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, reason: "missing credentials" });
    const badConfig = await run(["test-connection", "--json"], { AUTH_MODE: "bogus" });
    expect(badConfig.code).toBe(1);
    expect(JSON.parse(badConfig.stdout)).toMatchObject({ ok: false, reason: "configuration", detail: 'AUTH_MODE must be env, gateway or oauth, got "bogus"' });
    const wrong = await run(["test-connection", "--json"], { ...sandboxEnv(sandbox), AUTOTASK_SECRET: "definitely-wrong-secret" });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, reason: expect.stringContaining("wrong secret") });
    expect(wrong.stdout).not.toContain("definitely-wrong-secret");
  });

  test("no colour codes when the output is not a terminal", async () => {
    const { stdout, code } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("USAGE");
    expect(stdout).not.toContain("\u001b[");
  });

  test("`tools | head` ends quietly", async () => {
    const proc = Bun.spawn(["sh", "-c", `"${BUN}" "${CLI}" tools | head -1`], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(stderr).toBe("");
  });
});
