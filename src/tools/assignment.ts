/**
 * What a time entry takes from the ticket or task it is logged on, instead of a guess.
 *
 * Autotask bills time under the role of the resource's assignment on that ticket or task: the
 * ticket's (or task's) assignedResourceRoleID when the resource is the primary resource, the
 * secondary-resource role otherwise. A resource not assigned at all works under its own default
 * role. Logging under another role is refused or misbilled by Autotask, so a contradicting roleID
 * is refused here with the role that applies. The work type (billingCodeID) and contract come from
 * the parent too when the caller does not name them.
 */
import type { Row } from "../autotask/client.ts";
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { ToolError } from "./define.ts";
import { roleChoices, roleForResource } from "./lookups.ts";

export interface Parent {
  entity: "Tickets" | "Tasks";
  row: Row;
}

const NOUN = { Tickets: "ticket", Tasks: "task" } as const;

/** The ticket or task a time entry is for (one GET), or undefined for regular time. */
export async function loadParent(ctx: ToolContext, target: { ticketID?: number; taskID?: number }): Promise<Parent | undefined> {
  const entity = target.ticketID !== undefined ? "Tickets" : target.taskID !== undefined ? "Tasks" : undefined;
  if (!entity) return undefined;
  const id = (target.ticketID ?? target.taskID)!;
  const row = await ctx.client.get<Row>(entity, id);
  if (!row) {
    const [arg, search] = entity === "Tickets" ? ["ticketID", "autotask_search_tickets"] : ["taskID", "autotask_search_tasks"];
    throw new ToolError(`${arg} ${id}: no such ${NOUN[entity]} (or the API user cannot see it). Find it with ${search}.`);
  }
  return { entity, row };
}

/** The roles the parent assigns this resource, and how it is assigned. */
async function assignedRoles(ctx: ToolContext, parent: Parent, resourceId: number): Promise<{ how: "primary" | "secondary" | "none"; roles: number[] }> {
  const { row } = parent;
  if (row.assignedResourceID === resourceId && typeof row.assignedResourceRoleID === "number") return { how: "primary", roles: [row.assignedResourceRoleID] };
  if (parent.entity !== "Tickets") return { how: "none", roles: [] };
  const { items } = await ctx.client.query<Row>("TicketSecondaryResources", {
    filter: [f.eq("ticketID", row.id), f.eq("resourceID", resourceId)],
    includeFields: ["id", "roleID"],
    maxRecords: 50,
  });
  const roles = [...new Set(items.map((item) => item.roleID as number))];
  return roles.length ? { how: "secondary", roles } : { how: "none", roles: [] };
}

/**
 * The role to log `resourceId`'s time under on `parent`: the assignment's role; for a resource not
 * assigned, `explicit` or the resource's default role. An `explicit` role that contradicts the
 * assignment, or a choice the parent leaves open (several secondary roles), is refused with the
 * roles that apply.
 */
export async function roleOnParent(ctx: ToolContext, parent: Parent, resourceId: number, explicit: number | undefined, argName: string): Promise<number> {
  const { how, roles } = await assignedRoles(ctx, parent, resourceId);
  const where = `${NOUN[parent.entity]} ${String(parent.row.ticketNumber ?? parent.row.taskNumber ?? parent.row.id)}`;
  if (how === "none") return explicit ?? roleForResource(ctx, resourceId, argName);
  if (explicit !== undefined && roles.includes(explicit)) return explicit;
  if (explicit === undefined && roles.length === 1) return roles[0]!;
  const names = await roleChoices(ctx, roles);
  const role = how === "primary" ? "primary resource" : "secondary resource";
  if (explicit !== undefined) {
    throw new ToolError(`${argName} ${explicit} is not the role resource ${resourceId} is assigned under on ${where} (${role} as ${names}); Autotask bills time under the assignment's role. Leave ${argName} out, or pass one of those.`);
  }
  throw new ToolError(`Resource ${resourceId} is a secondary resource on ${where} in several roles (${names}): pass ${argName} to say which.`);
}
