/**
 * Projects, tasks and phases through the real CLI over stdio against the sandbox: filters sent and
 * applied, children written through Projects/{id}/…, tenant defaults, picklist errors, not-found ids.
 */
import { describe, expect, test } from "bun:test";
import { queryFilters, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();


/** A full request path, for assertions on exactly where a request went. */
const api = (path: string) => `/ATServicesRest/V1.0/${path}`;
/** Every condition in a sent filter, flattened out of and/or groups. */
function conditions(filter: unknown): Row[] {
  const walk = (items: Row[]): Row[] => items.flatMap((item) => (item.items ? [item, ...walk(item.items)] : [item]));
  return walk((filter ?? []) as Row[]);
}
const todayUtc = () => `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;

describe("projects", () => {
  test("search applies every filter and shows names and labels", async () => {
    const projects = ctx.store().all("Projects");
    const target = projects.find((p) => p.companyID !== 0)!;
    const term = String(target.projectName).split(" ")[0]!.toLowerCase();
    const result = await ctx.ok("autotask_search_projects", {
      searchTerm: term,
      companyID: target.companyID,
      status: target.status,
      projectLeadResourceID: target.projectLeadResourceID,
    });
    const expected = projects.filter(
      (p) =>
        String(p.projectName).toLowerCase().includes(term) &&
        p.companyID === target.companyID &&
        p.status === target.status &&
        p.projectLeadResourceID === target.projectLeadResourceID,
    );
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((p) => p.id));
    const row = result.items.find((item: Row) => item.id === target.id);
    expect(row.companyName).toBe(ctx.store().get("Companies", target.companyID as number)!.companyName);
    expect(row.statusLabel).toBe(ctx.store().picklist("Projects", "status").find((v) => v.value === String(target.status))!.label);
    const lead = ctx.store().get("Resources", target.projectLeadResourceID as number)!;
    expect(row.projectLeadResourceName).toBe(`${lead.firstName} ${lead.lastName}`);

    const sent = conditions(queryFilters(ctx.requests(), "Projects")[0]);
    expect(sent).toContainEqual({ op: "contains", field: "projectName", value: term });
    expect(sent).toContainEqual({ op: "eq", field: "companyID", value: target.companyID });
    expect(sent).toContainEqual({ op: "eq", field: "status", value: target.status });
    expect(sent).toContainEqual({ op: "eq", field: "projectLeadResourceID", value: target.projectLeadResourceID });
  });

  test("companyId in another casing still filters, and pages report what follows", async () => {
    const companyID = ctx.store().all("Projects")[0]!.companyID as number;
    const result = await ctx.ok("autotask_search_projects", { companyid: companyID });
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.items.every((row: Row) => row.companyID === companyID)).toBe(true);
    const paged = await ctx.ok("autotask_search_projects", { pageSize: 2 });
    expect(paged.items).toHaveLength(2);
    expect(paged.page).toMatchObject({ page: 1, pageSize: 2, hasMore: true, nextPage: 2 });
    const second = await ctx.ok("autotask_search_projects", { pageSize: 2, page: 2 });
    expect(second.items[0].id).toBeGreaterThan(paged.items[1].id);
  });

  test("get_project sums up tasks by status label and lists phases with their task counts", async () => {
    const project = ctx.store().all("Projects")[1]!;
    const tasks = ctx.store().all("Tasks").filter((t) => t.projectID === project.id);
    const phases = ctx.store().all("Phases").filter((p) => p.projectID === project.id);
    const result = await ctx.ok("autotask_get_project", { projectId: project.id, includePhases: true });
    expect(result.item.projectName).toBe(project.projectName);
    expect(result.item.phaseCount).toBe(phases.length);
    expect(result.item.tasks.total).toBe(tasks.length);
    const complete = tasks.filter((t) => t.status === ctx.valueOf("Tasks", "status", "Complete")).length;
    expect(result.item.tasks.byStatus.Complete ?? 0).toBe(complete);
    expect(result.item.phases.map((p: Row) => p.id)).toEqual(phases.map((p) => p.id));
    for (const phase of result.item.phases) expect(phase.taskCount).toBe(tasks.filter((t) => t.phaseID === phase.id).length);
    const plain = await ctx.ok("autotask_get_project", { projectId: project.id });
    expect(plain.item.phases).toBeUndefined();
  });

  test("an unknown project id is a clear error", async () => {
    expect(await ctx.fail("autotask_get_project", { projectId: 999999 })).toContain("Project 999999 was not found");
  });

  test("create_project: startDate defaults to today, estimatedHours becomes estimatedTime", async () => {
    const companyID = ctx.store().all("Projects")[0]!.companyID;
    const status = ctx.valueOf("Projects", "status", "New");
    const projectType = ctx.valueOf("Projects", "projectType", "Client");
    const result = await ctx.ok("autotask_create_project", { companyID, projectName: "Wi-Fi rollout", status, projectType, endDate: "2099-03-31", estimatedHours: 40 });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.path).toBe(api("Projects"));
    expect(post.body).toMatchObject({ companyID, projectName: "Wi-Fi rollout", status, projectType, startDateTime: todayUtc(), endDateTime: "2099-03-31T00:00:00.000Z", estimatedTime: 40 });
    expect(post.body).not.toHaveProperty("estimatedHours");
    expect(result.item).toMatchObject({ projectName: "Wi-Fi rollout", statusLabel: "New", projectTypeLabel: "Client" });
    expect(result.item.projectNumber).toMatch(/^P\d{8}\.\d{4}$/);
    expect(ctx.store().get("Projects", result.id)!.estimatedTime).toBe(40);
  });

  test("create_project: no endDate, a bad status or an end before the start fail before anything is sent", async () => {
    const base = { companyID: ctx.store().all("Projects")[0]!.companyID, projectName: "X", projectType: ctx.valueOf("Projects", "projectType", "Client") };
    const noEnd = await ctx.fail("autotask_create_project", { ...base, status: ctx.valueOf("Projects", "status", "New") });
    expect(noEnd).toContain("endDate");
    const badStatus = await ctx.fail("autotask_create_project", { ...base, status: 99, endDate: "2099-01-01" });
    expect(badStatus).toContain("status 99 is not a valid value");
    for (const value of ctx.store().picklist("Projects", "status").filter((v) => v.isActive)) expect(badStatus).toContain(`${value.value} ${value.label}`);
    const backwards = await ctx.fail("autotask_create_project", { ...base, status: ctx.valueOf("Projects", "status", "New"), startDate: "2099-05-01", endDate: "2099-04-01" });
    expect(backwards).toContain("endDate (2099-04-01T00:00:00.000Z) is before startDate (2099-05-01T00:00:00.000Z)");
    expect(writes(ctx.requests())).toHaveLength(0);
  });

  test("two date-times on one day in the wrong order are told apart by their times", async () => {
    const project = ctx.store().all("Projects")[0]!;
    const text = await ctx.fail("autotask_create_task", { projectID: project.id, title: "Cut over", status: ctx.valueOf("Tasks", "status", "New"), startDateTime: "2026-12-01T14:00:00Z", endDateTime: "2026-12-01T09:30:00+01:00" });
    expect(text).toContain("endDateTime (2026-12-01T08:30:00.000Z) is before startDateTime (2026-12-01T14:00:00.000Z)");
    expect(writes(ctx.requests())).toHaveLength(0);
  });

  test("update_project changes only the given fields; departmentID goes to department", async () => {
    const project = ctx.store().all("Projects").find((p) => p.status !== ctx.valueOf("Projects", "status", "On Hold"))!;
    const department = ctx.store().picklist("Projects", "department").find((v) => v.isActive && Number(v.value) !== project.department)!;
    const result = await ctx.ok("autotask_update_project", { projectId: project.id, status: ctx.valueOf("Projects", "status", "On Hold"), departmentID: Number(department.value) });
    expect(result.updated.sort()).toEqual(["department", "status"]);
    const patch = writes(ctx.requests())[0]!;
    expect(patch.method).toBe("PATCH");
    expect(patch.path).toBe(api("Projects"));
    expect(patch.body).toEqual({ id: project.id, status: ctx.valueOf("Projects", "status", "On Hold"), department: Number(department.value) });
    expect(ctx.store().get("Projects", project.id as number)).toMatchObject({ status: ctx.valueOf("Projects", "status", "On Hold"), department: Number(department.value), projectName: project.projectName });
  });

  test("update_project refuses assignedResourceID (projects have none) instead of dropping it", async () => {
    const project = ctx.store().all("Projects")[0]!;
    const error = await ctx.fail("autotask_update_project", { projectId: project.id, assignedResourceID: project.projectLeadResourceID, projectName: "Renamed" });
    expect(error).toContain("projectLeadResourceID");
    expect(error).toContain("Nothing was saved");
    expect(writes(ctx.requests())).toHaveLength(0);
    expect(ctx.store().get("Projects", project.id as number)!.projectName).toBe(project.projectName);
  });
});

describe("tasks", () => {
  test("search applies every filter", async () => {
    const tasks = ctx.store().all("Tasks");
    const target = tasks[5]!;
    const term = String(target.title).split(" ")[0]!;
    const result = await ctx.ok("autotask_search_tasks", {
      searchTerm: term,
      projectID: target.projectID,
      status: target.status,
      assignedResourceID: target.assignedResourceID,
    });
    const expected = tasks.filter(
      (t) =>
        String(t.title).toLowerCase().includes(term.toLowerCase()) &&
        t.projectID === target.projectID &&
        t.status === target.status &&
        t.assignedResourceID === target.assignedResourceID,
    );
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((t) => t.id));
    expect(result.items[0].projectName).toBe(ctx.store().get("Projects", target.projectID as number)!.projectName);
    expect(result.items[0].statusLabel).toBeDefined();
    const sent = conditions(queryFilters(ctx.requests(), "Tasks")[0]);
    expect(sent).toContainEqual({ op: "contains", field: "title", value: term });
    expect(sent).toContainEqual({ op: "eq", field: "projectID", value: target.projectID });
    expect(sent).toContainEqual({ op: "eq", field: "status", value: target.status });
    expect(sent).toContainEqual({ op: "eq", field: "assignedResourceID", value: target.assignedResourceID });
  });

  test("create_task goes through the project, with the tenant's default taskType and the resource's role", async () => {
    const project = ctx.store().all("Projects")[2]!;
    const tech = ctx.store()
      .all("Resources")
      .find((r) => r.isActive && r.defaultServiceDeskRoleID && r.id !== ctx.store().apiUserResourceId)!;
    const result = await ctx.ok("autotask_create_task", {
      projectID: project.id,
      title: "Configure VLANs",
      status: ctx.valueOf("Tasks", "status", "New"),
      assignedResourceID: tech.id,
      estimatedHours: 3,
    });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.path).toBe(api(`Projects/${project.id}/Tasks`));
    expect(post.body).toMatchObject({
      projectID: project.id,
      title: "Configure VLANs",
      taskType: ctx.defaultOf("Tasks", "taskType"),
      assignedResourceID: tech.id,
      assignedResourceRoleID: tech.defaultServiceDeskRoleID,
    });
    expect(result.item).toMatchObject({ title: "Configure VLANs", assignedResourceName: `${tech.firstName} ${tech.lastName}`, statusLabel: "New" });
    expect(ctx.store().get("Tasks", result.id)!.projectID).toBe(project.id);
  });

  test("create_task: a bad taskType lists the tenant's values; an unknown project is named", async () => {
    const error = await ctx.fail("autotask_create_task", { projectID: ctx.store().all("Projects")[0]!.id, title: "T", status: ctx.valueOf("Tasks", "status", "New"), taskType: 42 });
    expect(error).toContain("taskType 42 is not a valid value");
    for (const value of ctx.store().picklist("Tasks", "taskType").filter((v) => v.isActive)) expect(error).toContain(`${value.value} ${value.label}`);
    expect(writes(ctx.requests())).toHaveLength(0);
    expect(await ctx.fail("autotask_create_task", { projectID: 999999, title: "T", status: ctx.valueOf("Tasks", "status", "New") })).toContain("999999");
  });

  test("update_task patches through the project URL", async () => {
    const task = ctx.store().all("Tasks").find((t) => t.status !== ctx.valueOf("Tasks", "status", "Complete"))!;
    const result = await ctx.ok("autotask_update_task", { taskId: task.id, status: ctx.valueOf("Tasks", "status", "Complete"), title: "Done and dusted" });
    expect(result.updated.sort()).toEqual(["status", "title"]);
    const patch = writes(ctx.requests())[0]!;
    expect(patch.method).toBe("PATCH");
    expect(patch.path).toBe(api(`Projects/${task.projectID}/Tasks`));
    expect(patch.body).toEqual({ id: task.id, status: ctx.valueOf("Tasks", "status", "Complete"), title: "Done and dusted" });
    expect(ctx.store().get("Tasks", task.id as number)!.completedDateTime).toBeTruthy();
    expect(await ctx.fail("autotask_update_task", { taskId: 999999, title: "x" })).toContain("999999");
  });
});

describe("phases", () => {
  test("list_phases returns the project's phases and sends the projectID filter", async () => {
    const project = ctx.store().all("Projects")[3]!;
    const result = await ctx.ok("autotask_list_phases", { projectID: project.id });
    expect(result.items.map((row: Row) => row.id)).toEqual(ctx.store().all("Phases").filter((p) => p.projectID === project.id).map((p) => p.id));
    expect(result.items[0].projectName).toBe(project.projectName);
    expect(conditions(queryFilters(ctx.requests(), "Phases")[0])).toEqual([{ op: "eq", field: "projectID", value: project.id }]);
  });

  test("create_phase posts to Projects/{id}/Phases; a due date before the start is refused", async () => {
    const project = ctx.store().all("Projects")[3]!;
    const result = await ctx.ok("autotask_create_phase", { projectID: project.id, title: "Cutover", startDate: "2099-02-01", dueDate: "2099-02-15", estimatedHours: 12 });
    const post = writes(ctx.requests()).find((r) => r.method === "POST")!;
    expect(post.path).toBe(api(`Projects/${project.id}/Phases`));
    expect(post.body).toMatchObject({ projectID: project.id, title: "Cutover", startDate: "2099-02-01T00:00:00", dueDate: "2099-02-15T00:00:00", estimatedHours: 12 });
    expect(result.item.projectName).toBe(project.projectName);
    const error = await ctx.fail("autotask_create_phase", { projectID: project.id, title: "Backwards", startDate: "2099-02-15", dueDate: "2099-02-01" });
    expect(error).toContain("dueDate");
    expect(writes(ctx.requests())).toHaveLength(0);
  });
});
