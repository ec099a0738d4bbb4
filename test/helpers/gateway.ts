/**
 * The HTTP gateway in this process (startHttpServer on a loopback port 0) in front of a sandbox,
 * for tests that attack it as a hostile caller or through a hostile upstream. Requests go over
 * the loopback network with fetch; nothing is mocked.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parseConfig } from "../../src/config.ts";
import { Runtime } from "../../src/context.ts";
import { createLogger } from "../../src/log.ts";
import { startHttpServer, type HttpServer } from "../../src/mcp/http.ts";
import type { Sandbox, SandboxTenant } from "../../src/sandbox/index.ts";
import { sandboxHost } from "./mcp.ts";

export interface Gateway {
  url: string;
  mcp: string;
  http: HttpServer;
  runtime: Runtime;
  /** Every log line so far. */
  logs: string[];
  /** tools/call with these credentials; the parsed JSON-RPC answer. */
  call(tenant: SandboxTenant, name: string, args?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; result: CallToolResult; text: string }>;
}

export function credentialHeaders(tenant: Pick<SandboxTenant, "username" | "secret" | "integrationCode">): Record<string, string> {
  return { "X-API-Key": tenant.username, "X-API-Secret": tenant.secret, "X-Integration-Code": tenant.integrationCode };
}

/** POST /mcp as curl does it: Content-Type and the given headers, no Accept of our own. */
export function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
}

export function callBody(name: string, args: Record<string, unknown> = {}, id: number | string = 1): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
}

/** A gateway-mode server whose zone lookup is the sandbox's, with the sandbox host allowed; `env` on top. */
export async function startGateway(sandbox: Sandbox, env: Record<string, string> = {}): Promise<Gateway> {
  const config = parseConfig({
    AUTH_MODE: "gateway",
    AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl,
    AUTOTASK_ALLOWED_API_HOSTS: sandboxHost(sandbox),
    AUTOTASK_MAX_RETRIES: "0",
    ...env,
  });
  const logs: string[] = [];
  const log = createLogger({ level: "debug", format: config.log.format, write: (line) => void logs.push(line) });
  const runtime = new Runtime(config, log);
  const http = await startHttpServer({ config, log, runtime, stop: async () => {} }, { port: 0, host: "127.0.0.1" });
  const mcp = `${http.url}/mcp`;
  return {
    url: http.url,
    mcp,
    http,
    runtime,
    logs,
    async call(tenant, name, args = {}, headers = {}) {
      const response = await post(mcp, callBody(name, args), { ...credentialHeaders(tenant), ...headers });
      const text = await response.text();
      const body = JSON.parse(text) as { result: CallToolResult };
      return { status: response.status, result: body.result, text };
    },
  };
}

/** The text of a tool result. */
export function resultText(result: CallToolResult): string {
  return result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}
