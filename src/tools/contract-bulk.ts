/**
 * autotask_create_contracts_bulk: up to 50 contract headers, created one at a time in order (Autotask
 * has no batch create), with a result per item — nothing half-done silently.
 *
 * - Every item is checked before the first is sent (arguments, labels, the tenant's picklists and
 *   required fields, the companies exist): one bad item refuses the whole batch, so a batch never
 *   stops halfway over a mistake that could have been seen up front.
 * - Autotask refusing one item (a business rule) fails that item; the rest go on.
 * - An item whose outcome is unknown (no answer in time, the connection dropped) is reported as
 *   unknown and never resent, and the batch stops there — as it does when Autotask refuses the
 *   integration itself (rate limit, credentials): the remaining items are reported as not sent.
 * - Under a time limit (ctx.deadline) no item is started too late to report on.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { AutotaskError } from "../autotask/errors.ts";
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { within } from "../deadline.ts";
import { contractBody, createContract } from "./contracts.ts";
import { definedOnly } from "./crud.ts";
import { defineTool, ToolError, type Tool } from "./define.ts";
import { checkBody } from "./picklists.ts";
import { resolveArguments } from "./resolve.ts";
import { parseArguments } from "./run.ts";

const MAX_ITEMS = 50;
/** Problems listed when a batch is refused; the rest are counted. */
const LISTED_PROBLEMS = 10;

type Result = { index: number; ok: boolean; contractName?: string; id?: number; error?: string; unknown?: true; notSent?: true };

/** Autotask refused this item's data: the next item may well succeed. */
const ITEM_REFUSED = new Set<AutotaskError["kind"]>(["validation", "not-found"]);
/** The request may have been carried out: never resent. */
const OUTCOME_UNKNOWN = new Set<AutotaskError["kind"]>(["timeout", "network", "unavailable", "server-error", "unexpected-answer"]);

const output = z.object({
  entity: z.string(),
  message: z.string(),
  created: z.number(),
  failed: z.number(),
  unknown: z.number(),
  notSent: z.number(),
  results: z.array(z.record(z.string(), z.unknown())),
});

/** Each item's Autotask body, or every problem found (with its item's index) — nothing is sent either way. */
async function prepare(ctx: ToolContext, items: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  const problems: string[] = [];
  for (const [index, item] of items.entries()) {
    try {
      const args = await resolveArguments(createContract, parseArguments(createContract, item), ctx);
      const body = definedOnly(await contractBody(args, ctx));
      await checkBody(ctx, "Contracts", body, "create");
      bodies.push(body);
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      problems.push(`contracts[${index}]: ${error.message.replace(/^Invalid arguments for autotask_create_contract: /, "").replace(/ for autotask_create_contract\b/, "")}`);
    }
  }
  const companyIds = [...new Set(bodies.map((body) => body.companyID as number))];
  if (companyIds.length && problems.length === 0) {
    const { items: found } = await ctx.client.queryAll<Row>("Companies", { filter: [f.in("id", companyIds)], includeFields: ["id"] }, companyIds.length);
    const known = new Set(found.map((company) => company.id));
    bodies.forEach((body, index) => {
      if (!known.has(body.companyID as number)) problems.push(`contracts[${index}]: company ${String(body.companyID)} was not found (autotask_search_companies).`);
    });
  }
  if (problems.length) {
    const more = problems.length > LISTED_PROBLEMS ? ` … and ${problems.length - LISTED_PROBLEMS} more.` : "";
    throw new ToolError(`Nothing was created: fix these and send the batch again. ${problems.slice(0, LISTED_PROBLEMS).join(" ")}${more}`);
  }
  return bodies;
}

/** `create` within the time left, or "late" (it may still complete). */
function beforeDeadline(create: Promise<number>, answerBy: number | undefined): Promise<number | "late"> {
  if (answerBy === undefined) return create;
  return within(create, Math.max(0, answerBy - Date.now()), () => "late" as const);
}

/**
 * Under a deadline: when to stop starting items (a create may take a while), and when to answer even
 * with one still in flight — a quarter and a tenth of the time left, at most 5 s and 1 s before it.
 */
function timeLimits(deadline: number | undefined): { lastStart?: number; answerBy?: number } {
  if (deadline === undefined) return {};
  const left = deadline - Date.now();
  return { lastStart: deadline - Math.min(5_000, left / 4), answerBy: deadline - Math.min(1_000, left / 10) };
}

/** One item sent, as its result; `stop` says why no further item may be sent. */
async function createOne(ctx: ToolContext, index: number, body: Record<string, unknown>, answerBy: number | undefined): Promise<{ result: Result; stop?: string }> {
  const contractName = body.contractName as string;
  const unknown = (error: string) => ({ result: { index, ok: false, contractName, unknown: true as const, error }, stop: `contracts[${index}]'s outcome is unknown` });
  try {
    const id = await beforeDeadline(ctx.client.create("Contracts", body), answerBy);
    if (id === "late") return unknown("No answer from Autotask before the call's time limit: it may still be created.");
    return { result: { index, ok: true, contractName, id } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof AutotaskError) || OUTCOME_UNKNOWN.has(error.kind)) return unknown(message);
    const result = { index, ok: false, contractName, error: message };
    return ITEM_REFUSED.has(error.kind) ? { result } : { result, stop: `Autotask refused contracts[${index}] for a reason that applies to every item (${error.kind})` };
  }
}

type Outcome = "created" | "failed" | "unknown" | "notSent";

const outcomeOf = (result: Result): Outcome => (result.ok ? "created" : result.unknown ? "unknown" : result.notSent ? "notSent" : "failed");

/** The items of each outcome, and what to do about them in one message. */
function summary(results: Result[]) {
  const indexes = (outcome: Outcome) => results.filter((result) => outcomeOf(result) === outcome).map((result) => result.index);
  const [created, failed, unknown, notSent] = (["created", "failed", "unknown", "notSent"] as const).map(indexes) as [number[], number[], number[], number[]];
  const list = (items: number[]) => `contracts[${items.join("], [")}]`;
  const message = [
    `Created ${created.length} of ${results.length} contracts${created.length ? ` (${list(created)})` : ""}.`,
    failed.length ? `Failed: ${list(failed)}; fix and send only these again.` : "",
    unknown.length ? `Outcome unknown: ${list(unknown)}; they may exist — check with autotask_search_contracts before sending them again.` : "",
    notSent.length ? `Not sent: ${list(notSent)}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return { message, created: created.length, failed: failed.length, unknown: unknown.length, notSent: notSent.length };
}

export const contractBulkTools: Tool[] = [
  defineTool({
    name: "autotask_create_contracts_bulk",
    title: "Create contracts in bulk",
    description:
      "Creates 1-50 contracts in order (items take autotask_create_contract's arguments), a result per item; nothing is created if any item is invalid.",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    input: z.object({ contracts: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_ITEMS) }),
    output,
    annotations: { readOnly: false, idempotent: false },
    fanOut: true,
    async run({ contracts }, ctx) {
      const bodies = await prepare(ctx, contracts);
      const { lastStart, answerBy } = timeLimits(ctx.deadline);
      const results: Result[] = [];
      let stopped: string | undefined;
      for (const [index, body] of bodies.entries()) {
        const contractName = body.contractName as string;
        if (!stopped && lastStart !== undefined && Date.now() > lastStart) stopped = "the call's time limit was near";
        if (stopped) {
          results.push({ index, ok: false, contractName, notSent: true, error: `Not sent: ${stopped}.` });
          continue;
        }
        const { result, stop } = await createOne(ctx, index, body, answerBy);
        results.push(result);
        stopped = stop;
      }
      return { entity: "Contracts", ...summary(results), results };
    },
  }),
];
