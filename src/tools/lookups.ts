/**
 * Lookups several tools need before they write: who the API user is, which role a resource works
 * in, which resource a name means. Each answers from Autotask (cached per tenant where stable) and
 * fails with the choices a model needs to ask the user or try again.
 */
import type { Row } from "../autotask/client.ts";
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { ToolError } from "./define.ts";
import { exactMatches, personFilter, RESOURCE_NAME } from "./people.ts";

/**
 * The resource the caller acts as: the default owner of notes, time entries and companies. That is
 * the impersonated person when the credentials name one (hosted mode: the signed-in person;
 * AUTOTASK_IMPERSONATION_RESOURCE_ID), else the API user's own resource (undefined when it has none).
 */
export function actingResourceId(ctx: ToolContext): Promise<number | undefined> {
  const acting = ctx.client.impersonationResourceId;
  if (acting) return Promise.resolve(acting);
  return ctx.cache.memo("api-user-resource", async () => {
    const { items } = await ctx.client.query<Row>("Resources", {
      filter: [f.or(f.eq("userName", ctx.client.username), f.eq("email", ctx.client.username))],
      includeFields: ["id"],
      maxRecords: 1,
    });
    return items[0]?.id;
  });
}

/** The roles a resource works in now (active ResourceRoles rows), each role id once. */
export async function activeRoles(ctx: ToolContext, resourceId: number): Promise<number[]> {
  const { items } = await ctx.client.query<Row>("ResourceRoles", { filter: [f.eq("resourceID", resourceId), f.eq("isActive", true)], includeFields: ["id", "roleID"], maxRecords: 100 });
  return [...new Set(items.map((row) => row.roleID as number))];
}

/** Role ids with their names, as a choice list in an error: "29683461 Technician, 29683462 Engineer" ("none" when empty). */
export async function roleChoices(ctx: ToolContext, roleIds: number[]): Promise<string> {
  const names = await ctx.cache.namesFor(ctx.client, "Roles", roleIds);
  return roleIds.map((id) => `${id}${names.get(id) ? ` ${names.get(id)}` : ""}`).join(", ") || "none";
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
  const roleIds = await activeRoles(ctx, resourceId);
  if (roleIds.length === 1) return roleIds[0]!;
  if (roleIds.length === 0) throw new ToolError(`Resource ${resourceId} has no active roles; Autotask needs a role for this. Ask an admin to give the resource a role.`);
  throw new ToolError(`Resource ${resourceId} works in several roles and has no default: pass ${argName} (one of: ${await roleChoices(ctx, roleIds)}).`);
}

/**
 * A role by its name among the resource's active roles (`roleName: "Engineer"`), for callers that
 * know the role by name rather than id: an exact name first, else the one name containing it.
 * Unknown or ambiguous names list the resource's roles.
 */
export async function roleByName(ctx: ToolContext, resourceId: number, roleName: string, argName = "roleName"): Promise<number> {
  const roleIds = await activeRoles(ctx, resourceId);
  const names = await ctx.cache.namesFor(ctx.client, "Roles", roleIds);
  const wanted = roleName.trim().toLowerCase();
  const nameOf = (id: number) => String(names.get(id) ?? "").toLowerCase();
  const exact = roleIds.filter((id) => nameOf(id) === wanted);
  const matches = exact.length ? exact : roleIds.filter((id) => nameOf(id).includes(wanted));
  if (matches.length === 1) return matches[0]!;
  throw new ToolError(
    `${argName}: "${roleName}" ${matches.length ? "matches several" : "is not one"} of resource ${resourceId}'s roles (${await roleChoices(ctx, roleIds)}).`,
  );
}

/**
 * The role a caller names by id, by name (roleByName) or both, which must then be the same role;
 * undefined when neither is given. `args` are the two arguments' names as the tool spells them,
 * for the errors.
 */
export async function namedRole(
  ctx: ToolContext,
  resourceId: number,
  roleId: number | undefined,
  roleName: string | undefined,
  args: { id: string; name: string } = { id: "roleID", name: "roleName" },
): Promise<number | undefined> {
  if (roleName === undefined) return roleId;
  const byName = await roleByName(ctx, resourceId, roleName, args.name);
  if (roleId !== undefined && roleId !== byName) {
    throw new ToolError(`${args.id} ${roleId} and ${args.name} "${roleName}" (role ${byName}) name different roles; pass one of them. Nothing was sent.`);
  }
  return byName;
}

/**
 * Finds exactly one resource by what people call them: "Ada Lovelace", "Lovelace, Ada", "Mary Ann
 * O'Neil", an email or user name (people.ts tries every split in one request). An exact name or
 * handle wins over partial matches, and active resources over inactive ones; a person named exactly
 * is found even when inactive, and the error says so instead of "no match".
 */
export async function resourceByName(ctx: ToolContext, name: string, argName = "resourceName"): Promise<number> {
  const { items } = await ctx.client.query<Row>("Resources", {
    filter: [personFilter(name, RESOURCE_NAME)],
    includeFields: ["id", "firstName", "lastName", "email", "userName", "isActive"],
    maxRecords: 25,
  });
  const candidates = exactMatches(name, items, RESOURCE_NAME);
  const active = candidates.filter((row) => row.isActive !== false);
  const label = (row: Row) => `${row.id} ${row.firstName} ${row.lastName}${row.isActive === false ? " (inactive)" : ""}`;
  if (active.length === 1) return active[0]!.id;
  if (candidates.length === 0) throw new ToolError(`${argName}: no resource matches "${name}". Find resources with autotask_search_resources.`);
  if (active.length === 0) {
    throw new ToolError(`${argName}: "${name}" is ${candidates.length === 1 ? "an inactive resource" : "only inactive resources"} (${candidates.map(label).join(", ")}); inactive resources cannot be used here.`);
  }
  throw new ToolError(`${argName}: "${name}" matches several resources: ${active.map(label).join(", ")}. Pass the full name or resourceID instead.`);
}
