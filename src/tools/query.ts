/**
 * The general query layer: any entity of the entity table with the full filter grammar, counts
 * without rows, any record by id, and the tenant's own field metadata and picklists.
 */
import { z } from "zod";
import type { FieldInfo, Row } from "../autotask/client.ts";
import { REFUSE_FAN_OUT_PERCENT, WARN_PERCENT } from "../autotask/budget.ts";
import { ENTITIES, findEntity, findField, supports, type EntityDef } from "../autotask/entities.ts";
import { countOrConditions, filterSchema, isGroup, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { id, page, pageSize } from "./args.ts";
import { itemOutput, notFound } from "./crud.ts";
import { listAs } from "./schema.ts";
import { defineTool, ToolError } from "./define.ts";
import { presentOne } from "./format.ts";
import { listOutput, searchPage } from "./paging.ts";
import { activeValues, asValue } from "./picklists.ts";

/** An entity name (the conventions say which). */
const entityArg = () => z.string().min(1);

const filterArg = () =>
  z
    .array(filterSchema)
    .max(50)
    .optional()
    .describe("All must match; none: every row. Picklists take labels");

/** Autotask's limit on `or` conditions per query. */
const MAX_OR_CONDITIONS = 500;

export function resolveEntity(name: string, operation?: "query" | "count" | "get"): EntityDef {
  const def = findEntity(name);
  if (!def) throw new ToolError(`Unknown entity "${name}". Known entities: ${ENTITIES.map((e) => e.name).join(", ")}.`);
  if (operation && !supports(def, operation)) throw new ToolError(`${def.name} cannot be used with ${operation}.`);
  return def;
}

/**
 * Checks field names against the entity table (so a typo is caught before it costs a request)
 * and turns picklist labels into their values. Dates need nothing here: the client sends every
 * filter's dates in Autotask's form (autotask/wire.ts).
 */
async function normalizeFilter(ctx: ToolContext, def: EntityDef, filters: Filter[]): Promise<Filter[]> {
  const ors = countOrConditions(filters);
  if (ors > MAX_OR_CONDITIONS) throw new ToolError(`Autotask allows at most ${MAX_OR_CONDITIONS} "or" conditions in one query; this filter has ${ors}. Use "in" with a list instead.`);
  let info: FieldInfo[] | undefined;
  const picklistOf = async (field: string) => {
    info ??= await ctx.cache.fieldInfo(ctx.client, def.name);
    return info.find((entry) => entry.name.toLowerCase() === field.toLowerCase())?.picklistValues ?? [];
  };
  const convert = async (field: string, value: unknown): Promise<unknown> => {
    const known = findField(def, field)!;
    if (known.picklist && typeof value === "string" && !/^-?\d+$/.test(value)) {
      const values = await picklistOf(field);
      const match = values.find((option) => option.label.toLowerCase() === value.toLowerCase());
      if (!match) throw new ToolError(`"${value}" is not a ${known.name} label. Allowed: ${activeValues(values).map((v) => `${v.value} ${v.label}`).join(", ")}.`);
      return asValue(match.value);
    }
    return value;
  };
  const walk = async (filter: Filter): Promise<Filter> => {
    if (isGroup(filter)) return { op: filter.op, items: await Promise.all(filter.items.map(walk)) };
    if (filter.udf) return filter;
    const known = findField(def, filter.field);
    if (!known) {
      const close = def.fields.filter((field) => field.name.toLowerCase().includes(filter.field.toLowerCase().slice(0, 4))).map((field) => field.name);
      throw new ToolError(`${def.name} has no field "${filter.field}".${close.length ? ` Did you mean: ${close.slice(0, 8).join(", ")}?` : ""} autotask_describe_entity lists every field.`);
    }
    const field = known.name;
    if (filter.op === "exist" || filter.op === "notExist") return { ...filter, field };
    if (filter.op === "in" || filter.op === "notIn") return { ...filter, field, value: (await Promise.all(filter.value.map((v) => convert(field, v)))) as never };
    return { ...filter, field, value: (await convert(field, (filter as { value: unknown }).value)) as never } as Filter;
  };
  return Promise.all(filters.map(walk));
}

function checkFields(def: EntityDef, fields: string[] | undefined): string[] | undefined {
  if (!fields?.length) return undefined;
  return fields.map((name) => {
    const known = findField(def, name);
    if (!known) throw new ToolError(`${def.name} has no field "${name}". autotask_describe_entity lists every field.`);
    return known.name;
  });
}

const fieldOutput = z.object({
  name: z.string(),
  type: z.string(),
  required: z.boolean().optional(),
  readOnly: z.boolean().optional(),
  reference: z.string().optional(),
  picklist: z.array(z.string()).optional(),
  udf: z.boolean().optional(),
});

function describeField(field: FieldInfo, udf = false): z.infer<typeof fieldOutput> {
  const values = field.isPickList ? activeValues(field.picklistValues ?? []) : [];
  return {
    name: field.name,
    type: field.dataType,
    ...(field.isRequired ? { required: true } : {}),
    ...(field.isReadOnly ? { readOnly: true } : {}),
    ...(field.isReference && field.referenceEntityType ? { reference: field.referenceEntityType } : {}),
    ...(values.length ? { picklist: values.map((v) => `${v.value}=${v.label}${v.isDefaultValue ? " (default)" : ""}`) } : {}),
    ...(udf ? { udf: true } : {}),
  };
}

export const queryTools = [
  defineTool({
    name: "autotask_query",
    title: "Query any entity",
    description:
      "Rows of any entity with a full filter (nested and/or, UDFs), when no search tool fits; autotask_describe_entity lists fields.",
    toolset: "core",
    untrusted: true,
    category: "query",
    input: z.object({
      entity: entityArg(),
      filter: filterArg(),
      includeFields: z.array(z.string()).max(100).optional().describe("Default: the summary fields; id always"),
      page: page().optional(),
      pageSize: pageSize().optional(),
    }),
    output: listOutput,
    annotations: { readOnly: true },
    async run(args, ctx) {
      const def = resolveEntity(args.entity, "query");
      return searchPage(ctx, {
        tool: "autotask_query",
        entity: def.name,
        filter: await normalizeFilter(ctx, def, args.filter ?? []),
        page: args.page ?? 1,
        pageSize: args.pageSize ?? 25,
        fields: checkFields(def, args.includeFields) ?? def.summary ?? def.fields.filter((field) => field.type !== "base64").map((field) => field.name),
      });
    },
  }),

  defineTool({
    name: "autotask_count",
    title: "Count rows",
    description: "Answers 'how many …' in one request, without reading rows (open tickets of a company, time this week).",
    toolset: "core",
    category: "query",
    // The same filter as autotask_query's, listed in full there only.
    input: z.object({ entity: entityArg(), filter: listAs(filterArg(), { type: "array", description: "autotask_query's filter" }) }),
    output: z.object({ entity: z.string(), count: z.number() }),
    annotations: { readOnly: true },
    async run(args, ctx) {
      const def = resolveEntity(args.entity, "count");
      return { entity: def.name, count: await ctx.client.count(def.name, await normalizeFilter(ctx, def, args.filter ?? [])) };
    },
  }),

  defineTool({
    name: "autotask_get_entity",
    title: "Get any record",
    description: "One record of any entity by id, when no get tool fits.",
    toolset: "core",
    untrusted: true,
    category: "query",
    input: z.object({ entity: entityArg(), id: id() }),
    output: itemOutput,
    annotations: { readOnly: true },
    async run(args, ctx) {
      const def = resolveEntity(args.entity, "get");
      const row = await ctx.client.get<Row>(def.name, args.id);
      if (!row) throw notFound(def.singular, args.id);
      return { entity: def.name, item: await presentOne(ctx, def.name, row) };
    },
  }),

  defineTool({
    name: "autotask_describe_entity",
    title: "Describe an entity",
    description:
      "An entity's fields on this tenant (type, required, read-only, reference, picklist values), UDFs and operations.",
    toolset: "core",
    category: "query",
    input: z.object({ entity: entityArg() }),
    output: z.object({
      entity: z.string(),
      operations: z.array(z.string()),
      parent: z.string().optional(),
      fields: z.array(fieldOutput),
    }),
    annotations: { readOnly: true },
    async run(args, ctx) {
      const def = resolveEntity(args.entity);
      const [fields, udfs] = await Promise.all([ctx.cache.fieldInfo(ctx.client, def.name), ctx.client.udfInfo(def.name).catch(() => [])]);
      return {
        entity: def.name,
        operations: def.operations,
        ...(def.parent ? { parent: `${def.parent.entity} (created through ${def.parent.path})` } : {}),
        fields: [...fields.map((field) => describeField(field)), ...udfs.map(({ type, label, ...field }) => describeField({ ...field, name: label ?? field.name, dataType: type }, true))],
      };
    },
  }),

  defineTool({
    name: "autotask_list_picklist",
    title: "List picklist values",
    description:
      "The tenant's values of one picklist field (Tickets status, TicketNotes publish …): value, label, default, inactive, parent.",
    toolset: "core",
    category: "query",
    input: z.object({ entity: entityArg(), field: z.string().min(1).describe("e.g. status, queueID, publish") }),
    output: z.object({
      entity: z.string(),
      field: z.string(),
      values: z.array(z.object({ value: z.string(), label: z.string(), isDefault: z.boolean().optional(), parentValue: z.string().optional(), inactive: z.boolean().optional() })),
    }),
    annotations: { readOnly: true },
    async run(args, ctx) {
      const def = resolveEntity(args.entity);
      const field = await ctx.cache.field(ctx.client, def.name, args.field);
      if (!field) throw new ToolError(`${def.name} has no field "${args.field}". autotask_describe_entity lists every field.`);
      if (!field.isPickList) throw new ToolError(`${def.name}.${field.name} is not a picklist.`);
      const values = [...(field.picklistValues ?? [])].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
      return {
        entity: def.name,
        field: field.name,
        values: values.map((v) => ({
          value: v.value,
          label: v.label,
          ...(v.isDefaultValue ? { isDefault: true } : {}),
          ...(v.parentValue ? { parentValue: v.parentValue } : {}),
          ...(v.isActive === false ? { inactive: true } : {}),
        })),
      };
    },
  }),

  defineTool({
    name: "autotask_get_field_info",
    title: "Get field definitions",
    description: "An entity's fields with picklist values, or one field; autotask_describe_entity adds UDFs.",
    toolset: "core",
    category: "utility",
    input: z.object({
      entityType: entityArg(),
      fieldName: z.string().min(1).optional().describe("Just this field"),
    }),
    output: z.object({ entity: z.string(), fields: z.array(fieldOutput) }),
    annotations: { readOnly: true },
    async run(args, ctx) {
      const def = resolveEntity(args.entityType);
      const fields = await ctx.cache.fieldInfo(ctx.client, def.name);
      const chosen = args.fieldName ? fields.filter((field) => field.name.toLowerCase() === args.fieldName!.toLowerCase()) : fields;
      if (args.fieldName && chosen.length === 0) throw new ToolError(`${def.name} has no field "${args.fieldName}".`);
      return { entity: def.name, fields: chosen.map((field) => describeField(field)) };
    },
  }),

  defineTool({
    name: "autotask_get_api_usage",
    title: "Get API usage",
    description:
      "The tenant's use of its API allowance (10,000 requests per rolling hour, all integrations).",
    toolset: "core",
    category: "query",
    input: z.object({}),
    output: z.object({ threshold: z.number(), timeframeMinutes: z.number(), used: z.number(), percentUsed: z.number(), advice: z.string() }),
    annotations: { readOnly: true },
    async run(_args, ctx) {
      // Read now, and shared: every replica's warnings and fan-out refusals start from this reading.
      const { threshold, timeframeMinutes, used, percentUsed } = await ctx.budget.read();
      const advice =
        percentUsed >= REFUSE_FAN_OUT_PERCENT
          ? `Nearly exhausted: tools that send many requests (sweeps, bulk, all-pages totals) are refused from ${REFUSE_FAN_OUT_PERCENT}%; avoid bulk reads — Autotask refuses every request once the limit is reached.`
          : percentUsed >= WARN_PERCENT
            ? `Above ${WARN_PERCENT}%: results carry a warning; prefer autotask_count and narrow filters. From ${REFUSE_FAN_OUT_PERCENT}% tools that send many requests are refused.`
            : percentUsed >= 50
              ? "Autotask adds latency above about 50% usage: prefer autotask_count and narrow filters."
              : "Plenty of headroom.";
      return { threshold, timeframeMinutes, used, percentUsed, advice };
    },
  }),
];
