/**
 * Notes on tickets, projects and companies. Notes are children: created through their parent's URL,
 * listed newest first. A note's visibility defaults to the tenant's most restrictive `publish`
 * value (internal only) — never to "everyone" — and its type to the tenant's default.
 */
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { VIEWS } from "../ui/catalog.ts";
import { bool, id, idArg, instant, picklist, text } from "./args.ts";
import { createTool, getTool, searchTool } from "./crud.ts";
import type { Tool } from "./define.ts";
import { actingResourceId } from "./lookups.ts";
import { defaultValue, mostRestrictivePublish } from "./picklists.ts";

interface NoteParent {
  /** "ticket" | "project" — used in names and texts. */
  noun: string;
  parentEntity: string;
  noteEntity: string;
  parentField: string;
  /** The original's argument name for the parent id. */
  parentArg: string;
  toolset: "tickets" | "projects";
  category: string;
  /** The MCP Apps view that shows the parent after a note is added. */
  view?: string;
}

/** First line of the text, as Autotask needs a title and models often send only a description. */
function titleFrom(description: string): string {
  const firstLine = description.trim().split("\n")[0] ?? "";
  return firstLine.length > 250 ? `${firstLine.slice(0, 247)}...` : firstLine || "Note";
}

async function noteDefaults(ctx: ToolContext, entityName: string, args: { noteType?: number; publish?: number }) {
  return {
    noteType: args.noteType ?? (await defaultValue(ctx, entityName, "noteType")),
    publish: args.publish ?? (await mostRestrictivePublish(ctx, entityName)),
  };
}

function noteTools(p: NoteParent, extra: { isAnnouncement?: boolean } = {}): Tool[] {
  const parentId = idArg(p.parentArg);
  return [
    searchTool({
      name: `autotask_search_${p.noun}_notes`,
      title: `List ${p.noun} notes`,
      description: `The notes of one ${p.noun}, newest first, with who wrote them and their visibility (publishLabel).`,
      toolset: p.toolset,
      untrusted: true,
      category: p.category,
      entity: p.noteEntity,
      args: { [p.parentArg]: parentId },
      order: "newest-first",
      filters: (args) => [f.eq(p.parentField, (args as Record<string, unknown>)[p.parentArg] as number)],
    }),
    getTool({
      name: `autotask_get_${p.noun}_note`,
      title: `Get ${p.noun} note`,
      description: `One note of a ${p.noun} in full (ids from autotask_search_${p.noun}_notes).`,
      toolset: p.toolset,
      untrusted: true,
      category: p.category,
      entity: p.noteEntity,
      parentArg: p.parentArg,
      idArg: "noteID",
    }),
    createTool({
      name: `autotask_create_${p.noun}_note`,
      title: `Add ${p.noun} note`,
      description: `Adds a note to a ${p.noun}, visible internally only unless publish says otherwise; noteType defaults to the tenant's.`,
      toolset: p.toolset,
      category: p.category,
      entity: p.noteEntity,
      parentArg: p.parentArg,
      ui: p.view,
      args: {
        [p.parentArg]: parentId,
        title: text("Default: the first line of description", 250).optional(),
        description: text("The note", 32000),
        noteType: picklist().optional(),
        publish: picklist().optional(),
        ...(extra.isAnnouncement ? { isAnnouncement: bool("Announce to the project team").optional() } : {}),
      },
      async build(input, ctx) {
        const args = input as Record<string, unknown> & { description: string; noteType?: number; publish?: number };
        return {
          ...args,
          [p.parentArg]: undefined,
          [p.parentField]: args[p.parentArg],
          title: (args.title as string | undefined) ?? titleFrom(args.description),
          ...(await noteDefaults(ctx, p.noteEntity, args)),
        };
      },
    }),
  ];
}

const companyNoteTools: Tool[] = [
  searchTool({
    name: "autotask_search_company_notes",
    title: "List company notes",
    description: "The notes (actions) of one company, newest first, with who wrote them.",
    toolset: "companies",
    untrusted: true,
    category: "company_notes",
    entity: "CompanyNotes",
    args: { companyID: id() },
    order: "newest-first",
    filters: (args) => [f.eq("companyID", args.companyID)],
  }),
  getTool({
    name: "autotask_get_company_note",
    title: "Get company note",
    description: "One note of a company in full (ids from autotask_search_company_notes).",
    toolset: "companies",
    untrusted: true,
    category: "company_notes",
    entity: "CompanyNotes",
    parentArg: "companyID",
    idArg: "noteID",
  }),
  createTool({
    name: "autotask_create_company_note",
    title: "Add company note",
    description:
      "Records a note (an action) on a company, assigned to you; actionType defaults to the tenant's.",
    toolset: "companies",
    category: "company_notes",
    entity: "CompanyNotes",
    parentArg: "companyID",
    args: {
      companyID: id(),
      title: text("Default: the first line of description", 250).optional(),
      description: text("The note", 32000),
      actionType: picklist().optional(),
      contactID: id("Whom it is about").optional(),
      startDateTime: instant("When it happened; default now").optional(),
    },
    async build(args, ctx) {
      const when = args.startDateTime ?? new Date().toISOString();
      return {
        companyID: args.companyID,
        name: args.title ?? titleFrom(args.description),
        note: args.description,
        actionType: args.actionType ?? (await defaultValue(ctx, "CompanyNotes", "actionType")),
        assignedResourceID: await actingResourceId(ctx),
        contactID: args.contactID,
        startDateTime: when,
        endDateTime: when,
      };
    },
  }),
];

export const notesTools: Tool[] = [
  ...noteTools({
    noun: "ticket",
    parentEntity: "Tickets",
    noteEntity: "TicketNotes",
    parentField: "ticketID",
    parentArg: "ticketID",
    toolset: "tickets",
    category: "tickets",
    view: VIEWS["ticket-card"].uri,
  }),
  ...noteTools(
    {
      noun: "project",
      parentEntity: "Projects",
      noteEntity: "ProjectNotes",
      parentField: "projectID",
      parentArg: "projectID",
      toolset: "projects",
      category: "projects",
    },
    { isAnnouncement: true },
  ),
  ...companyNoteTools,
];
