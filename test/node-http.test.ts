/**
 * Malformed requests against the HTTP server as the npm package runs it: dist/cli.js on Node
 * (node:http), where the HTTP parser's own refusals can be answered. (Issue 9 §6. Under Bun,
 * Bun.serve closes the connection on an unknown method such as BREW before any code of ours runs:
 * oven-sh/bun#6556; see src/serve.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUN, ROOT } from "./helpers/mcp.ts";
import { rawRequest, statusOf } from "./helpers/raw-http.ts";

const dir = mkdtempSync(join(tmpdir(), "autotask-mcp-node-http-"));
const cli = join(dir, "cli.js");
let proc: ReturnType<typeof Bun.spawn>;
let port = 0;

beforeAll(async () => {
  const build = Bun.spawn([BUN, "build", "src/cli.ts", "--target=node", `--outfile=${cli}`], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  expect(await build.exited).toBe(0);
  proc = Bun.spawn(["node", cli, "serve", "--sandbox", "--port", "0", "--host", "127.0.0.1"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "info" },
    stdout: "pipe",
    stderr: "pipe",
  });
  port = await new Promise<number>((resolve, reject) => {
    void (async () => {
      let seen = "";
      // Keep reading stderr for the life of the process: a closed pipe would kill it on its next log line.
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) {
        seen += new TextDecoder().decode(chunk);
        const match = /listening url=http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(seen);
        if (match) resolve(Number(match[1]));
      }
      reject(new Error(`server exited before listening:\n${seen}`));
    })();
  });
}, 30_000);

afterAll(async () => {
  proc?.kill("SIGTERM");
  await proc?.exited;
  rmSync(dir, { recursive: true, force: true });
});

const raw = (text: string) => rawRequest(port, text);

/** The `error` of a JSON body, chunked or not. */
function errorOf(answer: string): string {
  const split = answer.indexOf("\r\n\r\n");
  let body = answer.slice(split + 4);
  if (/transfer-encoding: chunked/i.test(answer.slice(0, split))) {
    let joined = "";
    for (let at = 0; ; ) {
      const end = body.indexOf("\r\n", at);
      const size = parseInt(body.slice(at, end), 16);
      if (!size) break;
      joined += body.slice(end + 2, end + 2 + size);
      at = end + 2 + size + 2;
    }
    body = joined;
  }
  return (JSON.parse(body) as { error: string }).error;
}

describe("dist/cli.js serve on Node: malformed requests", () => {
  test("BREW /mcp -> 501 JSON, not a closed connection", async () => {
    const answer = await raw("BREW /mcp HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    expect(statusOf(answer)).toBe(501);
    expect(errorOf(answer)).toContain("Not Implemented");
  });

  test("CONNECT 127.0.0.1:22 -> 405 JSON", async () => {
    const answer = await raw("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n");
    expect(statusOf(answer)).toBe(405);
    expect(errorOf(answer)).toContain("CONNECT");
  });

  test("Host: localhost@evil.test -> 400 JSON", async () => {
    const answer = await raw('POST /mcp HTTP/1.1\r\nHost: localhost@evil.test\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(statusOf(answer)).toBe(400);
    expect(errorOf(answer)).toContain("Host");
  });

  test("a garbled request line -> 400 JSON", async () => {
    const answer = await raw("GET /health HTTP/9.9 extra\r\n\r\n");
    expect(statusOf(answer)).toBe(400);
    expect(errorOf(answer)).toContain("Bad Request");
  });

  test("and a well-formed call still works", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"method":"tools/call","params":{"name":"autotask_test_connection","arguments":{}}}',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('\\"success\\":true');
  });
});
