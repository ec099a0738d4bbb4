/**
 * autotask_raw_request: the original's escape hatch — one request to an Autotask REST path — made
 * safe. The path must be a route of the entity table (autotask/routes.ts: no host, no "..", no zone
 * lookup), the client sends it like every other request (URL allowlist, thread limit, answer-shape
 * check), DELETE needs `confirm: true`, and the answer is marked as outsiders' text.
 *
 * Writes follow the selection: where writes are off (read-only, and the write allowlist does not
 * name this tool) its read-only stand-in is served under the same name, which sends reads only —
 * GET, and POST to …/query and …/query/count, which change nothing.
 */
import { z } from "zod";
import { rawPlan, type RawMethod } from "../autotask/routes.ts";
import { confirm } from "./args.ts";
import { defineTool, ToolError, type Tool } from "./define.ts";

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const satisfies readonly RawMethod[];

const input = z.object({
  method: z.enum(METHODS),
  path: z.string().min(1).max(500).describe("Below V1.0/: Companies/query, Tickets/5, Tickets/5/Notes"),
  body: z.record(z.string(), z.unknown()).optional().describe("JSON body: a query's filter, a record"),
  queryParams: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe("e.g. search for a GET query"),
  confirm: confirm().optional(),
});

const output = z.object({ method: z.string(), path: z.string(), result: z.record(z.string(), z.unknown()) });

function rawRequest(writes: boolean): Tool {
  return defineTool({
    name: "autotask_raw_request",
    title: "Raw Autotask request",
    description: writes
      ? "Escape hatch when no tool fits: one method on an entity route (query, count, get, entityInformation, create, update, delete; children via their parent), answered as is."
      : "Escape hatch when no tool fits: one read of an entity route (method GET, or POST to …/query and …/query/count). Returns Autotask's answer as is. Writes are off here.",
    toolset: "core",
    category: "query",
    input,
    output,
    annotations: writes ? { readOnly: false, destructive: true } : { readOnly: true },
    untrusted: true,
    async run(args, ctx) {
      const plan = rawPlan(args.method, args.path);
      if ("refusal" in plan) throw new ToolError(plan.refusal);
      if (plan.write && !writes) {
        throw new ToolError(
          `Nothing was sent: ${args.method} ${plan.path} would ${plan.operation} ${plan.entity}, and writes are off here (read-only: AUTOTASK_READ_ONLY or X-MCP-Readonly). Reads are GET, and POST to …/query or …/query/count; AUTOTASK_WRITE_ALLOWLIST naming autotask_raw_request re-enables writes.`,
        );
      }
      if (plan.operation === "delete" && args.confirm !== true) {
        throw new ToolError(`Deleting with DELETE ${plan.path} cannot be undone. Nothing was deleted: call autotask_raw_request again with confirm: true to proceed.`);
      }
      if (args.body && (args.method === "GET" || args.method === "DELETE")) {
        throw new ToolError(`${args.method} takes no body; for a GET query put the query in queryParams.search (JSON text).`);
      }
      const query = args.queryParams && Object.fromEntries(Object.entries(args.queryParams).map(([key, value]) => [key, String(value)]));
      const result = await ctx.client.raw(args.method, plan.path, { body: args.body, query });
      return { method: args.method, path: plan.path, result };
    },
  });
}

/** Listed where writes are on (or allowlisted); its GET-only stand-in where they are off. */
export const rawRequestTool: Tool = { ...rawRequest(true), whenReadOnly: rawRequest(false) };
