/** The stdio server as Claude Desktop runs it: a subprocess speaking JSON-RPC on stdout, logs on stderr. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { BUN, CLI, connectStdio, ROOT, sandboxEnv, textOf } from "./helpers/mcp.ts";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

describe("stdio --sandbox (the demo)", () => {
  test("lists every tool and answers a call with no credentials configured", async () => {
    const session = await connectStdio({ args: ["stdio", "--sandbox"] });
    try {
      const { tools } = await session.client.listTools();
      expect(tools.length).toBeGreaterThanOrEqual(90);
      const result = await session.ok("autotask_test_connection");
      expect(result).toMatchObject({ success: true, zoneName: "Sandbox", username: DEFAULT_SANDBOX_TENANT.username });
      expect(session.client.getServerVersion()?.name).toBe("autotask-mcp");
    } finally {
      await session.close();
    }
  });
});

describe("stdout carries only JSON-RPC", () => {
  test("even at LOG_LEVEL=debug, and no secret reaches either stream", async () => {
    const proc = Bun.spawn([BUN, CLI, "stdio"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...sandboxEnv(sandbox), LOG_LEVEL: "debug", LOG_FORMAT: "json" },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    const messages = [
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
      { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "autotask_search_tickets", arguments: { pageSize: 2 } } },
      { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "autotask_test_connection", arguments: {} } },
    ];
    for (const message of messages) proc.stdin.write(`${JSON.stringify(message)}\n`);
    await proc.stdin.flush();
    const reader = proc.stdout.getReader();
    let stdout = "";
    while ((stdout.match(/\n/g) ?? []).length < 4) {
      const { value, done } = await reader.read();
      if (done) break;
      stdout += new TextDecoder().decode(value);
    }
    proc.stdin.end();
    await proc.exited;
    const stderr = await new Response(proc.stderr).text();

    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(JSON.parse(line).jsonrpc).toBe("2.0");
    expect(lines.map((line) => JSON.parse(line).id).sort()).toEqual([1, 2, 3, 4]);
    const call = lines.map((line) => JSON.parse(line)).find((message) => message.id === 3).result;
    expect(call.isError).toBeFalsy();
    expect(call.structuredContent.items).toHaveLength(2);

    // Debug logging happened — on stderr, as JSON lines — and masked the credentials.
    const logLines = stderr.trim().split("\n").filter(Boolean);
    expect(logLines.length).toBeGreaterThan(2);
    for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
    expect(stderr).toContain('"level":"debug"');
    expect(stderr).toContain("autotask request");
    for (const secret of [DEFAULT_SANDBOX_TENANT.secret, DEFAULT_SANDBOX_TENANT.integrationCode]) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
  });
});

describe("stdin closed while calls are running", () => {
  test("a piped initialize and tools/call both get their answers, and a write in flight completes before exit", async () => {
    const ticket = sandbox.store().all("Tickets")[0]!;
    sandbox.faults.inject({ method: "POST", path: `/Tickets/${ticket.id}/Notes`, delayMs: 1500, times: 1 });
    const proc = Bun.spawn([BUN, CLI, "stdio"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...sandboxEnv(sandbox), LOG_LEVEL: "warn" },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    const messages = [
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "pipe", version: "1" } } },
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "autotask_create_ticket_note", arguments: { ticketID: ticket.id, description: "Written just before stdin closed" } } },
    ];
    proc.stdin.write(messages.map((message) => `${JSON.stringify(message)}\n`).join(""));
    proc.stdin.end();
    const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    const answers = stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
    expect(answers.map((answer) => answer.id)).toEqual([1, 2]);
    expect(answers[1].result.isError).toBeFalsy();
    const note = sandbox.store().get("TicketNotes", answers[1].result.structuredContent.id)!;
    expect(note.description).toBe("Written just before stdin closed");
    expect(code).toBe(0);
  }, 20_000);
});

describe("without credentials", () => {
  test("starts, lists tools, and every call names the missing variables", async () => {
    const session = await connectStdio({ env: { AUTOTASK_USERNAME: "someone@example.com" } });
    try {
      const { tools } = await session.client.listTools();
      expect(tools.length).toBeGreaterThanOrEqual(90);
      const text = await session.fail("autotask_search_tickets", {});
      expect(text).toContain("AUTOTASK_SECRET");
      expect(text).toContain("AUTOTASK_INTEGRATION_CODE");
      expect(text).not.toContain("AUTOTASK_USERNAME,");
      expect(session.stderr()).toContain("AUTOTASK_SECRET");
    } finally {
      await session.close();
    }
  });
});

describe("tool selection", () => {
  test("read-only removes every write tool: not listed and not callable", async () => {
    const session = await connectStdio({ env: { ...sandboxEnv(sandbox), AUTOTASK_READ_ONLY: "true" } });
    try {
      const { tools } = await session.client.listTools();
      expect(tools.length).toBeGreaterThan(30);
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      expect(tools.some((tool) => tool.name === "autotask_create_ticket")).toBe(false);
      const before = sandbox.requests.length;
      const text = await session.fail("autotask_create_ticket", { companyID: 0, title: "x", description: "y" });
      expect(text).toContain("read-only");
      expect(sandbox.requests.length).toBe(before);
    } finally {
      await session.close();
    }
  });

  test("toolsets narrow the list (core tools stay)", async () => {
    const session = await connectStdio({ env: { ...sandboxEnv(sandbox), AUTOTASK_TOOLSETS: "tickets" } });
    try {
      const names = (await session.client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain("autotask_search_tickets");
      expect(names).toContain("autotask_create_ticket_note");
      expect(names).toContain("autotask_test_connection");
      expect(names).not.toContain("autotask_search_projects");
      expect(names).not.toContain("autotask_create_time_entry");
    } finally {
      await session.close();
    }
  });

  test("lazy loading lists the four meta-tools, which reach every tool", async () => {
    const session = await connectStdio({ env: { ...sandboxEnv(sandbox), LAZY_LOADING: "true" } });
    try {
      const listed = (await session.client.listTools()).tools;
      expect(listed.map((tool) => tool.name).sort()).toEqual(["autotask_execute_tool", "autotask_list_categories", "autotask_list_category_tools", "autotask_router"]);
      // execute can reach deletes here, and says so.
      expect(listed.find((tool) => tool.name === "autotask_execute_tool")!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      const { categories } = await session.ok("autotask_list_categories");
      expect(categories.map((c: { name: string }) => c.name)).toContain("tickets");
      const { tools } = await session.ok("autotask_list_category_tools", { category: "tickets" });
      const search = tools.find((t: { name: string }) => t.name === "autotask_search_tickets");
      expect(search.inputSchema.properties.companyID).toBeDefined();
      const executed = await session.ok("autotask_execute_tool", { toolName: "autotask_search_tickets", arguments: { pageSize: 3 } });
      expect(executed.toolName).toBe("autotask_search_tickets");
      expect(executed.result.items).toHaveLength(3);
      const failed = await session.fail("autotask_execute_tool", { toolName: "autotask_search_tickets", arguments: { pageSize: 999 } });
      expect(failed).toContain("pageSize");
      const { suggestions } = await session.ok("autotask_router", { intent: "log 2 hours on ticket 1234" });
      expect(suggestions[0].toolName).toBe("autotask_create_time_entry");
      expect(suggestions[0].arguments).toMatchObject({ ticketID: 1234, hoursWorked: 2 });
    } finally {
      await session.close();
    }
  });
});

describe("tool timeout", () => {
  test("a write that outlives MCP_TOOL_TIMEOUT_SECONDS is reported as possibly done, never as 'try again'", async () => {
    sandbox.faults.inject({ method: "POST", path: "/Companies/0/Notes", delayMs: 1800, times: 1 });
    const session = await connectStdio({ env: { ...sandboxEnv(sandbox), MCP_TOOL_TIMEOUT_SECONDS: "1" } });
    try {
      const text = await session.fail("autotask_create_company_note", { companyId: 0, description: "slow" });
      expect(text).toContain("did not finish within 1 seconds");
      expect(text).toContain("check whether it happened");
      expect(text).not.toContain("try again.");
    } finally {
      await session.close();
    }
  });
});

describe("arguments", () => {
  test("bad arguments come back as tool errors naming the field and what is allowed", async () => {
    const session = await connectStdio({ env: sandboxEnv(sandbox) });
    try {
      expect(await session.fail("autotask_search_tickets", { pageSize: 501 })).toContain("pageSize: must be at most 500, got number 501");
      expect(await session.fail("autotask_search_tickets", { companyID: "abc" })).toContain("companyID");
      expect(await session.fail("autotask_search_tickets", { colour: "red" })).toMatch(/Unknown argument "colour".*Allowed: .*searchTerm/);
      expect(await session.fail("autotask_get_ticket_details", {})).toContain("ticketID: is required");
      expect(await session.fail("autotask_search_tickets", { createdAfter: "last tuesday" })).toContain("ISO 8601");
      const unknownTool = await session.call("autotask_does_not_exist", {});
      expect(unknownTool.isError).toBe(true);
      expect(textOf(unknownTool)).toContain("Unknown tool");
    } finally {
      await session.close();
    }
  });
});
