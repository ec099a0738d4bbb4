/** Time entry tools against the sandbox: what the user sees and what reached Autotask. */
import { beforeAll, describe, expect, test } from "bun:test";
import type { RequestLogEntry } from "../../src/sandbox/index.ts";
import { startSandbox } from "../../src/sandbox/index.ts";
import { connectStdio, queryFilters, sandboxEnv, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();
let entries: Row[];

beforeAll(() => {
  entries = ctx.store().all("TimeEntries");
});

/** Full request paths, for assertions on exactly where a request went. */
const V1 = "/ATServicesRest/V1.0";
/** The filter of the last query POSTed to an entity (there must be one). */
function lastFilter(requests: RequestLogEntry[], entity: string): Row[] {
  const all = queryFilters(requests, entity);
  expect(all.length).toBeGreaterThan(0);
  return all.at(-1) as Row[];
}
const sum = (rows: Row[]) => Math.round(rows.reduce((total, row) => total + Number(row.hoursWorked), 0) * 100) / 100;

describe("autotask_search_time_entries", () => {
  test("ticketId: only that ticket's entries, with resource, ticket and role names and the hours total", async () => {
    const ticketId = entries.find((e) => e.ticketID && entries.filter((x) => x.ticketID === e.ticketID).length >= 2)!.ticketID;
    const expected = entries.filter((e) => e.ticketID === ticketId);
    const result = await ctx.ok("autotask_search_time_entries", { ticketId });
    expect(lastFilter(ctx.requests(), "TimeEntries")).toEqual([{ op: "eq", field: "ticketID", value: ticketId }]);
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((e) => e.id));
    for (const row of result.items) {
      expect(row.ticketID).toBe(ticketId);
      expect(row.ticketName).toContain(ctx.store().get("Tickets", ticketId)!.ticketNumber);
      const resource = ctx.store().get("Resources", row.resourceID)!;
      expect(row.resourceName).toBe(`${resource.firstName} ${resource.lastName}`);
      expect(row.roleName).toBeString();
    }
    expect(result.totalHours).toBe(sum(expected));
    expect(result.totalHoursAllPages).toBe(sum(expected));
  });

  test("resourceId + dates + billable + approved: every filter is sent and applied", async () => {
    const resourceId = entries.find((e) => e.ticketID)!.resourceID;
    const worked = entries.filter((e) => e.resourceID === resourceId).map((e) => e.dateWorked.slice(0, 10)).sort();
    const after = worked[0]!;
    const before = worked.at(-1)!;
    const expected = entries.filter(
      (e) => e.resourceID === resourceId && e.dateWorked.slice(0, 10) >= after && e.dateWorked.slice(0, 10) <= before && !e.isNonBillable && e.billingApprovalDateTime,
    );
    expect(expected.length).toBeGreaterThan(0);
    const result = await ctx.ok("autotask_search_time_entries", {
      resourceId,
      dateWorkedAfter: after,
      dateWorkedBefore: before,
      billable: true,
      approvalStatus: "approved",
      pageSize: 500,
    });
    const filter = lastFilter(ctx.requests(), "TimeEntries");
    expect(filter).toContainEqual({ op: "eq", field: "resourceID", value: resourceId });
    // dateWorked is a calendar date: bounded by the days themselves, both included
    expect(filter).toContainEqual({ op: "gte", field: "dateWorked", value: `${after}T00:00:00` });
    expect(filter).toContainEqual({ op: "lte", field: "dateWorked", value: `${before}T00:00:00` });
    expect(filter).toContainEqual({ op: "eq", field: "isNonBillable", value: false });
    expect(filter).toContainEqual({ op: "exist", field: "billingApprovalDateTime" });
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((e) => e.id));
    expect(result.totalHours).toBe(sum(expected));
  });

  test("unapproved + non-billable", async () => {
    const expected = entries.filter((e) => !e.billingApprovalDateTime && e.isNonBillable);
    const result = await ctx.ok("autotask_search_time_entries", { approvalStatus: "unapproved", billable: false, pageSize: 500 });
    const filter = lastFilter(ctx.requests(), "TimeEntries");
    expect(filter).toContainEqual({ op: "notExist", field: "billingApprovalDateTime" });
    expect(filter).toContainEqual({ op: "eq", field: "isNonBillable", value: true });
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((e) => e.id));
  });

  test("projectId is resolved to the project's tasks and tickets; taskId narrows to one task", async () => {
    const tasks = ctx.store().all("Tasks");
    const withTime = tasks.find((t) => entries.some((e) => e.taskID === t.id))!;
    const projectId = withTime.projectID;
    const taskIds = tasks.filter((t) => t.projectID === projectId).map((t) => t.id);
    const ticketIds = ctx.store().all("Tickets").filter((t) => t.projectID === projectId).map((t) => t.id);
    const expected = entries.filter((e) => taskIds.includes(e.taskID) || ticketIds.includes(e.ticketID));
    const result = await ctx.ok("autotask_search_time_entries", { projectId, pageSize: 500 });
    const requests = ctx.requests();
    expect(queryFilters(requests, "Tasks")).toContainEqual([{ op: "eq", field: "projectID", value: projectId }]);
    expect(queryFilters(requests, "Tickets")).toContainEqual([{ op: "eq", field: "projectID", value: projectId }]);
    const sent = JSON.stringify(lastFilter(requests, "TimeEntries"));
    expect(sent).toContain(JSON.stringify({ op: "in", field: "taskID", value: taskIds }));
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((e) => e.id));
    expect(result.items.some((row: Row) => row.taskName === withTime.title)).toBe(true);

    const one = await ctx.ok("autotask_search_time_entries", { taskId: withTime.id });
    expect(lastFilter(ctx.requests(), "TimeEntries")).toEqual([{ op: "eq", field: "taskID", value: withTime.id }]);
    expect(one.items.every((row: Row) => row.taskID === withTime.id)).toBe(true);
    expect(one.items.length).toBe(entries.filter((e) => e.taskID === withTime.id).length);
  });

  test("paging: page 2 says where to go next and still totals every match", async () => {
    const resourceId = entries[0]!.resourceID;
    const all = entries.filter((e) => e.resourceID === resourceId);
    expect(all.length).toBeGreaterThan(10);
    const result = await ctx.ok("autotask_search_time_entries", { resourceId, page: 2, pageSize: 5 });
    expect(result.items.map((row: Row) => row.id)).toEqual(all.slice(5, 10).map((e) => e.id));
    expect(result.page).toMatchObject({ page: 2, pageSize: 5, returned: 5, hasMore: true, nextPage: 3 });
    expect(result.totalHours).toBe(sum(all.slice(5, 10)));
    expect(result.totalHoursAllPages).toBe(sum(all));
  });

  test("a project without tasks or tickets returns nothing without querying time entries", async () => {
    const result = await ctx.ok("autotask_search_time_entries", { projectId: 987654 });
    expect(result.items).toEqual([]);
    expect(result.hint).toContain("987654");
    expect(ctx.requests().some((r) => r.path.startsWith(`${V1}/TimeEntries`))).toBe(false);
  });
});

describe("autotask_create_time_entry", () => {
  test("ticket time with defaults: API user's resource and role, work type by name, end computed from start", async () => {
    const ticketId = entries.find((e) => e.ticketID)!.ticketID;
    const result = await ctx.ok("autotask_create_time_entry", {
      ticketID: ticketId,
      dateWorked: "2026-11-20",
      startDateTime: "2026-11-20T09:00:00Z",
      hoursWorked: 1.5,
      summaryNotes: "Replaced the failing switch",
      category: "onsite support",
    });
    const post = writes(ctx.requests());
    expect(post.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${V1}/TimeEntries`]);
    const apiUser = ctx.store().apiUserResourceId;
    const onsite = ctx.store().all("BillingCodes").find((c) => c.name === "Onsite Support")!;
    expect(post[0]!.body).toMatchObject({
      ticketID: ticketId,
      resourceID: apiUser,
      roleID: ctx.store().get("Resources", apiUser)!.defaultServiceDeskRoleID,
      billingCodeID: onsite.id,
      dateWorked: "2026-11-20T00:00:00",
      startDateTime: "2026-11-20T09:00:00.000Z",
      endDateTime: "2026-11-20T10:30:00.000Z",
      hoursWorked: 1.5,
    });
    expect(result.item).toMatchObject({ id: result.id, resourceName: "API User", billingCodeName: "Onsite Support", hoursWorked: 1.5 });
    expect(ctx.store().get("TimeEntries", result.id)).toMatchObject({ ticketID: ticketId, summaryNotes: "Replaced the failing switch" });
  });

  test("regular time: category names an internal billing code; resourceName picks the resource", async () => {
    const aisha = ctx.store().all("Resources").find((r) => r.firstName === "Aisha")!;
    const result = await ctx.ok("autotask_create_time_entry", {
      resourceName: "Aisha Rahman",
      category: "training",
      dateWorked: "2026-11-21",
      hoursWorked: 2,
      summaryNotes: "Intune course",
      internalNotes: "Module 3",
    });
    const body = writes(ctx.requests())[0]!.body as Row;
    const training = ctx.store().all("BillingCodes").find((c) => c.name === "Training")!;
    expect(body).toMatchObject({ resourceID: aisha.id, internalBillingCodeID: training.id, internalNotes: "Module 3" });
    expect(body.ticketID).toBeUndefined();
    expect(body.billingCodeID).toBeUndefined();
    expect(result.item.resourceName).toBe("Aisha Rahman");
  });

  test("task time with its project checked", async () => {
    const task = ctx.store().all("Tasks")[0]!;
    const result = await ctx.ok("autotask_create_time_entry", {
      projectID: task.projectID,
      taskID: task.id,
      resourceID: task.assignedResourceID ?? ctx.store().apiUserResourceId,
      dateWorked: "2026-11-22",
      startDateTime: "2026-11-22T13:00:00Z",
      endDateTime: "2026-11-22T15:30:00Z",
      hoursWorked: 2.5,
      summaryNotes: "Imaged devices",
    });
    expect(writes(ctx.requests())[0]!.body).toMatchObject({ taskID: task.id, hoursWorked: 2.5, endDateTime: "2026-11-22T15:30:00.000Z" });
    expect(result.item.taskName).toBe(task.title);
  });

  test("refuses contradictions and vague targets with the choices, sending nothing", async () => {
    const base = { dateWorked: "2026-11-20", hoursWorked: 1, summaryNotes: "x" };
    const ticketId = entries.find((e) => e.ticketID)!.ticketID;
    expect(await ctx.fail("autotask_create_time_entry", { ...base, ticketID: ticketId, startDateTime: "2026-11-20T09:00:00Z", endDateTime: "2026-11-20T11:00:00Z" })).toContain(
      "disagrees",
    );
    expect(await ctx.fail("autotask_create_time_entry", base)).toMatch(/ticketID.*taskID.*category.*"Internal Admin".*"Training"/);
    expect(await ctx.fail("autotask_create_time_entry", { ...base, ticketID: ticketId, taskID: 1 })).toContain("not both");
    expect(await ctx.fail("autotask_create_time_entry", { ...base, ticketID: ticketId, category: "support" })).toMatch(
      /several work types.*"Remote Support".*"Onsite Support".*"After Hours Support"/,
    );
    expect(await ctx.fail("autotask_create_time_entry", { ...base, category: "Holiday" })).toMatch(/not one of.*"Internal Admin"/);
    const project = ctx.store().all("Projects")[0]!;
    const task = ctx.store().all("Tasks").find((t) => t.projectID === project.id)!;
    expect(await ctx.fail("autotask_create_time_entry", { ...base, projectID: project.id })).toContain(`${task.id} "${task.title}"`);
    const otherTask = ctx.store().all("Tasks").find((t) => t.projectID !== project.id)!;
    expect(await ctx.fail("autotask_create_time_entry", { ...base, projectID: project.id, taskID: otherTask.id })).toContain(`belongs to project ${otherTask.projectID}`);
    expect(await ctx.fail("autotask_create_time_entry", { ...base, ticketID: ticketId, hoursWorked: 25 })).toContain("at most 24");
    expect(writes(ctx.requests())).toEqual([]);
  });

  test("an unknown ticket is reported with the field, before anything is created", async () => {
    const text = await ctx.fail("autotask_create_time_entry", { dateWorked: "2026-11-20", hoursWorked: 1, summaryNotes: "x", ticketID: 99999999 });
    expect(text).toContain("99999999");
    expect(text).toContain("ticketID");
    expect(writes(ctx.requests())).toHaveLength(0);
  });
});

describe("acting as a person (AUTOTASK_IMPERSONATION_RESOURCE_ID)", () => {
  test("a time entry, a company note and a company default to that person, not to the API user", async () => {
    const sandbox = await startSandbox();
    const tech = sandbox.store().all("Resources").find((r) => r.isActive && r.id !== sandbox.store().apiUserResourceId && r.defaultServiceDeskRoleID)!;
    const session = await connectStdio({ env: { ...sandboxEnv(sandbox), AUTOTASK_IMPERSONATION_RESOURCE_ID: String(tech.id) } });
    try {
      const ticketId = sandbox.store().all("TimeEntries").find((e) => e.ticketID)!.ticketID;
      const companyId = Number(sandbox.store().all("Companies")[0]!.id);
      const before = sandbox.requests.length;
      await session.ok("autotask_create_time_entry", { ticketID: ticketId, dateWorked: "2026-11-20", hoursWorked: 1, summaryNotes: "As the tech" });
      await session.ok("autotask_create_company_note", { companyId, description: "As the tech" });
      await session.ok("autotask_create_company", { companyName: "Made by the tech", companyType: 1, phone: "555-0199" });
      const made = writes(sandbox.requests.slice(before));
      expect(made.map((request) => request.impersonationResourceId)).toEqual([String(tech.id), String(tech.id), String(tech.id)]);
      const bodies = made.map((request) => request.body as Row);
      expect(bodies[0]).toMatchObject({ resourceID: tech.id, roleID: tech.defaultServiceDeskRoleID });
      expect(bodies[1]).toMatchObject({ assignedResourceID: tech.id });
      expect(bodies[2]).toMatchObject({ ownerResourceID: tech.id });
    } finally {
      await session.close();
      await sandbox.stop();
    }
  }, 30_000);
});

describe("autotask_update_time_entry / autotask_delete_time_entry", () => {
  let entryId: number;
  beforeAll(async () => {
    const ticketId = entries.find((e) => e.ticketID)!.ticketID;
    const created = await ctx.ok("autotask_create_time_entry", {
      ticketID: ticketId,
      dateWorked: "2026-11-23",
      startDateTime: "2026-11-23T08:00:00Z",
      hoursWorked: 1,
      summaryNotes: "Initial",
    });
    entryId = created.id;
  });

  test("changing hoursWorked alone moves the end time (PATCH with only the changes)", async () => {
    const result = await ctx.ok("autotask_update_time_entry", { timeEntryId: entryId, hoursWorked: 2, summaryNotes: "Longer than planned" });
    const patch = writes(ctx.requests());
    expect(patch.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH ${V1}/TimeEntries`]);
    expect(patch[0]!.body).toEqual({ id: entryId, hoursWorked: 2, endDateTime: "2026-11-23T10:00:00.000Z", summaryNotes: "Longer than planned" });
    expect(result.updated).toEqual(expect.arrayContaining(["hoursWorked", "endDateTime", "summaryNotes"]));
    expect(result.item).toMatchObject({ hoursWorked: 2, resourceName: "API User" });
    expect(ctx.store().get("TimeEntries", entryId)).toMatchObject({ hoursWorked: 2, endDateTime: "2026-11-23T10:00:00.000Z" });
  });

  test("changing the times recomputes hoursWorked; contradictions and unknown ids fail", async () => {
    await ctx.ok("autotask_update_time_entry", { timeEntryId: entryId, endDateTime: "2026-11-23T08:45:00Z" });
    expect(writes(ctx.requests())[0]!.body).toEqual({ id: entryId, endDateTime: "2026-11-23T08:45:00.000Z", hoursWorked: 0.75 });
    expect(
      await ctx.fail("autotask_update_time_entry", { timeEntryId: entryId, hoursWorked: 3, startDateTime: "2026-11-23T08:00:00Z", endDateTime: "2026-11-23T09:00:00Z" }),
    ).toContain("disagrees");
    expect(await ctx.fail("autotask_update_time_entry", { timeEntryId: entryId })).toContain("Nothing to update");
    expect(await ctx.fail("autotask_update_time_entry", { timeEntryId: 99999999, hoursWorked: 1 })).toContain("99999999 was not found");
    expect(writes(ctx.requests())).toEqual([]);
  });

  test("delete needs confirm: true, then sends DELETE /TimeEntries/{id}", async () => {
    expect(await ctx.fail("autotask_delete_time_entry", { timeEntryId: entryId })).toContain("confirm: true");
    expect(writes(ctx.requests())).toEqual([]);
    const result = await ctx.ok("autotask_delete_time_entry", { timeEntryId: entryId, confirm: true });
    expect(result).toMatchObject({ id: entryId, deleted: true });
    expect(writes(ctx.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE ${V1}/TimeEntries/${entryId}`]);
    expect(ctx.store().get("TimeEntries", entryId)).toBeUndefined();
    expect(await ctx.fail("autotask_delete_time_entry", { timeEntryId: entryId, confirm: true })).toContain(String(entryId));
  });
});
