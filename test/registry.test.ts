/**
 * The registry as clients see it: a schema snapshot of tools/list, quality rules every tool keeps,
 * and the README tool table kept in step with the registry.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { findEntity, findField } from "../src/autotask/entities.ts";
import { argRef } from "../src/tools/args.ts";
import { allTools } from "../src/tools/index.ts";
import { toolsMarkdown } from "../src/tools/markdown.ts";
import { BUN, CLI, connectStdio, ROOT, type Session } from "./helpers/mcp.ts";

let session: Session;
let tools: Tool[];

beforeAll(async () => {
  session = await connectStdio({ env: { AUTOTASK_USERNAME: "registry@example.com" } });
  tools = (await session.client.listTools()).tools;
});
afterAll(() => session.close());

describe("tools/list", () => {
  test("matches the schema snapshot (update with `bun test --update-snapshots` when a change is intended)", () => {
    expect(tools).toMatchSnapshot();
  });

  test("every tool has a title, a useful description, annotations and schemas", () => {
    const names = new Set<string>();
    for (const tool of tools) {
      expect(names.has(tool.name), `duplicate ${tool.name}`).toBe(false);
      names.add(tool.name);
      expect(tool.name).toMatch(/^autotask_[a-z_]+$/);
      expect(tool.title?.length ?? 0).toBeGreaterThan(3);
      expect(tool.description?.length ?? 0, `${tool.name} description`).toBeGreaterThan(40);
      expect(tool.outputSchema?.type).toBe("object");
      const a = tool.annotations!;
      expect(typeof a.readOnlyHint).toBe("boolean");
      expect(typeof a.openWorldHint).toBe("boolean");
      // MCP: destructiveHint and idempotentHint mean something only for a tool that writes.
      if (a.readOnlyHint) expect([a.destructiveHint, a.idempotentHint]).toEqual([undefined, undefined]);
      else {
        expect(typeof a.destructiveHint).toBe("boolean");
        expect(typeof a.idempotentHint).toBe("boolean");
      }
      if (/^autotask_(search|get|list)_/.test(tool.name)) expect(a.readOnlyHint, `${tool.name} reads`).toBe(true);
      if (/^autotask_(create|update|delete)_/.test(tool.name)) expect(a.readOnlyHint, `${tool.name} writes`).toBe(false);
      if (/^autotask_delete_/.test(tool.name)) {
        expect(a.destructiveHint).toBe(true);
        expect((tool.inputSchema.properties as Record<string, unknown>).confirm, `${tool.name} has confirm`).toBeDefined();
      }
    }
  });

  test("every argument is described, unless its name, type and the conventions say everything", () => {
    const undescribed: string[] = [];
    for (const tool of tools) {
      for (const [arg, schema] of Object.entries((tool.inputSchema.properties ?? {}) as Record<string, ListedArg>)) {
        if (schema.description) expect(schema.description.length, `${tool.name}.${arg} description`).toBeGreaterThan(3);
        else if (!selfDescribing(tool, arg, schema)) undescribed.push(`${tool.name}.${arg}`);
      }
    }
    expect(undescribed).toEqual([]);
  });
});

type ListedArg = { description?: string; type?: string | string[] };

const registry = new Map(allTools().map((tool) => [tool.name, tool]));

/**
 * An argument may go without a description only when nothing is left to say (the server's
 * instructions, src/tools/conventions.ts, say the rest once):
 * - page, pageSize, confirm, searchTerm, entity, entityType: conventions (bounds and `const` are listed);
 * - a record id: `id` (the tool's own record) or `<thing>ID` / `<thing>Id`, a number (a ticket id:
 *   a number or a ticket number) — ids come from the matching search tool;
 * - a date-time: the conventions' default date kind (calendar dates are marked YYYY-MM-DD);
 * - an Autotask field of the tool's entity under its own name (firstName, city, status …);
 * - an argument the tool's description explains by name (fullDetails, includeItems).
 */
function selfDescribing(tool: Tool, arg: string, schema: ListedArg): boolean {
  if (["page", "pageSize", "confirm", "searchTerm", "entity", "entityType"].includes(arg)) return true;
  const ticket = /^ticketId$/i.test(arg) && JSON.stringify(schema.type) === '["number","string"]';
  if (/^(id|[a-z][A-Za-z]*I[dD])$/.test(arg) && (schema.type === "number" || ticket)) return true;
  const defined = registry.get(tool.name);
  const argSchema = defined && (defined.input.shape as Record<string, Parameters<typeof argRef>[0]>)[arg];
  if (argSchema && argRef(argSchema)?.kind === "datetime") return true;
  const entity = defined?.entity ? findEntity(defined.entity) : undefined;
  if (entity && findField(entity, arg)?.name === arg) return true;
  return new RegExp(`\\b${arg}\\b`).test(tool.description ?? "");
}

/** What a model reads of a tool: its name, description and input schema. */
const modelVisible = (tool: Tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });
const kb = (value: unknown) => Buffer.byteLength(JSON.stringify(value)) / 1024;

describe("the tool list stays lean (bench/tools-list.ts prints the figures)", () => {
  // Read in every conversation. The same bounds are to hold once the parity issue adds its ~23 tools
  // and ~200 arguments: about 0.5 KB of what a model reads per new tool, its arguments included
  // (bench/tools-list.ts projects it at today's cost).
  test("what a model reads (name, description, input schema) is at most 60 KB", () => {
    expect(kb(tools.map(modelVisible))).toBeLessThanOrEqual(60);
  });

  test("the whole tools/list result is at most 100 KB", () => {
    expect(kb({ tools })).toBeLessThanOrEqual(100);
  });
});

describe("README", () => {
  test("the generated table lists every tool of the registry, the lazy-loading meta-tools apart", () => {
    const table = toolsMarkdown(allTools());
    const listed = [...table.matchAll(/^\| `(autotask_[a-z_]+)` \|/gm)].map((match) => match[1]);
    expect(listed.toSorted()).toEqual(allTools().map((tool) => tool.name).toSorted());
    const lazy = table.slice(table.indexOf("**lazy loading**"));
    expect([...lazy.matchAll(/^\| `(autotask_[a-z_]+)` \|/gm)].map((match) => match[1])).toEqual(["autotask_list_categories", "autotask_list_category_tools", "autotask_execute_tool", "autotask_router"]);
  });

  test("the tool table is the registry's (`autotask-mcp tools --markdown`)", async () => {
    const proc = Bun.spawn([BUN, CLI, "tools", "--markdown"], { cwd: ROOT, stdout: "pipe" });
    const generated = (await new Response(proc.stdout).text()).trim();
    const readme = await Bun.file(`${ROOT}README.md`).text();
    const section = /<!-- tools:start -->\n([\s\S]*?)\n<!-- tools:end -->/.exec(readme)?.[1]?.trim();
    expect(section, "README.md needs a <!-- tools:start --> … <!-- tools:end --> section").toBeDefined();
    expect(section).toBe(generated);
  });
});
