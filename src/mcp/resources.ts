/**
 * The original server's MCP resources: read-only views a client can attach as context.
 * Lists show the first 25 rows (newest first where that is what people want) in the same compact,
 * name-resolved form as the tools. The MCP Apps views (`ui://…`, src/ui/) are listed and read here too.
 */
import type { ReadResourceResult, Resource, ResourceTemplateType as ResourceTemplate } from "@modelcontextprotocol/server";
import type { Row } from "../autotask/client.ts";
import { f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { notFound } from "../tools/crud.ts";
import { ToolError } from "../tools/define.ts";
import { present, presentOne } from "../tools/format.ts";
import { entity } from "../autotask/entities.ts";
import { readView, VIEW_RESOURCES } from "../ui/index.ts";

interface Collection {
  path: string;
  entity: string;
  name: string;
  description: string;
  filter: Filter[];
  /** Newest first by this date field; otherwise the first rows in id order. */
  newestBy?: string;
  /** Whether `/{id}` reads one record. */
  item: boolean;
}

const COLLECTIONS: Collection[] = [
  { path: "companies", entity: "Companies", name: "Companies", description: "Active companies (the first 25)", filter: [f.eq("isActive", true)], item: true },
  { path: "contacts", entity: "Contacts", name: "Contacts", description: "Active contacts (the first 25)", filter: [f.eq("isActive", 1)], item: true },
  { path: "tickets", entity: "Tickets", name: "Tickets", description: "The 25 most recent tickets", filter: [], newestBy: "createDate", item: true },
  { path: "time-entries", entity: "TimeEntries", name: "Time entries", description: "The 25 most recent time entries", filter: [], newestBy: "dateWorked", item: false },
];

/** How far back "most recent" looks, widening until 25 rows are found. */
const WINDOWS_DAYS = [7, 30, 90, 365, 3650];

const LIST_SIZE = 25;

export const RESOURCES: Resource[] = [
  ...COLLECTIONS.map((c) => ({
    uri: `autotask://${c.path}`,
    name: c.name,
    description: c.description,
    mimeType: "application/json",
  })),
  ...VIEW_RESOURCES,
];

export const RESOURCE_TEMPLATES: ResourceTemplate[] = COLLECTIONS.filter((c) => c.item).map((c) => ({
  uriTemplate: `autotask://${c.path}/{id}`,
  name: `${entity(c.entity).singular} by id`,
  description: `One ${entity(c.entity).singular.toLowerCase()} in full`,
  mimeType: "application/json",
}));

export async function readResource(uri: string, ctx: ToolContext): Promise<ReadResourceResult> {
  const view = await readView(uri);
  if (view) return view;
  const match = /^autotask:\/\/([a-z-]+)(?:\/(\d+))?\/?$/.exec(uri);
  const collection = match && COLLECTIONS.find((c) => c.path === match[1]);
  if (!match || !collection || (match[2] && !collection.item)) {
    throw new ToolError(`Unknown resource ${uri}. Resources: ${RESOURCES.map((r) => r.uri).join(", ")} and ${RESOURCE_TEMPLATES.map((t) => t.uriTemplate).join(", ")}`);
  }
  const def = entity(collection.entity);
  let data: unknown;
  if (match[2]) {
    const id = Number(match[2]);
    const row = await ctx.client.get<Row>(def.name, id);
    if (!row) throw notFound(def.singular, id);
    data = await presentOne(ctx, def.name, row);
  } else if (collection.newestBy) {
    data = await present(ctx, def.name, await latest(ctx, def.name, collection.newestBy, def.summary));
  } else {
    data = await present(ctx, def.name, (await ctx.client.query<Row>(def.name, { filter: collection.filter, includeFields: def.summary, maxRecords: LIST_SIZE })).items);
  }
  return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(data) }] };
}

/**
 * The newest rows without reading the whole table (Autotask returns ascending ids only): count
 * within a recent window, widening it until it holds 25 rows, then read the tail of that window.
 */
async function latest(ctx: ToolContext, entityName: string, dateField: string, includeFields?: string[]): Promise<Row[]> {
  let filter: Filter[] = [];
  let total = 0;
  for (const days of WINDOWS_DAYS) {
    filter = [f.gte(dateField, new Date(Date.now() - days * 86_400_000).toISOString())];
    total = await ctx.client.count(entityName, filter);
    if (total >= LIST_SIZE) break;
  }
  const { items } = await ctx.client.queryRange<Row>(entityName, { filter, includeFields }, Math.max(0, total - LIST_SIZE), LIST_SIZE);
  return items.sort((a, b) => String(b[dateField]).localeCompare(String(a[dateField])) || b.id - a.id);
}
