/**
 * Who works on a ticket besides its primary resource, and in which roles people work.
 *
 * ResourceRoles (read-only in Autotask) are the roles a resource may work under; every …RoleID
 * must be one of them. TicketSecondaryResources are the extra technicians on a ticket, each under
 * one of its roles: created and deleted through Tickets/{id}/SecondaryResources, never updated
 * (to change one, delete it and add it again). Left out, the role is the resource's default, as
 * for a ticket's primary resource (lookups.ts roleForResource).
 */
import { compact, f } from "../autotask/filter.ts";
import { bool, id, text, ticketId } from "./args.ts";
import { createTool, deleteTool, searchTool } from "./crud.ts";
import { ToolError, type Tool } from "./define.ts";
import { namedRole, resourceByName, roleForResource } from "./lookups.ts";

const SECONDARY = "TicketSecondaryResources";

export const ticketResourceTools: Tool[] = [
  searchTool({
    name: "autotask_search_resource_roles",
    title: "Search resource roles",
    description:
      "Roles resources work in (…RoleID values), by resourceID, resourceName or roleID; active only unless includeInactive.",
    toolset: "resources",
    category: "resources",
    entity: "ResourceRoles",
    args: {
      resourceID: id().optional(),
      resourceName: text().optional(),
      roleID: id().optional(),
      isActive: bool().optional(),
      includeInactive: bool().optional(),
    },
    async filters(args, ctx) {
      const named = args.resourceName === undefined ? undefined : await resourceByName(ctx, args.resourceName);
      if (named !== undefined && args.resourceID !== undefined && named !== args.resourceID) {
        throw new ToolError(`resourceID ${args.resourceID} and resourceName "${args.resourceName}" (resource ${named}) name different resources: pass one of them.`);
      }
      const resourceID = args.resourceID ?? named;
      const active = args.isActive ?? (args.includeInactive ? undefined : true);
      return compact([
        resourceID !== undefined && f.eq("resourceID", resourceID),
        args.roleID !== undefined && f.eq("roleID", args.roleID),
        active !== undefined && f.eq("isActive", active),
      ]);
    },
  }),

  searchTool({
    name: "autotask_search_ticket_secondary_resources",
    title: "Search ticket secondary resources",
    description:
      "Extra technicians on tickets, with their roles, by ticket and/or resource.",
    toolset: "tickets",
    category: "tickets",
    entity: SECONDARY,
    args: {
      ticketID: ticketId().optional(),
      resourceID: id().optional(),
    },
    filters: (args) =>
      compact([args.ticketID !== undefined && f.eq("ticketID", args.ticketID), args.resourceID !== undefined && f.eq("resourceID", args.resourceID)]),
  }),

  createTool({
    name: "autotask_create_ticket_secondary_resource",
    title: "Add ticket secondary resource",
    description:
      "Adds an extra technician to a ticket, under roleID or roleName (one of its roles; default: its default).",
    toolset: "tickets",
    category: "tickets",
    entity: SECONDARY,
    parentArg: "ticketID",
    args: {
      ticketID: ticketId(),
      resourceID: id(),
      roleID: id().optional(),
      roleName: text().optional(),
    },
    async build(args, ctx) {
      // roleID, or roleName among its active roles, else its default role.
      const roleID = (await namedRole(ctx, args.resourceID, args.roleID, args.roleName)) ?? (await roleForResource(ctx, args.resourceID, "roleID"));
      return { resourceID: args.resourceID, roleID };
    },
  }),

  deleteTool({
    name: "autotask_delete_ticket_secondary_resource",
    title: "Remove ticket secondary resource",
    description:
      "Removes an extra technician from a ticket; secondaryResourceID is the row's id from the search, not the resource's.",
    toolset: "tickets",
    category: "tickets",
    entity: SECONDARY,
    parentArg: "ticketID",
    idArgs: ["secondaryResourceID"],
  }),
];
