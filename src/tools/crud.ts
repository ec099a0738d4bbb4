/**
 * Tool builders for the shapes most tools share — search, get, create, update, delete — so a
 * domain file is a table of rows and a fix to how children are written happens in one place.
 * Every builder goes through the entity table (children through their parent URL), validates
 * picklists and required fields against the tenant before sending, and presents rows with names.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { entity as entityDef } from "../autotask/entities.ts";
import type { Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { confirm, DEFAULT_PAGE_SIZE, id, idArg, page, pageSize } from "./args.ts";
import { defineTool, ToolError, type Tool, type ToolSpec } from "./define.ts";
import { presentOne, type Record_ } from "./format.ts";
import { listOutput, row, searchPage } from "./paging.ts";
import { checkBody } from "./picklists.ts";

type Shape = z.ZodRawShape;
type Args<A extends Shape> = z.output<z.ZodObject<A>>;
type Common = Pick<ToolSpec<z.ZodObject<Shape>, z.ZodObject<Shape>>, "name" | "title" | "description" | "toolset" | "category" | "requireOneOf" | "aliases" | "ui" | "untrusted" | "fanOut">;

/** With a note: a default the tool lifted because the caller named one record (e.g. "open tickets only"). */
const notedListOutput = listOutput.extend({ note: z.string().optional() });
export const itemOutput = z.object({ entity: z.string(), item: row });
export const writeOutput = z.object({
  entity: z.string(),
  id: z.number(),
  message: z.string(),
  item: row.optional(),
  updated: z.array(z.string()).optional(),
});
export const deleteOutput = z.object({ entity: z.string(), id: z.number(), deleted: z.boolean(), message: z.string() });

// ---------------------------------------------------------------------------------------------

export interface SearchSpec<A extends Shape> extends Common {
  entity: string;
  args: A;
  /**
   * Autotask filters for the given arguments (an empty list means "everything"), optionally with a
   * note for the answer — say which default was lifted when the caller named one record.
   */
  filters(args: Args<A>, ctx: ToolContext): Filters | Promise<Filters>;
  /** Fields to return; default the entity's summary fields. */
  fields?: string[];
  /**
   * "newest-first" for short child lists (a ticket's notes): all rows (≤ 500) are read and shown in
   * reverse id order. Default: Autotask's ascending id order, paged without reading ahead.
   */
  order?: "newest-first";
  /** The filters may return a note (listed in the output schema only where they can). */
  notes?: boolean;
}

export type Filters = Filter[] | { filter: Filter[]; note?: string };

export function searchTool<A extends Shape>(spec: SearchSpec<A>): Tool {
  const input = z.object({ ...spec.args, page: page().optional(), pageSize: pageSize().optional() });
  return defineTool({
    ...common(spec),
    input,
    output: spec.notes ? notedListOutput : listOutput,
    annotations: { readOnly: true },
    async run(input, ctx) {
      const args = input as Record<string, unknown>;
      const built = await spec.filters(args as Args<A>, ctx);
      const { filter, note } = Array.isArray(built) ? { filter: built, note: undefined } : built;
      const result = await searchPage(ctx, {
        tool: spec.name,
        entity: spec.entity,
        filter,
        page: (args.page as number | undefined) ?? 1,
        pageSize: (args.pageSize as number | undefined) ?? DEFAULT_PAGE_SIZE,
        fields: spec.fields,
        order: spec.order,
      });
      return note ? { ...result, note } : result;
    },
  });
}

// ---------------------------------------------------------------------------------------------

export interface GetSpec<A extends Shape> extends Common {
  entity: string;
  /** The argument holding the record id, e.g. "ticketID". */
  idArg: string;
  /** Only when the id argument's name does not say what it is or where it comes from. */
  idDescription?: string;
  /** The parent id argument, for children read through the parent URL (attachments return their data only there). */
  parentArg?: string;
  args?: A;
  /** Reshapes the presented record (e.g. add related rows). */
  shape?(item: Record_, args: Args<A> & Record<string, unknown>, ctx: ToolContext): Promise<Record_> | Record_;
}

export function getTool<A extends Shape>(spec: GetSpec<A>): Tool {
  const def = entityDef(spec.entity);
  const input = z.object({
    ...(spec.parentArg ? { [spec.parentArg]: idArg(spec.parentArg) } : {}),
    [spec.idArg]: idArg(spec.idArg, spec.idDescription),
    ...(spec.args ?? {}),
  });
  return defineTool({
    ...common(spec),
    input,
    output: itemOutput,
    annotations: { readOnly: true },
    async run(input, ctx) {
      const args = input as Record<string, unknown>;
      const id = args[spec.idArg] as number;
      const row = spec.parentArg
        ? await ctx.client.getChild<Row>(def.name, args[spec.parentArg] as number, id)
        : await ctx.client.get<Row>(def.name, id);
      if (!row) throw notFound(def.singular, id);
      const item = await presentOne(ctx, def.name, row);
      return { entity: def.name, item: spec.shape ? await spec.shape(item, args as Args<A> & Record<string, unknown>, ctx) : item };
    },
  });
}

// ---------------------------------------------------------------------------------------------

export interface CreateSpec<A extends Shape> extends Common {
  entity: string;
  args: A;
  /** The argument holding the parent id, for children created through the parent URL. */
  parentArg?: string;
  /**
   * The Autotask body for these arguments; fill tenant defaults here. `remark` adds a sentence to
   * the result's message, for what the caller should know about what was sent (the size of an
   * upload, text Autotask has no field for).
   */
  build(args: Args<A>, ctx: ToolContext, remark: (sentence: string) => void): Promise<Record<string, unknown>> | Record<string, unknown>;
}

export function createTool<A extends Shape>(spec: CreateSpec<A>): Tool {
  const def = entityDef(spec.entity);
  return defineTool({
    ...common(spec),
    input: z.object(spec.args),
    output: writeOutput,
    annotations: { readOnly: false, idempotent: false },
    async run(input, ctx) {
      const args = input as Record<string, unknown>;
      const parentId = spec.parentArg ? (args[spec.parentArg] as number | undefined) : undefined;
      const remarks: string[] = [];
      const body = definedOnly(await spec.build(args as Args<A>, ctx, (sentence) => remarks.push(sentence)));
      if (def.parent && parentId !== undefined) body[def.parent.field] = parentId;
      await checkBody(ctx, def.name, body, "create");
      const id = await ctx.client.create(def.name, body, parentId);
      return { entity: def.name, id, message: [`Created ${def.singular} ${id}`, ...remarks].join(". "), ...(await readBack(ctx, def.name, id)) };
    },
  });
}

export interface UpdateSpec<A extends Shape> extends Common {
  entity: string;
  idArg: string;
  /** The parent id argument, where the original took it too (children are updated through the parent URL). */
  parentArg?: string;
  args: A;
  /**
   * The fields to change, from the arguments other than the id and the parent id (undefined values
   * are left out); `parentId` is the parent argument's value, when the tool has one.
   */
  build(args: Args<A>, ctx: ToolContext, id: number, parentId?: number): Promise<Record<string, unknown>> | Record<string, unknown>;
}

export function updateTool<A extends Shape>(spec: UpdateSpec<A>): Tool {
  const def = entityDef(spec.entity);
  const input = z.object({
    ...(spec.parentArg ? { [spec.parentArg]: idArg(spec.parentArg) } : {}),
    [spec.idArg]: idArg(spec.idArg),
    ...spec.args,
  });
  return defineTool({
    ...common(spec),
    input,
    output: writeOutput,
    annotations: { readOnly: false, idempotent: true },
    async run(input, ctx) {
      const args = input as Record<string, unknown>;
      const { [spec.idArg]: recordId, ...fields } = args;
      if (spec.parentArg) delete fields[spec.parentArg];
      const id = recordId as number;
      const parentId = spec.parentArg ? (args[spec.parentArg] as number) : undefined;
      const changes = definedOnly(await spec.build(fields as Args<A>, ctx, id, parentId));
      if (Object.keys(changes).length === 0) {
        throw new ToolError(`Nothing to update: pass at least one of ${Object.keys(spec.args).join(", ")}.`);
      }
      await checkBody(ctx, def.name, changes, "update");
      await ctx.client.update(def.name, { ...changes, id }, parentId);
      for (const field of def.display ?? []) if (field in changes) ctx.cache.forgetName(def.name, id);
      return { entity: def.name, id, updated: Object.keys(changes), message: `Updated ${def.singular} ${id}: ${Object.keys(changes).join(", ")}` };
    },
  });
}

export interface DeleteSpec extends Common {
  entity: string;
  /** Id argument names; several when the original accepted aliases (`id` / `serviceCallId`). */
  idArgs: string[];
  /** The parent id argument, for children deleted through the parent URL. */
  parentArg?: string;
}

/**
 * Deletes need `confirm: true`. It is optional in the schema — the original's required arguments
 * stay as they were — but a call without it is refused with an explanation and nothing is sent.
 */
export function deleteTool(spec: DeleteSpec): Tool {
  const def = entityDef(spec.entity);
  const single = spec.idArgs.length === 1;
  const input = z.object({
    ...(spec.parentArg ? { [spec.parentArg]: idArg(spec.parentArg) } : {}),
    ...Object.fromEntries(spec.idArgs.map((name) => [name, single ? idArg(name) : idArg(name).optional()])),
    confirm: confirm().optional(),
  });
  return defineTool({
    ...common(spec),
    requireOneOf: single ? spec.requireOneOf : [spec.idArgs, ...(spec.requireOneOf ?? [])],
    input,
    output: deleteOutput,
    annotations: { readOnly: false, destructive: true, idempotent: true },
    async run(input, ctx) {
      const args = input as Record<string, unknown>;
      const id = pickId(args, spec.idArgs);
      if (args.confirm !== true) {
        throw new ToolError(`Deleting ${def.singular} ${id} cannot be undone. Nothing was deleted: call ${spec.name} again with confirm: true to proceed.`);
      }
      const parentId = spec.parentArg ? (args[spec.parentArg] as number) : undefined;
      await ctx.client.delete(def.name, id, parentId);
      return { entity: def.name, id, deleted: true, message: `Deleted ${def.singular} ${id}` };
    },
  });
}

/** Two optional spellings of one id argument (the conventions say either may be passed). */
export const aliases = (names: readonly [string, string]) =>
  Object.fromEntries(names.map((name) => [name, id().optional()])) as Record<string, z.ZodOptional<ReturnType<typeof id>>>;

/** A single-id builder tool (idArg = names[0]) that also accepts the second spelling. */
export function withIdAlias(tool: Tool, names: readonly [string, string]): Tool {
  return {
    ...tool,
    input: tool.input.extend(aliases(names)),
    requireOneOf: [[...names]],
    run(input, ctx) {
      const args = input as Record<string, unknown>;
      const recordId = pickId(args, names);
      const { [names[1]]: _alias, ...rest } = args;
      return tool.run({ ...rest, [names[0]]: recordId }, ctx);
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** After a create: the new record as a `get` would show it. A failed read does not undo success. */
async function readBack(ctx: ToolContext, entityName: string, id: number): Promise<{ item?: Record_ }> {
  try {
    const row = await ctx.client.get<Row>(entityName, id);
    return row ? { item: await presentOne(ctx, entityName, row) } : {};
  } catch (error) {
    ctx.log.debug("read-back after create failed", { entity: entityName, id, error: (error as Error).message });
    return {};
  }
}

/** The id given under any of its accepted spellings; two spellings naming different records is an error. */
export function pickId(args: Record<string, unknown>, names: readonly string[]): number {
  const values = [...new Set(names.map((name) => args[name]).filter((value) => value !== undefined))] as number[];
  if (values.length > 1) throw new ToolError(`${names.join(" and ")} name different records (${values.join(" vs ")}): pass only one of them.`);
  if (values.length === 0) throw new ToolError(`One of ${names.join(" or ")} is required.`);
  return values[0]!;
}

export function notFound(singular: string, id: number): ToolError {
  return new ToolError(`${singular} ${id} was not found (or the API user cannot see it). Search for it first to get a valid id.`);
}

function common(spec: Common & { entity: string }) {
  const { name, title, description, toolset, category, requireOneOf, aliases, entity, ui, untrusted, fanOut } = spec;
  return {
    name,
    title,
    description,
    toolset,
    category,
    entity,
    ...(requireOneOf ? { requireOneOf } : {}),
    ...(aliases ? { aliases } : {}),
    ...(ui ? { ui } : {}),
    ...(untrusted ? { untrusted } : {}),
    ...(fanOut ? { fanOut } : {}),
  };
}

export function definedOnly(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
