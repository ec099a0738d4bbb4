/**
 * Every argument that stands for an Autotask field is declared as what that field is, so the one
 * rule for its kind applies: picklist arguments resolve labels against a real picklist field, and
 * date arguments use the builder of their field's kind (calendar date vs date-time). A new tool that
 * gets this wrong fails here, before a time entry lands on the wrong day.
 */
import { describe, expect, test } from "bun:test";
import { findEntity, findField } from "../src/autotask/entities.ts";
import { argRef } from "../src/tools/args.ts";
import { allTools } from "../src/tools/index.ts";
import { picklistFieldOf } from "../src/tools/resolve.ts";
import type { z } from "zod";

const tools = allTools();
const argsOf = (tool: (typeof tools)[number]) => Object.entries(tool.input.shape as Record<string, z.ZodType>);

/** Date arguments whose name is not the field's: filters and the original's spellings. */
const DATE_FIELD: Record<string, string> = {
  createdAfter: "createDate",
  createdBefore: "createDate",
  lastActivityAfter: "lastActivityDate",
  dateFrom: "itemDate",
  dateTo: "itemDate",
  postedAfter: "postedDate",
  postedBefore: "postedDate",
  approvedAfter: "approvalDateTime",
  approvedBefore: "approvalDateTime",
  weekEndingDate: "weekEnding",
  invoiceDateAfter: "invoiceDateTime",
  invoiceDateBefore: "invoiceDateTime",
  startAfter: "startDateTime",
  startBefore: "startDateTime",
  endDateFrom: "endDate",
  endDateTo: "endDate",
  // The day a contract's unit rows must cover (their startDate..endDate).
  activeOn: "startDate",
  "autotask_create_project.startDate": "startDateTime",
  "autotask_create_project.endDate": "endDateTime",
  "autotask_search_service_calls.startDate": "startDateTime",
  "autotask_search_service_calls.endDate": "startDateTime",
};

describe("argument kinds follow the entity table", () => {
  test("every picklist argument resolves labels against a picklist field of its entity", () => {
    const unresolved: string[] = [];
    for (const tool of tools)
      for (const [name, schema] of argsOf(tool)) if (argRef(schema)?.kind === "picklist" && !picklistFieldOf(tool, name)) unresolved.push(`${tool.name}.${name}`);
    expect(unresolved).toEqual([]);
  });

  test("every date argument has its field's kind: calendar date or date-time", () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const tool of tools)
      for (const [name, schema] of argsOf(tool)) {
        const kind = argRef(schema)?.kind;
        if (kind !== "date" && kind !== "datetime") continue;
        const def = findEntity(tool.entity ?? "");
        const fieldName = DATE_FIELD[`${tool.name}.${name}`] ?? DATE_FIELD[name] ?? name.replace(/(After|Before)$/, "");
        const field = def && findField(def, fieldName);
        if (!field) wrong.push(`${tool.name}.${name}: no date field "${fieldName}" on ${tool.entity ?? "(no entity)"}`);
        else if (field.type !== kind) wrong.push(`${tool.name}.${name}: ${def!.name}.${field.name} is a ${field.type}, the argument a ${kind}`);
        checked++;
      }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });
});
