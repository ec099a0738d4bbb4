/**
 * Drop-in compatibility: every tool of the original autotask-mcp (2.7–2.18, and the newest lines
 * A, B and C) is listed over MCP with the same name, every argument any version took (fixtures
 * copied from ../shared/anchor-tools.json and anchor-tools-latest.json), no more required
 * arguments, and bounds at least as wide.
 *
 * Our schemas list one spelling per argument, Autotask's (`companyID`, not `companyId`): argument
 * names match case-insensitively when a tool runs (src/tools/run.ts), so an original argument
 * counts as accepted when it is listed under a case-insensitively equal name.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import anchors from "./fixtures/anchor-tools.json" with { type: "json" };
import latest from "./fixtures/anchor-tools-latest.json" with { type: "json" };
import { connectStdio, sandboxSession, type Session } from "./helpers/mcp.ts";

interface Anchor {
  name: string;
  args: Record<string, { type: string; enum?: string[] }>;
  required: string[];
}

const META = new Set(["autotask_list_categories", "autotask_list_category_tools", "autotask_execute_tool", "autotask_router"]);

type Listed = { type?: string | string[]; enum?: string[]; items?: { type?: string } };

/** The listed argument an original argument reaches: the same name in any case. */
function listedArg(tool: Tool, arg: string): Listed | undefined {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, Listed>;
  return properties[arg] ?? Object.entries(properties).find(([name]) => name.toLowerCase() === arg.toLowerCase())?.[1];
}

const lower = (names: readonly string[]) => names.map((name) => name.toLowerCase()).sort();

let session: Session;
let listed: Map<string, Tool>;
/** The four meta-tools are listed in lazy mode (as in the original). */
let lazyListed: Map<string, Tool>;

beforeAll(async () => {
  session = await connectStdio({ env: { AUTOTASK_USERNAME: "compat@example.com" } });
  listed = new Map((await session.client.listTools()).tools.map((tool) => [tool.name, tool]));
  const lazy = await connectStdio({ env: { LAZY_LOADING: "true" } });
  lazyListed = new Map((await lazy.client.listTools()).tools.map((tool) => [tool.name, tool]));
  await lazy.close();
});
afterAll(() => session.close());

describe("the 90 original tools", () => {
  test("the fixture holds all 90", () => {
    expect(anchors).toHaveLength(90);
  });

  for (const anchor of anchors as unknown as Anchor[]) {
    test(anchor.name, () => {
      const tool = (META.has(anchor.name) ? lazyListed : listed).get(anchor.name);
      expect(tool, `${anchor.name} is not listed`).toBeDefined();
      expectArgsAccepted(tool!, anchor);
      expect(lower(tool!.inputSchema.required ?? [])).toEqual(lower(anchor.required));
    });
  }
});

/** Every argument of `anchor` is listed, taking every value the original took. */
function expectArgsAccepted(tool: Tool, anchor: Anchor): void {
  for (const [arg, spec] of Object.entries(anchor.args)) {
    const ours = listedArg(tool, arg);
    expect(ours, `${anchor.name}.${arg} is missing`).toBeDefined();
    // The same type, or a list that includes it (picklists also take labels, ticket ids also take
    // ticket numbers, update_contact's isActive also 1/0); `confirm` is listed by its const.
    expect([ours!.type].flat(), `${anchor.name}.${arg} type`).toContain(spec.type);
    if (spec.enum) expect(ours!.enum).toEqual(spec.enum);
  }
}

describe("the newest lines (A, B, C): every tool, every argument any line takes", () => {
  test("the fixture holds the union of 115 tools", () => {
    expect(latest).toHaveLength(115);
  });

  for (const anchor of latest as unknown as Anchor[]) {
    test(anchor.name, () => {
      const tool = (META.has(anchor.name) ? lazyListed : listed).get(anchor.name);
      expect(tool, `${anchor.name} is not listed`).toBeDefined();
      expectArgsAccepted(tool!, anchor);
      // Never more required than the line that requires least (the fixture lists the union's).
      const required = lower(anchor.required);
      expect(lower(tool!.inputSchema.required ?? []).filter((name) => !required.includes(name))).toEqual([]);
    });
  }
});

describe("page sizes", () => {
  // Every bound of the newer lines (at least as wide as any of them) is checked in parity.test.ts.
  test("search_tickets and the other 500-row searches take pageSize 500 and return up to 500 rows", async () => {
    const sandboxed = await sandboxSession();
    try {
      const tickets = await sandboxed.session.ok("autotask_search_tickets", { pageSize: 500, includeCompleted: true });
      expect(tickets.items).toHaveLength(500);
      expect(tickets.page.hasMore).toBe(true);
      for (const name of ["autotask_search_resources", "autotask_search_contracts", "autotask_search_invoices", "autotask_search_configuration_items", "autotask_search_billing_items", "autotask_search_billing_item_approval_levels", "autotask_search_time_entries"]) {
        const result = await sandboxed.session.ok(name, { pageSize: 500 });
        expect(result.page.pageSize, name).toBe(500);
      }
    } finally {
      await sandboxed.close();
    }
  });
});
