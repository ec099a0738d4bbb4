/**
 * The MCP Apps views as resources: listed and read identically over stdio (with and without
 * Autotask credentials) and over HTTP in env and gateway mode, each a self-contained page whose
 * CSP admits only its own inline script and style; the brand from the environment; the tool → view
 * links in tools/list. Real CLI processes, the official MCP client, the sandbox as Autotask.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ReadResourceResult, Resource } from "@modelcontextprotocol/sdk/types.js";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../../src/sandbox/index.ts";
import { BUN, CLI, connectStdio, ROOT, sandboxEnv, type Session } from "../helpers/mcp.ts";

const VIEWS = ["ticket-card", "queue-board", "time-sheet"].map((id) => `ui://autotask/${id}`);
const LOGO = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const BRAND = { MCP_UI_BRAND_NAME: "Acme <MSP> & Co", MCP_UI_BRAND_COLOR: "#FFCC00", MCP_UI_BRAND_COLOR_DARK: "#335", MCP_UI_BRAND_LOGO: LOGO };

let sandbox: Sandbox;
const sessions: Session[] = [];
const servers: Array<ReturnType<typeof Bun.spawn>> = [];
/** name -> a connected official MCP client */
const clients = new Map<string, Client>();

/** `autotask-mcp serve --port 0` in a subprocess; resolves with its /mcp URL once it listens. */
async function serve(env: Record<string, string>): Promise<URL> {
  const proc = Bun.spawn([BUN, CLI, "serve", "--port", "0", "--host", "127.0.0.1"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "info", ...env },
    stdout: "ignore",
    stderr: "pipe",
  });
  servers.push(proc);
  // stderr is read to the end (a closed pipe would break the server's logging), the URL taken on the way.
  return new Promise((resolve, reject) => {
    void (async () => {
      let stderr = "";
      const decoder = new TextDecoder();
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
        stderr += decoder.decode(chunk);
        const match = /listening url=(http:\/\/\S+\/mcp)/.exec(stderr);
        if (match) resolve(new URL(match[1]!));
      }
      reject(new Error(`serve exited before listening:\n${stderr}`));
    })();
  });
}

async function httpClient(url: URL, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "autotask-mcp-view-tests", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

beforeAll(async () => {
  sandbox = await startSandbox();
  const [withCredentials, withoutCredentials, envUrl, gatewayUrl] = await Promise.all([
    connectStdio({ env: { ...sandboxEnv(sandbox), ...BRAND } }),
    connectStdio({ env: BRAND }),
    serve({ ...sandboxEnv(sandbox), ...BRAND }),
    serve({ AUTH_MODE: "gateway", AUTOTASK_ZONE_LOOKUP_URL: sandbox.zoneLookupUrl, ...BRAND }),
  ]);
  sessions.push(withCredentials, withoutCredentials);
  clients.set("stdio", withCredentials.client);
  clients.set("stdio without credentials", withoutCredentials.client);
  clients.set("http env", await httpClient(envUrl));
  clients.set(
    "http gateway",
    await httpClient(gatewayUrl, { "X-API-Key": DEFAULT_SANDBOX_TENANT.username, "X-API-Secret": DEFAULT_SANDBOX_TENANT.secret, "X-Integration-Code": DEFAULT_SANDBOX_TENANT.integrationCode }),
  );
}, 30_000);

afterAll(async () => {
  for (const client of clients.values()) await client.close().catch(() => {});
  for (const session of sessions) await session.close().catch(() => {});
  for (const proc of servers) proc.kill("SIGTERM");
  await Promise.all(servers.map((proc) => proc.exited));
  await sandbox?.stop();
});

const stdio = () => clients.get("stdio")!;
const views = (resources: Resource[]) => resources.filter((r) => r.uri.startsWith("ui://"));

describe("MCP Apps views as resources", () => {
  test("resources/list lists each view with the MCP Apps MIME type, no network origins and a border", async () => {
    const listed = views((await stdio().listResources()).resources);
    expect(listed.map((r) => r.uri)).toEqual(VIEWS);
    for (const resource of listed) {
      expect(resource.mimeType).toBe("text/html;profile=mcp-app");
      expect(resource.title?.length).toBeGreaterThan(3);
      expect(resource.description?.length).toBeGreaterThan(40);
      expect(resource._meta).toEqual({ ui: { csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] }, prefersBorder: true } });
    }
  });

  test("resources/read gives a self-contained page: CSP admits exactly its own script and style, nothing external", async () => {
    for (const uri of VIEWS) {
      const { contents } = await stdio().readResource({ uri });
      expect(contents).toHaveLength(1);
      const [content] = contents as Array<{ uri: string; mimeType: string; text: string; _meta: unknown }>;
      expect(content!.uri).toBe(uri);
      expect(content!.mimeType).toBe("text/html;profile=mcp-app");
      expect(content!._meta).toEqual(views((await stdio().listResources()).resources).find((r) => r.uri === uri)!._meta!);
      const html = content!.text;
      expect(html).toStartWith("<!doctype html>");
      expect(html).toContain(`data-view="${uri.slice("ui://autotask/".length)}"`);

      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
      const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
      const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect([scripts.length, styles.length]).toEqual([1, 1]);
      const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
      expect(csp.split("; ")).toEqual([
        "default-src 'none'",
        `script-src ${hash(scripts[0]!)}`,
        `style-src ${hash(styles[0]!)}`,
        "img-src data:",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
      ]);
      // The bundled MCP Apps client is inside; markup and style reference nothing outside the page.
      expect(scripts[0]).toContain("ui/initialize");
      const markup = html.replace(scripts[0]!, "").replace(styles[0]!, "");
      for (const [, attribute, value] of markup.matchAll(/\b(src|href|action|srcset)\s*=\s*"([^"]*)"/g)) expect(`${attribute}=${value}`).toStartWith(`${attribute}=data:`);
      expect(styles[0]).not.toMatch(/@import|url\(/);
    }
  });

  test("the brand comes from the environment, escaped, with legible text on its colours", async () => {
    const html = ((await stdio().readResource({ uri: VIEWS[0]! })).contents[0] as { text: string }).text;
    expect(html).toContain('<span class="brand-name">Acme &#60;MSP&#62; &#38; Co</span>');
    expect(html).toContain("<title>Ticket card · Acme &#60;MSP&#62; &#38; Co</title>");
    expect(html).toContain(`<img class="brand-logo" src="${LOGO}" alt="">`);
    expect(html).toContain(":root{--brand:#ffcc00;--on-brand:#000000}");
    expect(html).toContain(":root[data-theme=dark]{--brand:#333355;--on-brand:#ffffff}");
  });

  test("identical over stdio and HTTP, in env and gateway mode, with or without credentials", async () => {
    const expected = await snapshot(stdio());
    for (const [name, client] of clients) expect({ name, ...(await snapshot(client)) }).toEqual({ name, ...expected });
  });

  test("an unknown ui:// resource is an error that lists the views", async () => {
    await expect(stdio().readResource({ uri: "ui://autotask/nope" })).rejects.toThrow(/Unknown resource ui:\/\/autotask\/nope\. Resources: .*ui:\/\/autotask\/ticket-card/);
  });
});

describe("tools/list", () => {
  test("links the ticket, queue and time tools to their views under both keys; no other tool has _meta", async () => {
    const { tools } = await stdio().listTools();
    const linked = Object.fromEntries(tools.filter((tool) => tool._meta).map((tool) => [tool.name, tool._meta]));
    const link = (view: string) => ({ ui: { resourceUri: `ui://autotask/${view}` }, "ui/resourceUri": `ui://autotask/${view}` });
    expect(linked).toEqual({
      autotask_search_tickets: link("queue-board"),
      autotask_get_ticket_details: link("ticket-card"),
      autotask_create_ticket: link("ticket-card"),
      autotask_update_ticket: link("ticket-card"),
      autotask_create_ticket_note: link("ticket-card"),
      autotask_search_time_entries: link("time-sheet"),
    });
  });
});

async function snapshot(client: Client): Promise<{ list: Resource[]; reads: ReadResourceResult[] }> {
  const list = views((await client.listResources()).resources);
  const reads = await Promise.all(VIEWS.map((uri) => client.readResource({ uri })));
  return { list, reads };
}
