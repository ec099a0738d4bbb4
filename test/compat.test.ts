/**
 * Drop-in compatibility: every tool of the original autotask-mcp (2.7–2.18) is listed over MCP with
 * the same name, argument names, argument types and required arguments (fixture copied from
 * ../shared/anchor-tools.json).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import anchors from "./fixtures/anchor-tools.json" with { type: "json" };
import { connectStdio, sandboxSession, type Session } from "./helpers/mcp.ts";

interface Anchor {
  name: string;
  args: Record<string, { type: string; enum?: string[] }>;
  required: string[];
}

const META = new Set(["autotask_list_categories", "autotask_list_category_tools", "autotask_execute_tool", "autotask_router"]);

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
      const properties = (tool!.inputSchema.properties ?? {}) as Record<string, { type?: string | string[]; enum?: string[]; items?: { type?: string } }>;
      for (const [arg, spec] of Object.entries(anchor.args)) {
        expect(properties[arg], `${anchor.name}.${arg} is missing`).toBeDefined();
        // Every value the original accepted is accepted: the same type, or a list that includes it
        // (picklists also take labels, ticket ids also take ticket numbers).
        expect([properties[arg]!.type].flat(), `${anchor.name}.${arg} type`).toContain(spec.type);
        if (spec.enum) expect(properties[arg]!.enum).toEqual(spec.enum);
      }
      expect([...(tool!.inputSchema.required ?? [])].sort()).toEqual([...anchor.required].sort());
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
