/**
 * The registry as clients see it: a schema snapshot of tools/list, quality rules every tool keeps,
 * and the README tool table kept in step with the registry.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
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
      expect(typeof a.destructiveHint).toBe("boolean");
      expect(typeof a.idempotentHint).toBe("boolean");
      expect(typeof a.openWorldHint).toBe("boolean");
      if (/^autotask_(search|get|list)_/.test(tool.name)) expect(a.readOnlyHint, `${tool.name} reads`).toBe(true);
      if (/^autotask_(create|update|delete)_/.test(tool.name)) expect(a.readOnlyHint, `${tool.name} writes`).toBe(false);
      if (/^autotask_delete_/.test(tool.name)) {
        expect(a.destructiveHint).toBe(true);
        expect((tool.inputSchema.properties as Record<string, unknown>).confirm, `${tool.name} has confirm`).toBeDefined();
      }
      for (const [arg, schema] of Object.entries((tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>)) {
        expect(schema.description?.length ?? 0, `${tool.name}.${arg} needs a description`).toBeGreaterThan(3);
      }
    }
  });
});

describe("README", () => {
  test("the tool table is the registry's (`autotask-mcp tools --markdown`)", async () => {
    const proc = Bun.spawn([BUN, CLI, "tools", "--markdown"], { cwd: ROOT, stdout: "pipe" });
    const generated = (await new Response(proc.stdout).text()).trim();
    const readme = await Bun.file(`${ROOT}README.md`).text();
    const section = /<!-- tools:start -->\n([\s\S]*?)\n<!-- tools:end -->/.exec(readme)?.[1]?.trim();
    expect(section, "README.md needs a <!-- tools:start --> … <!-- tools:end --> section").toBeDefined();
    expect(section).toBe(generated);
  });
});
