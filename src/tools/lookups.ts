/**
 * Lookups several tools need before they write: who the API user is, which role a resource works
 * in, which resource a name means. Each answers from Autotask (cached per tenant where stable) and
 * fails with the choices a model needs to ask the user or try again.
 */
import type { Row } from "../autotask/client.ts";
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { ToolError } from "./define.ts";
import { present } from "./format.ts";

/** The API user's own resource id (default owner of notes and time entries). */
export function apiUserResourceId(ctx: ToolContext): Promise<number | undefined> {
  return ctx.cache.memo("api-user-resource", async () => {
    const { items } = await ctx.client.query<Row>("Resources", {
      filter: [f.or(f.eq("userName", ctx.client.username), f.eq("email", ctx.client.username))],
      includeFields: ["id"],
      maxRecords: 1,
    });
    return items[0]?.id;
  });
}

/**
 * The role to use with a resource where Autotask needs one (a ticket's assignedResourceRoleID,
 * a time entry's roleID): the resource's default service desk role, else its only active role.
 * With several roles and no default, the error lists them so the caller can choose.
 */
export async function roleForResource(ctx: ToolContext, resourceId: number, argName = "assignedResourceRoleID"): Promise<number> {
  const resource = await ctx.client.get<Row>("Resources", resourceId);
  if (!resource) throw new ToolError(`Resource ${resourceId} was not found. Find resources with autotask_search_resources.`);
  if (typeof resource.defaultServiceDeskRoleID === "number") return resource.defaultServiceDeskRoleID;
  const { items } = await ctx.client.query<Row>("ResourceRoles", { filter: [f.eq("resourceID", resourceId), f.eq("isActive", true)] });
  const roleIds = [...new Set(items.map((row) => row.roleID as number))];
  if (roleIds.length === 1) return roleIds[0]!;
  if (roleIds.length === 0) throw new ToolError(`Resource ${resourceId} has no active roles; Autotask needs a role for this. Ask an admin to give the resource a role.`);
  const roles = await present(ctx, "ResourceRoles", items);
  const choices = roles.map((role) => `${role.roleID} ${role.roleName ?? ""}`.trim()).join(", ");
  throw new ToolError(`Resource ${resourceId} works in several roles and has no default: pass ${argName} (one of: ${choices}).`);
}

/** Finds exactly one active resource by name ("Ada Lovelace", "ada", an email or user name). */
export async function resourceByName(ctx: ToolContext, name: string): Promise<number> {
  const words = name.trim().split(/\s+/);
  const filter =
    words.length >= 2
      ? [f.and(f.beginsWith("firstName", words[0]!), f.beginsWith("lastName", words.slice(1).join(" ")))]
      : [f.or(f.beginsWith("firstName", name), f.beginsWith("lastName", name), f.eq("email", name), f.eq("userName", name))];
  const { items } = await ctx.client.query<Row>("Resources", { filter: [...filter, f.eq("isActive", true)], includeFields: ["id", "firstName", "lastName"], maxRecords: 10 });
  if (items.length === 1) return items[0]!.id;
  if (items.length === 0) throw new ToolError(`No active resource matches "${name}". Find resources with autotask_search_resources.`);
  const choices = items.map((row) => `${row.id} ${row.firstName} ${row.lastName}`).join(", ");
  throw new ToolError(`"${name}" matches several resources: ${choices}. Pass resourceID instead.`);
}
