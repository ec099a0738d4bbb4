import { createMcpEndpoint } from "./src/mcp/http-eras.ts";
const ep = createMcpEndpoint();
const META = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientInfo": { name: "b", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
const sel = { readOnly: false, toolsets: "all" as const, lazy: false } as any;
const ctx = {} as any;
const H = { "content-type": "application/json", accept: "application/json" };
const H26 = { ...H, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/list" };
const H26c = { ...H, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "nope" };
import { buildServer } from "./src/mcp/server.ts";
const cases: Array<[string, () => Promise<unknown>]> = [
  ["2025 tools/list", async () => (await ep.handle({ request: new Request("http://x/mcp", { method: "POST", headers: H }), body: { jsonrpc: "2.0", id: 1, method: "tools/list" }, ctx, selection: sel, toolTimeoutMs: 1000 })).text()],
  ["2026 tools/list", async () => (await ep.handle({ request: new Request("http://x/mcp", { method: "POST", headers: H26 }), body: { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: META } }, ctx, selection: sel, toolTimeoutMs: 1000 })).text()],
  ["2025 tools/call unknown", async () => (await ep.handle({ request: new Request("http://x/mcp", { method: "POST", headers: H }), body: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "nope", arguments: {} } }, ctx, selection: sel, toolTimeoutMs: 1000 })).text()],
  ["2026 tools/call unknown", async () => (await ep.handle({ request: new Request("http://x/mcp", { method: "POST", headers: H26c }), body: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "nope", arguments: {}, _meta: META } }, ctx, selection: sel, toolTimeoutMs: 1000 })).text()],
  ["buildServer", async () => buildServer(ctx, { selection: sel })],
];
const res = new Map<string, number[]>();
for (let round = 0; round < 7; round++) for (const [label, fn] of cases) { for (let i = 0; i < 100; i++) await fn(); const t = performance.now(); for (let i = 0; i < 1000; i++) await fn(); (res.get(label) ?? res.set(label, []).get(label)!).push(performance.now() - t); }
for (const [l, xs] of res) { xs.sort((a, b) => a - b); console.log(l.padEnd(28), "min", xs[0]!.toFixed(1), "median", xs[3]!.toFixed(1), "µs/call"); }
console.log((await cases[3]![1]()) as string);
