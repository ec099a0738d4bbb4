/**
 * Parity with the original server's newest versions (issue 11): test/fixtures/anchor-tools-latest.json
 * holds the union of its three lines (A, B, C; ../shared/anchor-latest.md) — 115 tools with their
 * arguments, bounds and required arguments per line. A user of any line must be able to switch
 * without changing a saved prompt:
 * - every tool name is served (listed; the four meta-tools in lazy mode);
 * - every argument of every line is accepted (listed, case-insensitively equal, or a declared alias);
 * - no tool requires more than the line that requires least;
 * - every bound is at least as wide as any line's.
 *
 * Checked through the real CLI over stdio, started without credentials: a call whose arguments pass
 * validation fails only for want of credentials, so what is refused is what validation refuses, and
 * nothing can reach any Autotask.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import latest from "./fixtures/anchor-tools-latest.json" with { type: "json" };
import { connectStdio, textOf, type Session } from "./helpers/mcp.ts";

interface Arg {
  type: "string" | "number" | "boolean" | "array" | "object";
  enum?: string[];
  items?: "object" | "number";
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

interface Line {
  name: string;
  args: Record<string, Arg>;
  required: string[];
  /** Where the lines disagree (the B line's companyID, the others' companyId). */
  requiredByHead?: Record<string, string[]>;
  heads: string[];
}

const LINES = latest as unknown as Line[];
const META = new Set(["autotask_list_categories", "autotask_list_category_tools", "autotask_execute_tool", "autotask_router"]);

let session: Session;
let lazy: Session;
const served = new Map<string, Tool>();

beforeAll(async () => {
  [session, lazy] = await Promise.all([connectStdio({ env: { AUTOTASK_USERNAME: "parity@example.com" } }), connectStdio({ env: { LAZY_LOADING: "true" } })]);
  for (const tool of (await session.client.listTools()).tools) served.set(tool.name, tool);
  for (const tool of (await lazy.client.listTools()).tools) if (META.has(tool.name)) served.set(tool.name, tool);
});
afterAll(() => Promise.all([session.close(), lazy.close()]));

/** The error text of a call, or "" when it succeeded. Meta-tools are called on the lazy server. */
async function refusal(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await (META.has(name) ? lazy : session).call(name, args);
  return result.isError ? textOf(result) : "";
}

/** A value of the line's type that our schema should take: what a caller of that line would send. */
function plausible(arg: Arg, size?: number): unknown {
  if (arg.enum) return arg.enum[0];
  switch (arg.type) {
    case "number":
      return arg.minimum ?? 1;
    case "string":
      return "2026-01-15";
    case "boolean":
      return true;
    case "object":
      return {};
    case "array":
      return Array.from({ length: size ?? arg.minItems ?? 1 }, () => (arg.items === "number" ? 1 : {}));
  }
}

const present = () => LINES.filter((line) => served.has(line.name));

describe("tool names", () => {
  test("the fixture holds the 115 tools of the union", () => {
    expect(LINES).toHaveLength(115);
  });

  test("every name any line has is served", () => {
    expect(LINES.filter((line) => !served.has(line.name)).map((line) => line.name)).toEqual([]);
  });
});

describe("arguments", () => {
  test("an argument no line has is refused by name (so the next test can tell)", async () => {
    expect(await refusal("autotask_search_tickets", { parityProbe: 1 })).toContain('Unknown argument "parityProbe"');
  });

  test("every argument of every line is accepted (listed, case-insensitively equal, or a declared alias)", async () => {
    const refused: string[] = [];
    for (const line of present()) {
      // All of the line's arguments at once, with values no schema takes: validation answers, nothing runs.
      const args = Object.fromEntries(Object.keys(line.args).map((arg) => [arg, { parity: "not a valid value" }]));
      if (Object.keys(args).length === 0) continue;
      const text = await refusal(line.name, args);
      for (const arg of Object.keys(line.args)) if (text.includes(`"${arg}"`) && /Unknown argument/.test(text)) refused.push(`${line.name}.${arg}`);
    }
    expect(refused).toEqual([]);
  });

  test("no tool requires more than the line that requires least", async () => {
    const overreach: string[] = [];
    for (const line of present()) {
      const byLine = line.heads.map((head) => line.requiredByHead?.[head] ?? line.required);
      const listed = (served.get(line.name)!.inputSchema.required ?? []) as string[];
      // Listed as required: every line must require it too (in some spelling).
      for (const name of listed) {
        if (!byLine.every((required) => required.some((arg) => arg.toLowerCase() === name.toLowerCase()))) overreach.push(`${line.name} lists ${name} as required`);
      }
      // Called with exactly what each line requires, validation asks for nothing more (requireOneOf
      // included). What a tool then says Autotask needs (companyID on a service call) is not an argument rule.
      for (const required of new Set(byLine.map((names) => JSON.stringify(names)))) {
        const names = JSON.parse(required) as string[];
        const text = await refusal(line.name, Object.fromEntries(names.map((arg) => [arg, plausible(line.args[arg]!)])));
        if (/^Invalid arguments for [^:]+: .*is required/.test(text)) overreach.push(`${line.name} with ${names.join(", ") || "nothing"}: ${text}`);
      }
    }
    expect(overreach).toEqual([]);
  });

  test("every bound is at least as wide as any line's", async () => {
    const narrower: string[] = [];
    let checked = 0;
    for (const line of present()) {
      for (const [arg, spec] of Object.entries(line.args)) {
        const values = [
          spec.minimum !== undefined && spec.minimum,
          spec.maximum !== undefined && spec.maximum,
          spec.minItems !== undefined && plausible(spec, spec.minItems),
          spec.maxItems !== undefined && plausible(spec, spec.maxItems),
        ].filter((value) => value !== false);
        for (const value of values) {
          checked++;
          // Only this argument is given: any "must be …" is about it (missing ones say "is required").
          const text = await refusal(line.name, { [arg]: value });
          if (/: must be |Unknown argument/.test(text)) narrower.push(`${line.name}.${arg} = ${JSON.stringify(value).slice(0, 40)}: ${text}`);
        }
      }
    }
    expect(narrower).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});
