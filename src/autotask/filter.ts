/**
 * Typed Autotask query filters.
 *
 * Autotask knows exactly 15 operators and silently ignores anything else (the original server sent
 * `ne`, so "open tickets" searches returned closed ones). The types below make an invalid operator
 * impossible to write, and `filterSchema` makes it impossible to send from a tool argument.
 */
import { z } from "zod";

export type Scalar = string | number | boolean;

export const COMPARISON_OPS = [
  "eq",
  "noteq",
  "gt",
  "gte",
  "lt",
  "lte",
  "beginsWith",
  "endsWith",
  "contains",
] as const;
export const EXISTENCE_OPS = ["exist", "notExist"] as const;
export const LIST_OPS = ["in", "notIn"] as const;
export const GROUP_OPS = ["and", "or"] as const;
export const OPERATORS = [...COMPARISON_OPS, ...EXISTENCE_OPS, ...LIST_OPS, ...GROUP_OPS] as const;

export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export type ExistenceOp = (typeof EXISTENCE_OPS)[number];
export type ListOp = (typeof LIST_OPS)[number];
export type GroupOp = (typeof GROUP_OPS)[number];
export type Operator = (typeof OPERATORS)[number];

export type Condition =
  | { op: ComparisonOp; field: string; value: Scalar; udf?: boolean }
  | { op: ExistenceOp; field: string; udf?: boolean }
  | { op: ListOp; field: string; value: Scalar[]; udf?: boolean };

export type Group = { op: GroupOp; items: Filter[] };

export type Filter = Condition | Group;

export function isGroup(filter: Filter): filter is Group {
  return filter.op === "and" || filter.op === "or";
}

const compare =
  (op: ComparisonOp) =>
  (field: string, value: Scalar): Condition => ({ op, field, value });

/** Builder: `f.and(f.eq("status", 1), f.or(f.contains("title", "vpn"), f.notExist("assignedResourceID")))`. */
export const f = {
  eq: compare("eq"),
  noteq: compare("noteq"),
  gt: compare("gt"),
  gte: compare("gte"),
  lt: compare("lt"),
  lte: compare("lte"),
  beginsWith: compare("beginsWith"),
  endsWith: compare("endsWith"),
  contains: compare("contains"),
  exist: (field: string): Condition => ({ op: "exist", field }),
  notExist: (field: string): Condition => ({ op: "notExist", field }),
  in: (field: string, value: Scalar[]): Condition => ({ op: "in", field, value }),
  notIn: (field: string, value: Scalar[]): Condition => ({ op: "notIn", field, value }),
  and: (...items: Filter[]): Group => ({ op: "and", items }),
  or: (...items: Filter[]): Group => ({ op: "or", items }),
  /** A condition on a user-defined field: Autotask matches UDFs by their label. */
  udf: (condition: Condition): Condition => ({ ...condition, udf: true }),
  /** Autotask requires at least one filter; this is the idiom for "every row". */
  all: (): Condition => ({ op: "exist", field: "id" }),
};

/** Drops undefined entries so tools can write `[companyId && f.eq("companyID", companyId), …]`. */
export function compact(items: Array<Filter | undefined | false | null | 0 | "">): Filter[] {
  return items.filter((item): item is Filter => Boolean(item));
}

/** Counts conditions joined by `or` (Autotask allows at most 500 per query). */
export function countOrConditions(filters: Filter[]): number {
  let total = 0;
  for (const filter of filters) {
    if (!isGroup(filter)) continue;
    if (filter.op === "or") total += filter.items.length;
    total += countOrConditions(filter.items);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// The same grammar as a zod schema, for tools that accept a filter from a model.
//
// One flat object per condition rather than a union of four shapes: the rules per operator are
// checked below with errors that name the operator, and the JSON Schema a model reads stays short.

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const conditionSchema = z
  .object({
    op: z.enum(OPERATORS),
    field: z.string().min(1).optional().describe("With udf: true, the UDF's label"),
    value: z.union([scalar, z.array(scalar).max(500)]).optional().describe("A list for in/notIn; none for exist/notExist"),
    udf: z.boolean().optional(),
    get items(): z.ZodOptional<z.ZodArray<z.ZodType<Filter>>> {
      return z.array(filterSchema).min(1).optional().describe("For and/or");
    },
  })
  .superRefine((node, ctx) => {
    const problem = (message: string, path: string) => ctx.addIssue({ code: "custom", message, path: [path] });
    const op = node.op;
    if ((GROUP_OPS as readonly string[]).includes(op)) {
      if (!node.items) problem(`"${op}" needs "items": a list of conditions`, "items");
      if (node.field !== undefined || node.value !== undefined) problem(`"${op}" takes only "items", not field/value`, "field");
      return;
    }
    if (node.field === undefined) problem(`"${op}" needs a "field"`, "field");
    if (node.items !== undefined) problem(`"items" belongs to "and"/"or", not "${op}"`, "items");
    if ((EXISTENCE_OPS as readonly string[]).includes(op)) {
      if (node.value !== undefined) problem(`"${op}" takes no value`, "value");
    } else if ((LIST_OPS as readonly string[]).includes(op)) {
      if (!Array.isArray(node.value) || node.value.length === 0) problem(`"${op}" needs "value": a non-empty list`, "value");
    } else if (node.value === undefined || Array.isArray(node.value)) {
      problem(`"${op}" needs "value": one value (a list only with in/notIn)`, "value");
    }
  });

export const filterSchema: z.ZodType<Filter> = conditionSchema as unknown as z.ZodType<Filter>;
