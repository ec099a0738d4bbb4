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
