/**
 * Documented limits hold on every transport: a tool's own limit (an attachment of about 6 MB) is
 * what a caller meets over HTTP as over stdio — not a 413 from the HTTP body limit first.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parseConfig } from "../src/config.ts";
import { Runtime } from "../src/context.ts";
import { createLogger } from "../src/log.ts";
import { startHttpServer, type HttpServer } from "../src/mcp/http.ts";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { MAX_ATTACHMENT_BYTES } from "../src/tools/attachments.ts";
import { connectStdio, sandboxEnv, textOf, type Session } from "./helpers/mcp.ts";

let sandbox: Sandbox;
let http: HttpServer;
let stdio: Session;
let ticketId: number;

beforeAll(async () => {
  sandbox = await startSandbox();
  const config = parseConfig({ AUTH_MODE: "gateway", AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl, AUTOTASK_ALLOWED_API_HOSTS: new URL(sandbox.url).host });
  const log = createLogger({ level: "error", write: () => {} });
  http = await startHttpServer({ config, log, runtime: new Runtime(config, log), stop: async () => {} }, { port: 0, host: "127.0.0.1" });
  stdio = await connectStdio({ env: sandboxEnv(sandbox) });
  ticketId = (sandbox.store().all("Tickets")[0] as { id: number }).id;
});
afterAll(async () => {
  await stdio.close();
  await http.stop({ timeoutMs: 2000 });
  await sandbox.stop();
});

/** base64 of `bytes` bytes (all zeros: compact to generate, exact in size). */
const file = (bytes: number) => Buffer.alloc(bytes).toString("base64");

async function attachOverHttp(bytes: number): Promise<{ status: number; isError?: boolean; text: string }> {
  const tenant = DEFAULT_SANDBOX_TENANT;
  const response = await fetch(`${http.url}/mcp`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-API-Key": tenant.username, "X-API-Secret": tenant.secret, "X-Integration-Code": tenant.integrationCode },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "autotask_create_ticket_attachment", arguments: { ticketId, title: "Scan", fullPath: "scan.pdf", data: file(bytes) } },
    }),
  });
  const body = (await response.json()) as { result?: { isError?: boolean; content: Array<{ text: string }> } };
  return { status: response.status, isError: body.result?.isError, text: body.result?.content.map((part) => part.text).join("\n") ?? JSON.stringify(body) };
}

describe("attachment size limit", () => {
  test("the largest file Autotask takes (6 MiB, 8 MiB of base64) uploads over HTTP as over stdio", async () => {
    const overHttp = await attachOverHttp(MAX_ATTACHMENT_BYTES);
    expect(overHttp.status).toBe(200);
    expect(overHttp.isError).toBeFalsy();
    const overStdio = await stdio.call("autotask_create_ticket_attachment", { ticketId, title: "Scan", fullPath: "scan.pdf", data: file(MAX_ATTACHMENT_BYTES) });
    expect(overStdio.isError).toBeFalsy();
  });

  test("a file over the limit gets the tool's own message on both transports, nothing uploaded", async () => {
    const before = sandbox.requests.filter((r) => r.method === "POST" && /Attachments$/.test(r.path)).length;
    const overHttp = await attachOverHttp(7 * 1024 * 1024);
    expect(overHttp.status).toBe(200);
    expect(overHttp.isError).toBe(true);
    expect(overHttp.text).toContain("Autotask accepts at most about 6.00 MB per attachment");
    const overStdio = await stdio.call("autotask_create_ticket_attachment", { ticketId, title: "Scan", fullPath: "scan.pdf", data: file(7 * 1024 * 1024) });
    expect(textOf(overStdio)).toBe(overHttp.text);
    expect(sandbox.requests.filter((r) => r.method === "POST" && /Attachments$/.test(r.path)).length).toBe(before);
  });
});
