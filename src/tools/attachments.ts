/**
 * Ticket attachments. Lists never carry file contents; the base64 `data` comes only from the
 * single-item child URL Tickets/{id}/Attachments/{id}, and only when asked for. Uploads are checked
 * here first (valid base64, within Autotask's ~6 MB per file) and default to the tenant's most
 * restrictive visibility, so a file is never shown to the customer by accident.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { entity as entityDef } from "../autotask/entities.ts";
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, id, picklist, text, ticketId } from "./args.ts";
import { createTool, itemOutput, searchTool } from "./crud.ts";
import { defineTool, ToolError, withContent, type Tool } from "./define.ts";
import { baseType, DEFAULT_MAX_INLINE_BASE64, extensionOf, fileContent, formatBytes, maxInlineBase64Bytes, MIME_BY_EXTENSION } from "./file-content.ts";
import { presentOne, type Record_ } from "./format.ts";
import { activeValues, asValue, defaultValue, mostRestrictivePublish, picklistOf } from "./picklists.ts";

const ENTITY = "TicketAttachments";
/** Autotask refuses files above roughly 6–7 MB; 6 MiB is the safe limit. */
export const MAX_ATTACHMENT_BYTES = 6 * 1024 * 1024;

export interface DecodedData {
  /** Standard, padded base64 without whitespace. */
  base64: string;
  bytes: number;
  /** The MIME type of a `data:` URL, when one was given. */
  mimeType?: string;
}

/**
 * Checks upload data: accepts plain base64 (line breaks allowed), base64url, missing padding and
 * `data:<type>;base64,` URLs; refuses anything else and files over the size limit.
 */
export function decodeData(raw: string): DecodedData {
  let value = raw.trim();
  let mimeType: string | undefined;
  const dataUrl = /^data:([^;,]*)(;[^,]*)?,/i.exec(value);
  if (dataUrl) {
    if (!/;base64/i.test(dataUrl[2] ?? "")) throw new ToolError("data is a data: URL that is not base64-encoded; send the file's bytes as base64.");
    mimeType = dataUrl[1] || undefined;
    value = value.slice(dataUrl[0].length);
  }
  value = value.replace(/\s+/g, "").replace(/-/g, "+").replace(/_/g, "/");
  if (value.length % 4 === 2) value += "==";
  else if (value.length % 4 === 3) value += "=";
  if (value === "") throw new ToolError("data is empty: pass the file's contents as base64.");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new ToolError("data is not valid base64: pass the file's bytes base64-encoded (e.g. `base64 -w0 file.pdf`), not the raw text or a file path.");
  }
  const bytes = (value.length / 4) * 3 - (value.endsWith("==") ? 2 : value.endsWith("=") ? 1 : 0);
  if (bytes > MAX_ATTACHMENT_BYTES) {
    throw new ToolError(
      `The file is ${formatBytes(bytes)}; Autotask accepts at most about ${formatBytes(MAX_ATTACHMENT_BYTES)} per attachment. Nothing was uploaded: compress or split the file, or link to it instead.`,
    );
  }
  return { base64: value, bytes, ...(mimeType ? { mimeType } : {}) };
}

/**
 * The file name to store: fullPath, else the title. Autotask sets the content type from the name's
 * extension, so a name without one gets the extension of the given contentType. Returns a note when
 * the given type and the name's extension disagree.
 */
function fileName(title: string, fullPath: string | undefined, contentType: string | undefined): { name: string; note?: string } {
  const name = (fullPath ?? title).trim();
  if (!contentType) return { name };
  const wanted = baseType(contentType);
  const extension = extensionOf(name);
  if (!extension) {
    const match = Object.entries(MIME_BY_EXTENSION).find(([, mime]) => mime === wanted)?.[0];
    return match ? { name: `${name}.${match}` } : { name, note: `Autotask sets the content type from the file name's extension; "${name}" has none, so the file may not open as ${wanted}.` };
  }
  const implied = MIME_BY_EXTENSION[extension];
  if (implied && implied !== wanted) {
    return { name, note: `contentType ${wanted} was not applied: Autotask sets the type from the extension (.${extension} = ${implied}). Pass a fullPath with the right extension to change it.` };
  }
  return { name };
}

/** The tenant's attachment-type value for an uploaded file (FILE_ATTACHMENT on stock tenants). */
async function fileAttachmentType(ctx: ToolContext): Promise<string | number | undefined> {
  const values = activeValues(await picklistOf(ctx, ENTITY, "attachmentType"));
  const file = values.find((value) => /^file/i.test(value.value) || /^file/i.test(value.label.trim()));
  return file ? asValue(file.value) : await defaultValue(ctx, ENTITY, "attachmentType");
}

/**
 * A ticket or note attachment as a get tool answers: its metadata with a readable size, and with
 * `file` (the data was read) the file as content parts after the JSON (file-content.ts). Shared by
 * the ticket and note attachment tools.
 */
async function attachmentResult(ctx: ToolContext, entityName: string, row: Row, file?: { uri: string; maxInline?: number }): Promise<{ entity: string; item: Record_; hint?: string }> {
  const { data: _data, ...metadata } = row;
  const item = await presentOne(ctx, entityName, metadata as Row);
  const bytes = typeof row.fileSize === "number" ? row.fileSize : undefined;
  if (bytes !== undefined) item.size = formatBytes(bytes);
  if (file) {
    const { parts, hint } = fileContent(row, file.uri, file.maxInline ?? DEFAULT_MAX_INLINE_BASE64);
    return withContent({ entity: entityName, item, hint }, parts);
  }
  const isFile = (bytes ?? 0) > 0;
  return { entity: entityName, item, ...(isFile ? { hint: `File not included: call again with includeData: true to get it${bytes !== undefined ? ` (${formatBytes(bytes)})` : ""}.` } : {}) };
}

export interface AttachmentGetSpec {
  name: string;
  title: string;
  description: string;
  entity: "TicketAttachments" | "TicketNoteAttachments";
  /** The parent id argument and its schema (a ticket id also takes a ticket number). */
  parentArg: string;
  parentId: z.ZodType<number, unknown>;
  /** What the not-found error calls the parent ("ticket"), and how to list its attachments (a sentence). */
  parentNoun: string;
  listHint: string;
}

/**
 * The get tool of one kind of attachment: its metadata from the lighter root GET, or with
 * includeData the file from the parent's child URL (the only one that returns the bytes), as
 * attachmentResult shapes it. An attachment of another parent is not found.
 */
export function attachmentGetTool(spec: AttachmentGetSpec): Tool {
  const parentPath = entityDef(spec.entity).parent!.path;
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: "tickets",
    category: "tickets",
    entity: spec.entity,
    untrusted: true,
    input: z.object({
      [spec.parentArg]: spec.parentId,
      attachmentID: id(),
      includeData: bool().optional(),
      maxInlineBase64Bytes: maxInlineBase64Bytes().optional(),
    }),
    output: itemOutput.extend({ hint: z.string().optional() }),
    annotations: { readOnly: true },
    async run(input, ctx) {
      const { attachmentID, includeData, maxInlineBase64Bytes } = input as { attachmentID: number; includeData?: boolean; maxInlineBase64Bytes?: number };
      const parentId = (input as Record<string, number>)[spec.parentArg]!;
      const row = includeData ? await ctx.client.getChild<Row>(spec.entity, parentId, attachmentID) : await ctx.client.get<Row>(spec.entity, attachmentID);
      if (!row || Number(row.parentID) !== parentId) {
        throw new ToolError(`Attachment ${attachmentID} was not found on ${spec.parentNoun} ${parentId}. ${spec.listHint}`);
      }
      const uri = `autotask://${parentPath.replace("{parentId}", String(parentId))}/${attachmentID}`;
      return attachmentResult(ctx, spec.entity, row, includeData ? { uri, maxInline: maxInlineBase64Bytes } : undefined);
    },
  });
}

const createAttachment = createTool({
  name: "autotask_create_ticket_attachment",
  title: "Upload ticket attachment",
  description:
    "Uploads a file (≤ ~6 MB; ~10 MB per 5 minutes) to a ticket, internal only unless publish says otherwise.",
  toolset: "tickets",
  category: "tickets",
  entity: ENTITY,
  parentArg: "ticketID",
  args: {
    ticketID: ticketId(),
    title: text(255),
    data: z.string().describe("The file, base64 (or a data: URL)"),
    fullPath: text("File name, e.g. ipconfig.txt; default: the title. Its extension sets the type", 2048).optional(),
    contentType: text("MIME type, for a name without extension", 255).optional(),
    publish: picklist().optional(),
  },
  async build(args, ctx, remark) {
    const decoded = decodeData(args.data);
    const { name, note } = fileName(args.title, args.fullPath, args.contentType ?? decoded.mimeType);
    remark(`${formatBytes(decoded.bytes)} uploaded`);
    if (note) remark(note);
    return {
      title: args.title,
      fullPath: name,
      data: decoded.base64,
      attachmentType: await fileAttachmentType(ctx),
      publish: args.publish ?? (await mostRestrictivePublish(ctx, ENTITY)),
    };
  },
});

export const attachmentTools: Tool[] = [
  searchTool({
    name: "autotask_search_ticket_attachments",
    title: "List ticket attachments",
    description:
      "The files and links on a ticket, without contents: autotask_get_ticket_attachment reads one.",
    toolset: "tickets",
    untrusted: true,
    category: "tickets",
    entity: ENTITY,
    args: { ticketID: ticketId() },
    filters: (args) => [f.eq("parentID", args.ticketID)],
  }),

  attachmentGetTool({
    name: "autotask_get_ticket_attachment",
    title: "Get ticket attachment",
    description:
      "One attachment of a ticket; includeData: true adds the file (images viewable, text as text, others base64).",
    entity: ENTITY,
    parentArg: "ticketID",
    parentId: ticketId(),
    parentNoun: "ticket",
    listHint: "List the ticket's attachments with autotask_search_ticket_attachments.",
  }),

  createAttachment,
];
