/**
 * Test harness: the real CLI in a subprocess, spoken to over stdio by the MCP SDK's Client, with the
 * Autotask sandbox (started in this process) as its upstream. Nothing is mocked.
 */
import { afterAll, beforeAll, beforeEach } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type RequestLogEntry, type Sandbox, type SandboxOptions, type SandboxTenant } from "../../src/sandbox/index.ts";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const CLI = `${ROOT}src/cli.ts`;
export const BUN = process.execPath;

export interface Session {
  client: Client;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls a tool that must succeed; returns its structuredContent. */
  ok<T = Record<string, any>>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must fail; returns its error text. */
  fail(name: string, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * Environment that points the CLI at a sandbox tenant through zone discovery, like a real tenant.
 * The sandbox's loopback host is allowed explicitly: credentials only go to listed hosts.
 */
export function sandboxEnv(sandbox: Sandbox, tenant: SandboxTenant = DEFAULT_SANDBOX_TENANT): Record<string, string> {
  return {
    AUTOTASK_USERNAME: tenant.username,
    AUTOTASK_SECRET: tenant.secret,
    AUTOTASK_INTEGRATION_CODE: tenant.integrationCode,
    AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl,
    AUTOTASK_ALLOWED_API_HOSTS: sandboxHost(sandbox),
  };
}

/** The sandbox's `host:port`, as AUTOTASK_ALLOWED_API_HOSTS lists it. */
export function sandboxHost(sandbox: Sandbox): string {
  return new URL(sandbox.url).host;
}

export async function connectStdio(options: { env?: Record<string, string>; args?: string[] } = {}): Promise<Session> {
  const transport = new StdioClientTransport({
    command: BUN,
    args: [CLI, ...(options.args ?? ["stdio"])],
    env: { LOG_LEVEL: "warn", ...options.env },
    stderr: "pipe",
    cwd: ROOT,
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "autotask-mcp-tests", version: "1.0.0" });
  await client.connect(transport);
  // Listing first makes the SDK Client check every structuredContent against its outputSchema;
  // that check lets fields through that the schema does not name, so ok() checks those too.
  const declared = new Map((await client.listTools()).tools.map((tool) => [tool.name, Object.keys(tool.outputSchema?.properties ?? {})]));
  const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  return {
    client,
    stderr: () => stderr,
    call,
    async ok(name, args) {
      const result = await call(name, args);
      if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
      const undeclared = Object.keys(result.structuredContent ?? {}).filter((key) => !declared.get(name)?.includes(key));
      if (undeclared.length > 0) throw new Error(`${name} returned ${undeclared.join(", ")}, which its output schema does not declare`);
      return result.structuredContent as never;
    },
    async fail(name, args) {
      const result = await call(name, args);
      if (!result.isError) throw new Error(`${name} was expected to fail but returned ${textOf(result).slice(0, 300)}`);
      return textOf(result);
    },
    close: () => client.close(),
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

/** A sandbox plus a stdio session against it; `requests()` returns what reached the sandbox since the last call. */
export async function sandboxSession(options: { env?: Record<string, string>; sandbox?: SandboxOptions } = {}) {
  const sandbox = await startSandbox(options.sandbox);
  const session = await connectStdio({ env: { ...sandboxEnv(sandbox), ...options.env } });
  let seen = sandbox.requests.length;
  return {
    sandbox,
    session,
    /** Requests the sandbox received since the previous call of requests(). */
    requests() {
      const fresh = sandbox.requests.slice(seen);
      seen = sandbox.requests.length;
      return fresh;
    },
    async close() {
      await session.close();
      await sandbox.stop();
    },
  };
}

const V1 = /\/ATServicesRest\/V1\.0\//i;

/** The path below V1.0/ of a logged request, e.g. "Tickets/query". */
export function apiPath(request: RequestLogEntry): string {
  return request.path.replace(V1, "").split("?")[0]!;
}

/** The filters of the queries POSTed to an entity, in order. */
export function queryFilters(requests: RequestLogEntry[], entity: string): unknown[] {
  return requests.filter((r) => r.method === "POST" && apiPath(r).toLowerCase() === `${entity.toLowerCase()}/query`).map((r) => (r.body as { filter: unknown }).filter);
}

/** Logged requests with this method whose path below V1.0/ matches. */
export function sent(requests: RequestLogEntry[], method: string, path: RegExp): RequestLogEntry[] {
  return requests.filter((r) => r.method === method && path.test(apiPath(r)));
}

/** Logged requests that change data (POST other than a query, PATCH, PUT, DELETE). */
export function writes(requests: RequestLogEntry[]): RequestLogEntry[] {
  return requests.filter((r) => ["PATCH", "PUT", "DELETE"].includes(r.method) || (r.method === "POST" && !/\/query(\/|$)/i.test(apiPath(r))));
}

/**
 * One sandbox and one stdio session for a whole test file: registers beforeAll/afterAll, and a
 * beforeEach that marks the request log so each test's requests() returns only its own requests.
 */
export function useSandboxSession(options: Parameters<typeof sandboxSession>[0] = {}) {
  let current: Awaited<ReturnType<typeof sandboxSession>> | undefined;
  beforeAll(async () => {
    current = await sandboxSession(options);
  });
  afterAll(() => current?.close());
  beforeEach(() => {
    current?.requests();
  });
  const get = () => {
    if (!current) throw new Error("the sandbox session starts in beforeAll");
    return current;
  };
  return {
    get sandbox(): Sandbox {
      return get().sandbox;
    },
    get session(): Session {
      return get().session;
    },
    store: (tenantLabel?: string) => get().sandbox.store(tenantLabel),
    /** The tenant's value for a picklist label (tests never assume numbers); throws when absent. */
    valueOf(entity: string, field: string, label: string): number {
      const found = get().sandbox.store().picklist(entity, field).find((value) => value.label === label);
      if (!found) throw new Error(`no ${entity}.${field} labelled ${label}`);
      return Number(found.value);
    },
    /** The label of a picklist value, or undefined. */
    labelOf: (entity: string, field: string, value: unknown) =>
      get().sandbox.store().picklist(entity, field).find((option) => option.value === String(value))?.label,
    /** The tenant's active default value of a picklist field. */
    defaultOf: (entity: string, field: string) =>
      Number(get().sandbox.store().picklist(entity, field).find((option) => option.isDefaultValue && option.isActive)!.value),
    /** Requests the sandbox received since the previous call (or since this test began). */
    requests: () => get().requests(),
    ok: <T = Record<string, any>>(name: string, args: Record<string, unknown> = {}) => get().session.ok<T>(name, args),
    fail: (name: string, args: Record<string, unknown> = {}) => get().session.fail(name, args),
  };
}
