/**
 * Projects, their phases and their tasks. Phases and tasks are children of a project: created and
 * updated through Projects/{projectID}/Phases and Projects/{projectID}/Tasks (the original posted tasks
 * to the wrong URL and forgot taskType). Picklist defaults (taskType) come from the tenant; a task's
 * resource gets the role Autotask needs from the resource's own roles.
 */
import type { Row } from "../autotask/client.ts";
import { entity } from "../autotask/entities.ts";
import { compact, f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, day, id, instant, num, picklist, searchTerm, text, udfs } from "./args.ts";
import { createTool, getTool, searchTool, updateTool } from "./crud.ts";
import { checkOrder, todayUtc } from "./dates.ts";
import { ToolError, type Tool } from "./define.ts";
import { present } from "./format.ts";
import { roleForResource } from "./lookups.ts";
import { defaultValue, picklistOf } from "./picklists.ts";


function projectTerm(term: string): Filter {
  const trimmed = term.trim();
  return f.or(f.contains("projectName", trimmed), f.beginsWith("projectNumber", trimmed));
}

function taskTerm(term: string): Filter {
  const trimmed = term.trim();
  return f.or(f.contains("title", trimmed), f.beginsWith("taskNumber", trimmed));
}

/** Autotask needs a role with a task's resource: the resource's default role fills it when not given. */
async function withTaskRole(body: Record<string, unknown>, ctx: ToolContext): Promise<Record<string, unknown>> {
  if (typeof body.assignedResourceID === "number" && body.assignedResourceRoleID === undefined) {
    body.assignedResourceRoleID = await roleForResource(ctx, body.assignedResourceID);
  }
  return body;
}

/** Tasks of a project summed up: how many, by status label, hours estimated and remaining. */
async function taskSummary(ctx: ToolContext, tasks: Row[]) {
  const labels = new Map((await picklistOf(ctx, "Tasks", "status")).map((value) => [value.value, value.label]));
  const byStatus: Record<string, number> = {};
  let estimated = 0;
  let remaining = 0;
  for (const task of tasks) {
    const label = labels.get(String(task.status)) ?? `status ${String(task.status)}`;
    byStatus[label] = (byStatus[label] ?? 0) + 1;
    estimated += Number(task.estimatedHours) || 0;
    remaining += Number(task.remainingHours) || 0;
  }
  const round = (value: number) => Math.round(value * 100) / 100;
  return { total: tasks.length, byStatus, estimatedHours: round(estimated), remainingHours: round(remaining) };
}

const taskFields = {
  description: text().optional(),
  assignedResourceID: id().optional(),
  assignedResourceRoleID: id().optional(),
  estimatedHours: num().optional(),
  taskType: picklist().optional(),
  startDateTime: instant().optional(),
  endDateTime: instant().optional(),
  phaseID: id().optional(),
};

export const projectTools: Tool[] = [
  searchTool({
    name: "autotask_search_projects",
    title: "Search projects",
    description:
      "Finds projects by name, number, company, status or lead; autotask_get_project adds task and phase counts.",
    toolset: "projects",
    category: "projects",
    entity: "Projects",
    args: {
      searchTerm: searchTerm("Or the start of the number").optional(),
      companyID: id().optional(),
      status: picklist().optional(),
      projectLeadResourceID: id().optional(),
    },
    filters: (args) =>
      compact([
        args.searchTerm && projectTerm(args.searchTerm),
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.status !== undefined && f.eq("status", args.status),
        args.projectLeadResourceID !== undefined && f.eq("projectLeadResourceID", args.projectLeadResourceID),
      ]),
  }),

  getTool({
    name: "autotask_get_project",
    title: "Get project",
    description:
      "One project in full, with its tasks summed up (by status, estimated and remaining hours) and its phase count.",
    toolset: "projects",
    category: "projects",
    entity: "Projects",
    idArg: "projectID",
    args: { includePhases: bool("Add the phases with their task counts").optional() },
    async shape(item, args, ctx) {
      const projectID = args.projectID as number;
      const [phases, tasks] = await Promise.all([
        ctx.client.queryAll<Row>("Phases", { filter: [f.eq("projectID", projectID)], includeFields: entity("Phases").summary }, 500),
        ctx.client.queryAll<Row>("Tasks", { filter: [f.eq("projectID", projectID)], includeFields: ["id", "status", "phaseID", "estimatedHours", "remainingHours"] }, 500),
      ]);
      const out: Record<string, unknown> = { ...item, phaseCount: phases.items.length, tasks: await taskSummary(ctx, tasks.items) };
      if (tasks.truncated) out.note = "The project has more than 500 tasks: the task summary covers the first 500.";
      if (args.includePhases) {
        const perPhase = new Map<number, number>();
        for (const task of tasks.items) if (typeof task.phaseID === "number") perPhase.set(task.phaseID, (perPhase.get(task.phaseID) ?? 0) + 1);
        const rows = await present(ctx, "Phases", phases.items);
        out.phases = rows.map((phase) => ({ ...phase, taskCount: perPhase.get(phase.id as number) ?? 0 }));
      }
      return out;
    },
  }),

  createTool({
    name: "autotask_create_project",
    title: "Create project",
    description:
      "Creates a project for a company; Autotask needs endDate (startDate defaults to today).",
    toolset: "projects",
    category: "projects",
    entity: "Projects",
    args: {
      companyID: id(),
      projectName: text(100),
      description: text().optional(),
      status: picklist(),
      startDate: instant().optional(),
      endDate: instant().optional(),
      projectLeadResourceID: id().optional(),
      estimatedHours: num("Stored as estimatedTime").optional(),
      projectType: picklist(),
    },
    build(args) {
      const start = args.startDate ?? todayUtc();
      if (!args.endDate) {
        throw new ToolError(
          `Autotask requires an end date for every project: pass endDate (ISO date on or after ${start.slice(0, 10)}, e.g. the planned go-live). Nothing was created.`,
        );
      }
      checkOrder("startDate", start, "endDate", args.endDate);
      return {
        companyID: args.companyID,
        projectName: args.projectName,
        description: args.description,
        status: args.status,
        projectType: args.projectType,
        startDateTime: start,
        endDateTime: args.endDate,
        projectLeadResourceID: args.projectLeadResourceID,
        estimatedTime: args.estimatedHours,
      };
    },
  }),

  updateTool({
    name: "autotask_update_project",
    title: "Update project",
    description:
      "Changes a project: name, status (Complete closes it), department, lead, dates, estimate, UDFs. People are assigned on its tasks.",
    toolset: "projects",
    category: "meta",
    entity: "Projects",
    idArg: "projectID",
    args: {
      projectName: text(100).optional(),
      description: text().optional(),
      status: picklist().optional(),
      departmentID: picklist("The department picklist", { field: "department" }).optional(),
      // Refused when given, with what to do instead (projects have no assigned resource).
      assignedResourceID: id().optional(),
      assignedResourceRoleID: id().optional(),
      projectLeadResourceID: id().optional(),
      startDateTime: instant().optional(),
      endDateTime: instant().optional(),
      estimatedTime: num("Hours").optional(),
      userDefinedFields: udfs().optional(),
    },
    build(args) {
      const { assignedResourceID, assignedResourceRoleID, departmentID, ...rest } = args;
      if (assignedResourceID !== undefined || assignedResourceRoleID !== undefined) {
        throw new ToolError(
          "Autotask projects have no assigned resource, so assignedResourceID / assignedResourceRoleID cannot be saved. To change who leads the project pass projectLeadResourceID; to give someone work, assign a task with autotask_update_task or autotask_create_task. Nothing was saved.",
        );
      }
      checkOrder("startDateTime", rest.startDateTime, "endDateTime", rest.endDateTime);
      return { ...rest, department: departmentID };
    },
  }),

  searchTool({
    name: "autotask_search_tasks",
    title: "Search project tasks",
    description:
      "Finds project tasks (by project, phase, assignee, status, title or number).",
    toolset: "projects",
    category: "projects",
    entity: "Tasks",
    args: {
      searchTerm: searchTerm("Or the start of the number").optional(),
      projectID: id().optional(),
      status: picklist().optional(),
      assignedResourceID: id().optional(),
      phaseID: id().optional(),
    },
    filters: (args) =>
      compact([
        args.searchTerm && taskTerm(args.searchTerm),
        args.projectID !== undefined && f.eq("projectID", args.projectID),
        args.status !== undefined && f.eq("status", args.status),
        args.assignedResourceID !== undefined && f.eq("assignedResourceID", args.assignedResourceID),
        args.phaseID !== undefined && f.eq("phaseID", args.phaseID),
      ]),
  }),

  createTool({
    name: "autotask_create_task",
    title: "Create project task",
    description:
      "Adds a task to a project; taskType defaults to the tenant's default.",
    toolset: "projects",
    category: "projects",
    entity: "Tasks",
    parentArg: "projectID",
    args: {
      projectID: id(),
      title: text(255),
      status: picklist(),
      ...taskFields,
    },
    async build(args, ctx) {
      checkOrder("startDateTime", args.startDateTime, "endDateTime", args.endDateTime);
      const body: Record<string, unknown> = { ...args };
      body.taskType ??= await defaultValue(ctx, "Tasks", "taskType");
      return withTaskRole(body, ctx);
    },
  }),

  updateTool({
    name: "autotask_update_task",
    title: "Update project task",
    description:
      "Changes a project task: title, status (Complete closes it), assignee, phase, dates, estimate, type.",
    toolset: "projects",
    category: "projects",
    entity: "Tasks",
    idArg: "taskID",
    args: {
      title: text(255).optional(),
      status: picklist().optional(),
      ...taskFields,
    },
    build: (args, ctx) => withTaskRole({ ...args }, ctx),
  }),

  searchTool({
    name: "autotask_list_phases",
    title: "List project phases",
    description: "The phases of one project with dates, estimated hours and parent phase: the source of phaseID.",
    toolset: "projects",
    category: "projects",
    entity: "Phases",
    args: { projectID: id() },
    filters: (args) => [f.eq("projectID", args.projectID)],
  }),

  createTool({
    name: "autotask_create_phase",
    title: "Create project phase",
    description:
      "Adds a phase to a project, optionally under another (parentPhaseID); dueDate not before startDate.",
    toolset: "projects",
    category: "projects",
    entity: "Phases",
    parentArg: "projectID",
    args: {
      projectID: id(),
      title: text(255),
      description: text().optional(),
      startDate: day().optional(),
      dueDate: day().optional(),
      estimatedHours: num().optional(),
      parentPhaseID: id().optional(),
    },
    build(args) {
      checkOrder("startDate", args.startDate, "dueDate", args.dueDate);
      return { ...args };
    },
  }),
];
