/**
 * Files on ticket notes (a customer's screenshot on a reply, a vendor quote on an update): listed
 * without contents, read one at a time through TicketNotes/{id}/Attachments/{id}, the only URL that
 * returns the bytes. The file comes back as content a model can use (file-content.ts); uploads stay
 * with the ticket's own attachments.
 */
import { f } from "../autotask/filter.ts";
import { id } from "./args.ts";
import { attachmentGetTool } from "./attachments.ts";
import { searchTool } from "./crud.ts";
import type { Tool } from "./define.ts";

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

  attachmentGetTool({
    name: "autotask_get_ticket_note_attachment",
    title: "Get ticket note attachment",
    description:
      "One file on a ticket note; includeData: true adds it (images viewable, text as text, others base64).",
    entity: ENTITY,
    parentArg: "ticketNoteID",
    parentId: id(),
    parentNoun: "ticket note",
    listHint: "List the note's files with autotask_search_ticket_note_attachments.",
  }),
];
