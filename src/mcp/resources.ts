/**
 * The original server's MCP resources: read-only views a client can attach as context.
 * Lists show the first 25 rows (newest first where that is what people want) in the same compact,
 * name-resolved form as the tools.
 */
import type { ReadResourceResult, Resource, ResourceTemplate } from "@modelcontextprotocol/sdk/types.js";
import type { Row } from "../autotask/client.ts";
import { f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { notFound } from "../tools/crud.ts";
import { ToolError } from "../tools/define.ts";
import { present, presentOne } from "../tools/format.ts";
import { entity } from "../autotask/entities.ts";

interface Collection {
  path: string;
  entity: string;
  name: string;
  description: string;
  filter: Filter[];
  /** Whether `/{id}` reads one record. */
  item: boolean;
}

const COLLECTIONS: Collection[] = [
  { path: "companies", entity: "Companies", name: "Companies", description: "Active companies (first 25)", filter: [f.eq("isActive", true)], item: true },
  { path: "contacts", entity: "Contacts", name: "Contacts", description: "Active contacts (first 25)", filter: [f.eq("isActive", 1)], item: true },
  { path: "tickets", entity: "Tickets", name: "Tickets", description: "The 25 most recent tickets", filter: [f.all()], item: true },
  { path: "time-entries", entity: "TimeEntries", name: "Time entries", description: "The 25 most recent time entries", filter: [f.all()], item: false },
];

const LIST_SIZE = 25;

export const RESOURCES: Resource[] = COLLECTIONS.map((c) => ({
  uri: `autotask://${c.path}`,
  name: c.name,
  description: c.description,
  mimeType: "application/json",
}));

export const RESOURCE_TEMPLATES: ResourceTemplate[] = COLLECTIONS.filter((c) => c.item).map((c) => ({
  uriTemplate: `autotask://${c.path}/{id}`,
  name: `${entity(c.entity).singular} by id`,
  description: `One ${entity(c.entity).singular.toLowerCase()} in full`,
  mimeType: "application/json",
}));

export async function readResource(uri: string, ctx: ToolContext): Promise<ReadResourceResult> {
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
  } else {
    data = await present(ctx, def.name, await latest(ctx, def.name, collection.filter, def.summary));
  }
  return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(data) }] };
}

/** The newest rows: count, then read only the last page (Autotask returns ascending ids). */
async function latest(ctx: ToolContext, entityName: string, filter: Filter[], includeFields?: string[]): Promise<Row[]> {
  const total = await ctx.client.count(entityName, filter);
  const offset = Math.max(0, total - LIST_SIZE);
  const { items } = await ctx.client.queryRange<Row>(entityName, { filter, includeFields }, offset, LIST_SIZE);
  return items.reverse();
}
