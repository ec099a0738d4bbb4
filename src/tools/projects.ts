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

const PROJECT = "Project ID (from autotask_search_projects)";
const RESOURCE = "from autotask_search_resources";
const TASK_STATUS = "Task status value (autotask_list_picklist Tasks status)";
const PROJECT_STATUS = "Project status value (autotask_list_picklist Projects status)";

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
  description: text("Task description").optional(),
  assignedResourceID: id("Resource who does the task", RESOURCE).optional(),
  assignedResourceRoleID: id("Role the resource works in (default: the resource's default role; autotask_search_resources shows roles)").optional(),
  estimatedHours: num("Estimated hours").optional(),
  taskType: picklist("Task type value (autotask_list_picklist Tasks taskType); default: the tenant's default").optional(),
  startDateTime: instant("Planned start").optional(),
  endDateTime: instant("Planned end (on or after the start)").optional(),
  phaseID: id("Phase the task belongs to", "from autotask_list_phases; must be a phase of the same project").optional(),
};

export const projectTools: Tool[] = [
  searchTool({
    name: "autotask_search_projects",
    title: "Search projects",
    description:
      "Finds projects, oldest first, with company, lead, status and type labels, dates, estimated and actual hours. Filters combine with AND. Use autotask_get_project for one project with its phase and task counts.",
    toolset: "projects",
    category: "projects",
    entity: "Projects",
    args: {
      searchTerm: searchTerm("project name, or the start of a project number").optional(),
      companyID: id("Only projects of this company", "from autotask_search_companies").optional(),
      status: picklist(`Only this status: ${PROJECT_STATUS}`).optional(),
      projectLeadResourceID: id("Only projects led by this resource", RESOURCE).optional(),
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
      "One project with every field that has a value (names next to ids, labels next to picklist values), plus a summary of its tasks (count by status, estimated and remaining hours) and its phase count. includePhases: true adds the phases themselves with their task counts.",
    toolset: "projects",
    category: "projects",
    entity: "Projects",
    idArg: "projectId",
    idDescription: PROJECT,
    args: { includePhases: bool("Also list the project's phases (default false)").optional() },
    async shape(item, args, ctx) {
      const projectId = args.projectId as number;
      const [phases, tasks] = await Promise.all([
        ctx.client.queryAll<Row>("Phases", { filter: [f.eq("projectID", projectId)], includeFields: entity("Phases").summary }, 500),
        ctx.client.queryAll<Row>("Tasks", { filter: [f.eq("projectID", projectId)], includeFields: ["id", "status", "phaseID", "estimatedHours", "remainingHours"] }, 500),
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
      "Creates a project for a company. Autotask needs start and end dates: startDate defaults to today, endDate must be given (the call fails naming it otherwise). status and projectType are checked against the tenant's picklists (autotask_list_picklist Projects status / projectType). estimatedHours is stored as the project's estimatedTime. Returns the new project with its number.",
    toolset: "projects",
    category: "projects",
    entity: "Projects",
    args: {
      companyID: id("Company the project is for", "from autotask_search_companies"),
      projectName: text("Project name", 100),
      description: text("Project description").optional(),
      status: picklist(PROJECT_STATUS),
      startDate: instant("Start date (default today)").optional(),
      endDate: instant("End date; required by Autotask (no default)").optional(),
      projectLeadResourceID: id("Project lead", RESOURCE).optional(),
      estimatedHours: num("Estimated hours (Autotask field estimatedTime)").optional(),
      projectType: picklist("Project type value (autotask_list_picklist Projects projectType)"),
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
      "Changes only the given fields of a project: name, description, status (e.g. the tenant's Complete value to close it), department, lead, dates, estimated time, UDFs. Projects have no assigned resource in Autotask: assign people to its tasks instead (autotask_update_task); assignedResourceID / assignedResourceRoleID are refused here with that advice rather than ignored. A project's company cannot be changed.",
    toolset: "projects",
    category: "meta",
    entity: "Projects",
    idArg: "projectId",
    idDescription: PROJECT,
    args: {
      projectName: text("Project name", 100).optional(),
      description: text("Project description").optional(),
      status: picklist(PROJECT_STATUS).optional(),
      departmentID: picklist("Department (autotask_list_picklist Projects department); stored in the project's department field", { field: "department" }).optional(),
      assignedResourceID: id("Not supported: projects have no assigned resource (use projectLeadResourceID, or assign tasks)").optional(),
      assignedResourceRoleID: id("Not supported: projects have no assigned resource role").optional(),
      projectLeadResourceID: id("Project lead", RESOURCE).optional(),
      startDateTime: instant("Start date").optional(),
      endDateTime: instant("End date").optional(),
      estimatedTime: num("Estimated hours").optional(),
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
      "Finds project tasks, oldest first, with project, phase, assignee and status labels, dates and hours. Filters combine with AND; use projectID to list one project's tasks.",
    toolset: "projects",
    category: "projects",
    entity: "Tasks",
    args: {
      searchTerm: searchTerm("task title, or the start of a task number").optional(),
      projectID: id("Only tasks of this project", "from autotask_search_projects").optional(),
      status: picklist(`Only this status: ${TASK_STATUS}`).optional(),
      assignedResourceID: id("Only tasks assigned to this resource", RESOURCE).optional(),
      phaseID: id("Only tasks in this phase", "from autotask_list_phases").optional(),
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
      "Adds a task to a project (created through the project, as Autotask requires). taskType defaults to the tenant's default; with assignedResourceID and no assignedResourceRoleID the resource's default role is used (the call lists the resource's roles when it has several and no default). status is checked against the tenant (autotask_list_picklist Tasks status).",
    toolset: "projects",
    category: "projects",
    entity: "Tasks",
    parentArg: "projectID",
    args: {
      projectID: id("Project the task belongs to", "from autotask_search_projects"),
      title: text("Task title", 255),
      status: picklist(TASK_STATUS),
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
      "Changes only the given fields of a project task: title, description, status (the tenant's Complete value closes it), assignee, phase, dates, estimated hours, type. Assigning a resource without a role uses the resource's default role. Task ids come from autotask_search_tasks.",
    toolset: "projects",
    category: "projects",
    entity: "Tasks",
    idArg: "taskId",
    idDescription: "Task ID (from autotask_search_tasks)",
    args: {
      title: text("Task title", 255).optional(),
      status: picklist(TASK_STATUS).optional(),
      ...taskFields,
    },
    build: (args, ctx) => withTaskRole({ ...args }, ctx),
  }),

  searchTool({
    name: "autotask_list_phases",
    title: "List project phases",
    description: "The phases of one project in id order, with their dates, estimated hours and parent phase. Phase ids are what autotask_create_task and autotask_update_task take as phaseID.",
    toolset: "projects",
    category: "projects",
    entity: "Phases",
    args: { projectID: id("Project ID", "from autotask_search_projects") },
    filters: (args) => [f.eq("projectID", args.projectID)],
  }),

  createTool({
    name: "autotask_create_phase",
    title: "Create project phase",
    description:
      "Adds a phase to a project (created through the project). startDate and dueDate are optional; when both are given the due date must not be before the start. parentPhaseID nests it under another phase of the same project.",
    toolset: "projects",
    category: "projects",
    entity: "Phases",
    parentArg: "projectID",
    args: {
      projectID: id("Project the phase belongs to", "from autotask_search_projects"),
      title: text("Phase title", 255),
      description: text("Phase description").optional(),
      startDate: day("Phase start").optional(),
      dueDate: day("Phase due date").optional(),
      estimatedHours: num("Estimated hours").optional(),
      parentPhaseID: id("Parent phase, for a sub-phase", "from autotask_list_phases").optional(),
    },
    build(args) {
      checkOrder("startDate", args.startDate, "dueDate", args.dueDate);
      return { ...args };
    },
  }),
];
