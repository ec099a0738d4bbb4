import { describe, expect, test } from "bun:test";
import { compact, countOrConditions, f, filterSchema, OPERATORS } from "../src/autotask/filter.ts";

describe("filter builder", () => {
  test("builds Autotask's filter JSON for every operator", () => {
    expect(f.eq("status", 1)).toEqual({ op: "eq", field: "status", value: 1 });
    expect(f.noteq("status", 5)).toEqual({ op: "noteq", field: "status", value: 5 });
    expect(f.contains("title", "vpn")).toEqual({ op: "contains", field: "title", value: "vpn" });
    expect(f.notExist("assignedResourceID")).toEqual({ op: "notExist", field: "assignedResourceID" });
    expect(f.in("priority", [1, 4])).toEqual({ op: "in", field: "priority", value: [1, 4] });
    expect(f.udf(f.eq("Customer Tier", "Gold"))).toEqual({ op: "eq", field: "Customer Tier", value: "Gold", udf: true });
    expect(f.or(f.in("priority", [1, 4]), f.and(f.contains("title", "VPN"), f.notExist("assignedResourceID")))).toEqual({
      op: "or",
      items: [
        { op: "in", field: "priority", value: [1, 4] },
        { op: "and", items: [{ op: "contains", field: "title", value: "VPN" }, { op: "notExist", field: "assignedResourceID" }] },
      ],
    });
    expect(f.all()).toEqual({ op: "exist", field: "id" });
  });

  test("knows exactly the 15 Autotask operators", () => {
    expect([...OPERATORS].sort() as string[]).toEqual(
      ["and", "beginsWith", "contains", "endsWith", "eq", "exist", "gt", "gte", "in", "lt", "lte", "noteq", "notExist", "notIn", "or"].sort(),
    );
  });

  test("compact drops absent conditions", () => {
    const companyId: number | undefined = undefined;
    expect(compact([f.eq("status", 1), companyId && f.eq("companyID", companyId), false])).toEqual([f.eq("status", 1)]);
  });

  test("counts or-conditions, nested too", () => {
    expect(countOrConditions([f.or(f.eq("a", 1), f.eq("b", 2)), f.and(f.or(f.eq("c", 1), f.eq("d", 1), f.eq("e", 1)))])).toBe(5);
  });
});

describe("filterSchema (what a model may send)", () => {
  test("accepts nested and/or with every operator family", () => {
    const filter = { op: "or", items: [{ op: "in", field: "priority", value: [1, 4] }, { op: "and", items: [{ op: "contains", field: "title", value: "VPN" }, { op: "notExist", field: "assignedResourceID" }] }] };
    expect(filterSchema.parse(filter)).toEqual(filter as never);
  });

  test("refuses the invalid operators the original sent", () => {
    for (const op of ["ne", "equals", "like", "isnull"]) {
      expect(filterSchema.safeParse({ op, field: "status", value: 5 }).success).toBe(false);
    }
    expect(filterSchema.safeParse({ op: "in", field: "status", value: 5 }).success).toBe(false);
    expect(filterSchema.safeParse({ op: "and", items: [] }).success).toBe(false);
  });
});
