/**
 * Read-only mode with a write allowlist: AUTOTASK_WRITE_ALLOWLIST (stdio, lazy meta-tools, start-up
 * errors) and the per-request X-MCP-Write-Allowlist header (HTTP gateway), which only narrows.
 * Every refusal is checked against what reached the sandbox: nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { credentialHeaders, post, startGateway, type Gateway } from "./helpers/gateway.ts";
import { BUN, CLI, ROOT, sandboxSession, textOf, writes } from "./helpers/mcp.ts";

const NOTE = "autotask_create_ticket_note";

describe("AUTOTASK_WRITE_ALLOWLIST over stdio", () => {
  let plain: Awaited<ReturnType<typeof sandboxSession>>;
  let lazy: Awaited<ReturnType<typeof sandboxSession>>;
  beforeAll(async () => {
    const env = { AUTOTASK_READ_ONLY: "true", AUTOTASK_WRITE_ALLOWLIST: ` ${NOTE} ,` };
    [plain, lazy] = await Promise.all([sandboxSession({ env }), sandboxSession({ env: { ...env, LAZY_LOADING: "true" } })]);
  });
  afterAll(() => Promise.all([plain.close(), lazy.close()]));

  test("re-enables exactly the named write tool: listed and callable; other writes neither", async () => {
    const tools = (await plain.session.client.listTools()).tools;
    const writeTools = tools.filter((tool) => tool.annotations?.readOnlyHint === false).map((tool) => tool.name);
    expect(writeTools).toEqual([NOTE]);
    const ticket = plain.sandbox.store().all("Tickets")[0]!;
    plain.requests();
    await plain.session.ok(NOTE, { ticketId: ticket.id, description: "Allowed note" });
    expect(writes(plain.requests()).map((r) => r.method)).toEqual(["POST"]);
    const refused = await plain.session.fail("autotask_update_ticket", { ticketId: ticket.id, title: "Not allowed" });
    expect(refused).toContain("AUTOTASK_WRITE_ALLOWLIST");
    expect(plain.requests()).toEqual([]);
  });

  test("the lazy meta-tools cannot smuggle a write: execute_tool refuses what the selection refuses, raw_request only reads", async () => {
    const ticket = lazy.sandbox.store().all("Tickets")[0]!;
    lazy.requests();
    const update = await lazy.session.call("autotask_execute_tool", { toolName: "autotask_update_ticket", arguments: { ticketId: ticket.id, title: "Smuggled" } });
    expect(update.isError).toBe(true);
    expect(textOf(update)).toContain("Unknown or unavailable tool");
    const rawWrite = await lazy.session.call("autotask_execute_tool", {
      toolName: "autotask_raw_request",
      arguments: { method: "PATCH", path: "Tickets", body: { id: ticket.id, title: "Smuggled" } },
    });
    expect(rawWrite.isError).toBe(true);
    expect(textOf(rawWrite)).toContain("Nothing was sent");
    expect(lazy.requests()).toEqual([]);
    expect(lazy.sandbox.store().get("Tickets", ticket.id as number)!.title).toBe(ticket.title);

    const listed = await lazy.session.ok("autotask_list_category_tools", { category: "tickets" });
    const names = listed.tools.map((tool: { name: string }) => tool.name);
    expect(names).toContain(NOTE);
    expect(names).not.toContain("autotask_update_ticket");
    await lazy.session.ok("autotask_execute_tool", { toolName: NOTE, arguments: { ticketId: ticket.id, description: "Allowed through execute_tool" } });
    expect(writes(lazy.requests()).length).toBe(1);
  });

  test("unknown names and read tools stop start-up with one line naming them", async () => {
    const proc = Bun.spawn([BUN, CLI, "stdio"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, AUTOTASK_READ_ONLY: "true", AUTOTASK_WRITE_ALLOWLIST: "autotask_create_tiket,autotask_search_tickets,autotask_create_ticket" },
      stdin: "pipe",
      stderr: "pipe",
      stdout: "pipe",
    });
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("AUTOTASK_WRITE_ALLOWLIST: unknown tool autotask_create_tiket; autotask_search_tickets does not write");
    expect(stderr).not.toContain("autotask_create_ticket,");
  });
});

describe("X-MCP-Write-Allowlist over HTTP", () => {
  let sandbox: Sandbox;
  let open: Gateway;
  let readOnly: Gateway;
  const tenant = DEFAULT_SANDBOX_TENANT;
  beforeAll(async () => {
    sandbox = await startSandbox();
    [open, readOnly] = await Promise.all([startGateway(sandbox), startGateway(sandbox, { AUTOTASK_READ_ONLY: "true", AUTOTASK_WRITE_ALLOWLIST: NOTE })]);
  });
  afterAll(async () => {
    await Promise.all([open.http.stop({ timeoutMs: 2000 }), readOnly.http.stop({ timeoutMs: 2000 })]);
    await sandbox.stop();
  });

  async function writeTools(gateway: Gateway, headers: Record<string, string>): Promise<string[]> {
    const response = await post(gateway.mcp, '{"method":"tools/list"}', { ...credentialHeaders(tenant), ...headers });
    expect(response.status).toBe(200);
    const { tools } = ((await response.json()) as { result: { tools: Array<{ name: string; annotations: { readOnlyHint: boolean } }> } }).result;
    return tools.filter((tool) => !tool.annotations.readOnlyHint).map((tool) => tool.name);
  }

  test("narrows a writable server to the named write tools, for that request only", async () => {
    expect(await writeTools(open, { "X-MCP-Write-Allowlist": `${NOTE}, autotask_raw_request` })).toEqual(["autotask_raw_request", NOTE]);
    expect((await writeTools(open, {})).length).toBeGreaterThan(30);
    const ticket = sandbox.store().all("Tickets")[0]!;
    const before = sandbox.requests.length;
    const refused = await open.call(tenant, "autotask_update_ticket", { ticketId: ticket.id, title: "x" }, { "X-MCP-Write-Allowlist": NOTE });
    expect(refused.result.isError).toBe(true);
    expect(sandbox.requests.length).toBe(before);
  });

  test("never widens: a read-only server keeps only its own allowlist, and X-MCP-Readonly turns that off too", async () => {
    expect(await writeTools(readOnly, {})).toEqual([NOTE]);
    expect(await writeTools(readOnly, { "X-MCP-Write-Allowlist": "autotask_update_ticket" })).toEqual([]);
    expect(await writeTools(readOnly, { "X-MCP-Write-Allowlist": `autotask_update_ticket,${NOTE}` })).toEqual([NOTE]);
    expect(await writeTools(readOnly, { "X-MCP-Readonly": "true" })).toEqual([]);
  });

  test("unknown or read tool names: 400 naming them, before anything reaches Autotask", async () => {
    const before = sandbox.requests.length;
    const response = await post(open.mcp, '{"method":"tools/list"}', { ...credentialHeaders(tenant), "X-MCP-Write-Allowlist": "autotask_bogus,autotask_get_company" });
    expect(response.status).toBe(400);
    const message = ((await response.json()) as { error: { message: string } }).error.message;
    expect(message).toContain("X-MCP-Write-Allowlist: unknown tool autotask_bogus; autotask_get_company does not write");
    expect(sandbox.requests.length).toBe(before);
  });
});
