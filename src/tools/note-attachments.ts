/**
 * Files on ticket notes (a customer's screenshot on a reply, a vendor quote on an update): listed
 * without contents, read one at a time through TicketNotes/{id}/Attachments/{id}, the only URL that
 * returns the bytes. The file comes back as content a model can use (file-content.ts); uploads stay
 * with the ticket's own attachments.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { f } from "../autotask/filter.ts";
import { attachmentResult } from "./attachments.ts";
import { bool, id } from "./args.ts";
import { itemOutput, searchTool } from "./crud.ts";
import { defineTool, ToolError, type Tool } from "./define.ts";
import { maxInlineBase64Bytes } from "./file-content.ts";

const ENTITY = "TicketNoteAttachments";

export const noteAttachmentTools: Tool[] = [
  searchTool({
    name: "autotask_search_ticket_note_attachments",
    title: "List ticket note attachments",
    description:
      "The files on a ticket note (name, type, size); contents: autotask_get_ticket_note_attachment.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    untrusted: true,
    args: { ticketNoteID: id() },
    filters: (args) => [f.eq("parentID", args.ticketNoteID)],
  }),

  defineTool({
    name: "autotask_get_ticket_note_attachment",
    title: "Get ticket note attachment",
    description:
      "One file on a ticket note; includeData: true adds it (images viewable, text as text, others base64).",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    untrusted: true,
    input: z.object({
      ticketNoteID: id(),
      attachmentID: id(),
      includeData: bool().optional(),
      maxInlineBase64Bytes: maxInlineBase64Bytes().optional(),
    }),
    output: itemOutput.extend({ hint: z.string().optional() }),
    annotations: { readOnly: true },
    async run({ ticketNoteID, attachmentID, includeData, maxInlineBase64Bytes }, ctx) {
      const row = includeData ? await ctx.client.getChild<Row>(ENTITY, ticketNoteID, attachmentID) : await ctx.client.get<Row>(ENTITY, attachmentID);
      if (!row || Number(row.parentID) !== ticketNoteID) {
        throw new ToolError(`Attachment ${attachmentID} was not found on ticket note ${ticketNoteID}. List the note's files with autotask_search_ticket_note_attachments.`);
      }
      return attachmentResult(ctx, ENTITY, row, includeData ? { uri: `autotask://TicketNotes/${ticketNoteID}/Attachments/${attachmentID}`, maxInline: maxInlineBase64Bytes } : undefined);
    },
  }),
];
