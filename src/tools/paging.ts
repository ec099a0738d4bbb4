/**
 * Paging for every search: one page of rows in Autotask's ascending id order (or newest first for
 * short child lists), presented with names, with where to go next — and the answer's shape. The
 * search builder (crud.ts searchTool), the generic query and the tools that page by hand use it.
 * Picklist values in a filter are checked against the tenant first: a value it does not have
 * matches nothing, silently, and is refused instead.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { entity as entityDef, findField } from "../autotask/entities.ts";
import { isGroup, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { ToolError } from "./define.ts";
import { present } from "./format.ts";
import { checkPicklistValue } from "./picklists.ts";

/** A presented record: a result's row or item. */
export const row = z.record(z.string(), z.unknown());

export const pageInfo = z.object({
  page: z.number(),
  pageSize: z.number(),
  returned: z.number(),
  hasMore: z.boolean(),
  /** How many rows match, when known without an extra request (on the last page). */
  total: z.number().optional(),
  nextPage: z.number().optional(),
});

export const listOutput = z.object({
  entity: z.string(),
  items: z.array(row),
  page: pageInfo,
  hint: z.string().optional(),
});
export type ListOutput = z.infer<typeof listOutput>;

export interface PageRequest {
  tool: string;
  entity: string;
  filter: Filter[];
  page: number;
  pageSize: number;
  fields?: string[];
  order?: "newest-first";
}

const NEWEST_FIRST_CAP = 500;

/**
 * Paging reads from the first row (Autotask has only next-page links), so deep pages cost more
 * requests; past this offset a narrower filter is the better answer.
 */
const MAX_OFFSET = 10_000;

/** One page of rows in Autotask's (ascending id) order, presented, with where to go next. */
export async function searchPage(ctx: ToolContext, request: PageRequest): Promise<ListOutput> {
  const def = entityDef(request.entity);
  const includeFields = request.fields ?? def.summary;
  const offset = (request.page - 1) * request.pageSize;
  if (offset > MAX_OFFSET) {
    throw new ToolError(`page ${request.page} starts beyond row ${MAX_OFFSET}: narrow the filters (dates, status, company) or continue with autotask_query and a filter on id greater than the last id you saw.`);
  }
  await checkFilterValues(ctx, def.name, request.filter);
  const { items, hasMore, total } =
    request.order === "newest-first"
      ? await newestFirst(ctx, def.name, request.filter, includeFields, offset, request.pageSize)
      : await ctx.client.queryRange<Row>(def.name, { filter: request.filter, includeFields }, offset, request.pageSize);
  const rows = await present(ctx, def.name, items);
  const info = {
    page: request.page,
    pageSize: request.pageSize,
    returned: rows.length,
    hasMore,
    ...(hasMore ? { nextPage: request.page + 1 } : {}),
    ...(total !== undefined ? { total } : {}),
  };
  const hint = hasMore
    ? `More ${def.name} match: call ${request.tool} again with page: ${request.page + 1}. For a total use autotask_count.`
    : rows.length === 0
      ? `No ${def.name} match these filters.`
      : undefined;
  return { entity: def.name, items: rows, page: info, ...(hint ? { hint } : {}) };
}

/**
 * A picklist value in a filter that the tenant does not have matches nothing, silently; say so
 * instead, with the allowed values (`status: 99` is a mistake, not "no tickets").
 */
async function checkFilterValues(ctx: ToolContext, entityName: string, filter: Filter[]): Promise<void> {
  const def = entityDef(entityName);
  for (const condition of filter) {
    if (isGroup(condition)) {
      await checkFilterValues(ctx, entityName, condition.items);
      continue;
    }
    if (condition.udf || !("value" in condition) || !findField(def, condition.field)?.picklist) continue;
    for (const value of Array.isArray(condition.value) ? condition.value : [condition.value]) {
      await checkPicklistValue(ctx, entityName, condition.field, value, "filter");
    }
  }
}

/**
 * Rows `offset … offset+limit` newest first (descending id), with whether older rows follow and how
 * many match. Up to 500 matching rows are read whole and sorted; past that, the count says where the
 * end is and the page is read back from there (Autotask only pages forward, in ascending id order).
 */
export async function newestFirst(
  ctx: ToolContext,
  entityName: string,
  filter: Filter[],
  includeFields: string[] | undefined,
  offset: number,
  limit: number,
): Promise<{ items: Row[]; hasMore: boolean; total: number }> {
  const { items, truncated } = await ctx.client.queryAll<Row>(entityName, { filter, includeFields }, NEWEST_FIRST_CAP);
  if (!truncated) {
    const sorted = items.sort((a, b) => b.id - a.id);
    return { items: sorted.slice(offset, offset + limit), hasMore: sorted.length > offset + limit, total: sorted.length };
  }
  const total = await ctx.client.count(entityName, filter);
  const end = Math.max(0, total - offset);
  const start = Math.max(0, end - limit);
  const page = await ctx.client.queryRange<Row>(entityName, { filter, includeFields }, start, end - start);
  return { items: page.items.reverse(), hasMore: start > 0, total };
}
