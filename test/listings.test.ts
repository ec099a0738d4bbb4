/**
 * The listings a build inlines (src/mcp/listings.ts, scripts/build.ts) list exactly what the
 * registry's own selection lists, for every kind of selection: read-only or not, lazy or not, all
 * toolsets, each one alone, several, none but core. They are computed from the registry at build
 * time and selected at run time by the same rule (src/tools/selection.ts), so the two cannot drift;
 * this proves it, including across the JSON text the build inlines.
 * (Built artifacts answer the same over stdio: binary.test.ts, node.test.ts.)
 */
import { describe, expect, test } from "bun:test";
import { precomputedListings } from "../scripts/build.ts";
import { computeListings, type Listings } from "../src/mcp/listings.ts";
import { listTools } from "../src/mcp/lists.ts";
import { RESOURCE_TEMPLATES, RESOURCES } from "../src/mcp/resources.ts";
import { resolveSelection, type ToolSelection } from "../src/tools/index.ts";
import { toolListing } from "../src/tools/schema.ts";
import { reachKey } from "../src/tools/selection.ts";
import { TOOLSET_NAMES, type Toolset } from "../src/tools/toolsets.ts";

/** What the build inlines, read back as the server reads it. */
async function inlined(): Promise<Listings> {
  const [source] = Object.values(await precomputedListings());
  const text = /^export const PRECOMPUTED = (".*");\n$/s.exec(source as string)?.[1];
  expect(text).toBeDefined();
  return JSON.parse(JSON.parse(text!)) as Listings;
}

const others = TOOLSET_NAMES.filter((name) => name !== "core");
const toolsetChoices: Array<Toolset[] | "all"> = ["all", [], ["core"], ...others.map((name) => [name]), others.slice(0, 3), [...others].reverse()];
const selections: ToolSelection[] = [
  ...toolsetChoices.flatMap((toolsets) => [false, true].flatMap((readOnly) => [false, true].map((lazy) => ({ readOnly, toolsets, lazy })))),
  // Read-only with a write allowlist: the named writes stay, raw_request's read-only stand-in otherwise.
  ...[["autotask_create_ticket_note"], ["autotask_raw_request"], ["autotask_delete_time_entry", "autotask_create_time_entry"]].flatMap((writeAllowlist) =>
    [false, true].map((lazy) => ({ readOnly: true, writeAllowlist, toolsets: "all" as const, lazy })),
  ),
];

/** What the registry lists for a selection: the reference. */
const fromRegistry = (selection: ToolSelection) => resolveSelection(selection).listed.map(toolListing);
const label = (selection: ToolSelection) => JSON.stringify(selection);

describe("the listings a build inlines", () => {
  test("list exactly what the registry lists, for every kind of selection", async () => {
    const built = await inlined();
    for (const selection of selections) {
      expect(listTools(built, selection), label(selection)).toEqual(fromRegistry(selection));
    }
  });

  test("computed in this process, they list the same (the source-run path)", () => {
    const computed = computeListings();
    for (const selection of selections) expect(listTools(computed, selection), label(selection)).toEqual(fromRegistry(selection));
  });

  test("hold the meta-tools for each reach a selection can have, and the resources and templates", async () => {
    const built = await inlined();
    const reaches = new Set(selections.map((selection) => reachKey(resolveSelection({ ...selection, lazy: false }).callable)));
    expect([...reaches].sort()).toEqual(["destructive", "read-only", "writes"]);
    for (const reach of reaches) expect(built.meta[reach]?.map((tool) => tool.listing.name)).toEqual(["autotask_list_categories", "autotask_list_category_tools", "autotask_execute_tool", "autotask_router"]);
    expect(built.resources).toEqual(JSON.parse(JSON.stringify(RESOURCES)));
    expect(built.resourceTemplates).toEqual(JSON.parse(JSON.stringify(RESOURCE_TEMPLATES)));
  });

  test("a lazy read-only selection lists meta-tools that say they only read", async () => {
    const listed = listTools(await inlined(), { readOnly: true, toolsets: "all", lazy: true });
    expect(listed.find((tool) => tool.name === "autotask_execute_tool")?.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    const writable = listTools(await inlined(), { readOnly: false, toolsets: "all", lazy: true });
    expect(writable.find((tool) => tool.name === "autotask_execute_tool")?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });
});
