/**
 * Official MCP clients of both protocol eras, over the real CLI on stdio or over HTTP:
 * - 2025-11-25: the v1 SDK's Client (`@modelcontextprotocol/sdk`), which opens with initialize;
 * - 2026-07-28: the v2 SDK's Client (`@modelcontextprotocol/client`) pinned to that revision — no
 *   initialize, a `_meta` envelope and routing headers on every request — or, with `auto`, probing
 *   with server/discover first as the v2 client does when a user opts into negotiation.
 */
import { Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2 } from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioTransportV2 } from "@modelcontextprotocol/client/stdio";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioTransportV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as HttpTransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { BUN, CLI, ROOT } from "./mcp.ts";

export type Era = "2025-11-25" | "2026-07-28";
export const ERAS: Era[] = ["2025-11-25", "2026-07-28"];

/**
 * Where the server is: a stdio subprocess (`command` defaults to the CLI under Bun, `args` to
 * `stdio`) or an HTTP endpoint.
 */
export type Target = { stdio: StdioTarget } | { http: { url: string; headers?: Record<string, string> } };
export interface StdioTarget {
  command?: string[];
  env?: Record<string, string>;
  args?: string[];
}

/** What both SDK generations' clients offer, as plain JSON (results differ in class, not in content). */
export interface EraClient {
  /** The protocol version the connection runs at, as the client sees it. */
  protocolVersion(): string | undefined;
  listTools(): Promise<{ tools: Array<Record<string, any>> }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<Record<string, any>>;
  listResources(): Promise<Record<string, any>>;
  listResourceTemplates(): Promise<Record<string, any>>;
  readResource(params: { uri: string }): Promise<Record<string, any>>;
  listPrompts(): Promise<Record<string, any>>;
  getPrompt(params: { name: string; arguments?: Record<string, string> }): Promise<Record<string, any>>;
  close(): Promise<void>;
}

const INFO = { name: "autotask-mcp-era-tests", version: "1.0.0" };

function stdioParams(target: StdioTarget) {
  const [command, ...prefix] = target.command ?? [BUN, CLI];
  return { command: command!, args: [...prefix, ...(target.args ?? ["stdio"])], env: { LOG_LEVEL: "warn", PATH: process.env.PATH ?? "", ...target.env }, cwd: ROOT };
}

/**
 * Connects an official client of `era` to `target`. `negotiate: "auto"` makes the 2026 client
 * probe with server/discover instead of being pinned (ignored for 2025).
 */
export async function connectEra(era: Era, target: Target, options: { negotiate?: "auto" } = {}): Promise<EraClient> {
  if (era === "2026-07-28") {
    const mode = options.negotiate === "auto" ? "auto" : { pin: era };
    const client = new ClientV2(INFO, { versionNegotiation: { mode } });
    const transport =
      "stdio" in target
        ? new StdioTransportV2(stdioParams(target.stdio))
        : new HttpTransportV2(new URL(target.http.url), { requestInit: { headers: target.http.headers ?? {} } });
    await client.connect(transport);
    return wrap(client, () => client.getNegotiatedProtocolVersion());
  }
  const client = new ClientV1(INFO);
  const transport: Transport =
    "stdio" in target
      ? new StdioTransportV1(stdioParams(target.stdio))
      : new HttpTransportV1(new URL(target.http.url), { requestInit: { headers: target.http.headers ?? {} } });
  // The v1 Client hands the version the server answered initialize with to the transport.
  let negotiated: string | undefined;
  const forward = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    negotiated = version;
    forward?.(version);
  };
  await client.connect(transport);
  return wrap(client, () => negotiated);
}

/** The shared surface of both clients, answered as plain JSON. */
function wrap(client: ClientV1 | ClientV2, protocolVersion: () => string | undefined): EraClient {
  const any = client as unknown as Omit<EraClient, "protocolVersion">;
  return {
    protocolVersion,
    listTools: () => any.listTools(),
    callTool: (params) => any.callTool(params),
    listResources: () => any.listResources(),
    listResourceTemplates: () => any.listResourceTemplates(),
    readResource: (params) => any.readResource(params),
    listPrompts: () => any.listPrompts(),
    getPrompt: (params) => any.getPrompt(params),
    close: () => client.close(),
  };
}
