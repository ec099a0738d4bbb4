/**
 * Shutdown with work in flight (issue 9 §7): 50 calls against an Autotask taking 5 s, then SIGTERM.
 * Counts the answers by kind (200, 503 with Retry-After, nothing at all), what reached Autotask
 * during the drain and after the 503s went out, the exit code and how long the process took to
 * exit. Goal: every accepted call answered, nothing sent after the 503s, exit 0 within the 25 s
 * drain window.
 *
 *   node_modules/.bin/bun bench/drain.ts
 *   BASELINE=/work/main node_modules/.bin/bun bench/drain.ts   # before/after
 *
 * About 30 s per server.
 */
import { DEFAULT_SANDBOX_TENANT, startSandbox } from "../src/sandbox/index.ts";
import { headersFor, printTable, ROOT, startGatewayProcess, toolCall } from "./lib.ts";

const CALLS = 50;
const sandbox = await startSandbox({ requestThreshold: 10_000_000 });
const headers = headersFor(DEFAULT_SANDBOX_TENANT);
const CALL = toolCall("autotask_test_connection");

async function run(root: string, label: string): Promise<string[]> {
  const server = await startGatewayProcess(root, label, sandbox);
  await (await fetch(server.mcp, { method: "POST", headers, body: CALL })).text(); // zone and secret checked
  sandbox.faults.inject({ path: "/Resources/query", delayMs: 5000 });
  const before = sandbox.requests.length;
  let firstRefusal = Number.POSITIVE_INFINITY;
  const answers = Array.from({ length: CALLS }, () =>
    fetch(server.mcp, { method: "POST", headers, body: CALL }).then(
      (response) => {
        if (response.status !== 503 || !response.headers.get("retry-after")) return String(response.status);
        firstRefusal = Math.min(firstRefusal, Date.now());
        return "503";
      },
      () => "nothing",
    ),
  );
  while (sandbox.requests.length === before) await Bun.sleep(20);
  const signalled = Date.now();
  server.proc.kill("SIGTERM");
  const code = await server.proc.exited;
  const seconds = (Date.now() - signalled) / 1000;
  const outcomes = await Promise.all(answers);
  const sent = sandbox.requests.slice(before).map((entry) => Date.parse(entry.time));
  const duringDrain = sent.filter((time) => time > signalled).length;
  const afterRefusals = sent.filter((time) => time > firstRefusal).length;
  sandbox.faults.clear();
  const count = (kind: string) => outcomes.filter((outcome) => outcome === kind).length;
  const other = CALLS - count("200") - count("503") - count("nothing");
  return [label, String(count("200")), String(count("503")), String(count("nothing")), String(other), String(duringDrain), String(afterRefusals), String(code), seconds.toFixed(1)];
}

const rows: string[][] = [];
if (process.env.BASELINE) rows.push(await run(process.env.BASELINE, `baseline (${process.env.BASELINE})`));
rows.push(await run(ROOT, "this branch"));
await sandbox.stop();

console.log(`SIGTERM with ${CALLS} calls in flight, Autotask taking 5 s (drain window 25 s)\n`);
printTable(["server", "200", "503 + Retry-After", "no answer", "other", "sent in the drain", "sent after the 503s", "exit code", "exit after s"], rows);
