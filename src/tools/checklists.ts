/**
 * Ticket checklist items: the to-do list inside a ticket. Items are children of tickets — created,
 * updated and deleted through Tickets/{id}/ChecklistItems — and are shown in checklist order
 * (position), with how many are done.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { entity } from "../autotask/entities.ts";
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, id, text, ticketId } from "./args.ts";
import { createTool, deleteTool, notFound, updateTool } from "./crud.ts";
import { defineTool, type Tool } from "./define.ts";
import { present } from "./format.ts";
import { listOutput } from "./paging.ts";

const ENTITY = "TicketChecklistItems";
const MAX_ITEMS = 500;

/** A checklist position: 1 is the top. */
const position = (description: string) => id(description);

const checklistOutput = listOutput.extend({
  ticketID: z.number(),
  total: z.number(),
  completed: z.number(),
  remaining: z.number(),
  summary: z.string(),
});

/** A ticket's checklist items (at most 500) in checklist order: by position, then id. */
export async function checklistItems(ctx: ToolContext, ticketID: number, fields?: string[]): Promise<Row[]> {
  const { items } = await ctx.client.queryAll<Row>(ENTITY, { filter: [f.eq("ticketID", ticketID)], includeFields: fields }, MAX_ITEMS);
  return items.sort((a, b) => Number(a.position ?? 0) - Number(b.position ?? 0) || a.id - b.id);
}

export const checklistTools: Tool[] = [
  defineTool({
    name: "autotask_search_ticket_checklist_items",
    title: "List ticket checklist",
    description:
      "A ticket's checklist in order, each item with who completed it and when, and a summary (\"3 of 5 completed\").",
    toolset: "tickets",
    category: "meta",
    input: z.object({ ticketID: ticketId() }),
    output: checklistOutput,
    annotations: { readOnly: true },
    async run({ ticketID }, ctx) {
      // The ticket is named once at the top, not on every row.
      const fields = entity(ENTITY).summary?.filter((field) => field !== "ticketID");
      const items = await checklistItems(ctx, ticketID, fields);
      if (items.length === 0 && !(await ctx.client.get<Row>("Tickets", ticketID))) throw notFound("Ticket", ticketID);
      const rows = await present(ctx, ENTITY, items);
      const completed = items.filter((item) => item.isCompleted === true).length;
      const total = items.length;
      return {
        entity: ENTITY,
        ticketID: ticketID,
        items: rows,
        page: { page: 1, pageSize: MAX_ITEMS, returned: total, hasMore: false, total },
        total,
        completed,
        remaining: total - completed,
        summary: total === 0 ? `Ticket ${ticketID} has no checklist items.` : `${completed} of ${total} items completed`,
        ...(total === 0 ? { hint: "Add items with autotask_create_ticket_checklist_item." } : {}),
      };
    },
  }),

  createTool({
    name: "autotask_create_ticket_checklist_item",
    title: "Add ticket checklist item",
    description:
      "Adds an item to a ticket's checklist, after the last one unless position is given.",
    toolset: "tickets",
    category: "meta",
    entity: ENTITY,
    parentArg: "ticketID",
    args: {
      ticketID: ticketId(),
      itemName: text("What has to be done", 255),
      position: position("1 = first").optional(),
      isCompleted: bool().optional(),
      isImportant: bool().optional(),
    },
    async build(args, ctx) {
      let at = args.position;
      if (at === undefined) {
        const items = await checklistItems(ctx, args.ticketID, ["id", "position"]);
        at = items.reduce((last, item) => Math.max(last, Number(item.position ?? 0)), 0) + 1;
      }
      return {
        itemName: args.itemName,
        position: at,
        isCompleted: args.isCompleted ?? false,
        isImportant: args.isImportant,
      };
    },
  }),

  updateTool({
    name: "autotask_update_ticket_checklist_item",
    title: "Update ticket checklist item",
    description:
      "Ticks a checklist item off (isCompleted: true) or reopens it, renames or moves it.",
    toolset: "tickets",
    category: "meta",
    entity: ENTITY,
    parentArg: "ticketID",
    idArg: "itemID",
    args: {
      itemName: text(255).optional(),
      isCompleted: bool().optional(),
      position: position("1 = first").optional(),
      isImportant: bool().optional(),
    },
    build: (args) => args,
  }),

  deleteTool({
    name: "autotask_delete_ticket_checklist_item",
    title: "Delete ticket checklist item",
    description: "Removes an item from a ticket's checklist. Needs confirm: true.",
    toolset: "tickets",
    category: "meta",
    entity: ENTITY,
    parentArg: "ticketID",
    idArgs: ["itemID"],
  }),
];
