/**
 * Attachment uploads (TicketAttachments, TicketNoteAttachments): the checks Autotask makes on a file
 * and the fields it fills in itself. Source: Autotask REST API docs, "AttachmentInfo" and "Working
 * with attachments" — base64 data, about 6–7 MB per file, content type from the file name.
 */
import { fail } from "./http.ts";
import type { EntityRules, Values } from "./rule-kit.ts";

const CONTENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  json: "application/json",
  zip: "application/zip",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** The per-file limit: the docs say 6–7 MB, so the sandbox refuses above 6 MiB. */
export const MAX_ATTACHMENT_BYTES = 6 * 1024 * 1024;

/** The MIME type Autotask reports for a file name (by extension; unknown ones are octet-stream). */
export function contentTypeOf(fileName: string): string {
  const extension = fileName.split(".").pop()?.toLowerCase() ?? "";
  return CONTENT_TYPES[extension] ?? "application/octet-stream";
}

/**
 * Rules for an attachment entity. A FILE_ATTACHMENT needs valid, padded base64 `data` within the
 * limit; its fileSize (bytes) and contentType are computed, never taken from the body. `parentType`
 * is what the entity reports as its parent kind (4 for a ticket; null where the value is unknown);
 * `stamps` are further server-set fields of the entity.
 */
export function attachmentRules(parentType: number | null, stamps: Values = {}): EntityRules {
  return {
    prepare(ctx, row) {
      const data = row.data;
      if (row.attachmentType === "FILE_ATTACHMENT") {
        if (typeof data !== "string" || data === "") fail("Missing Required Field: data (a FILE_ATTACHMENT needs base64 data)");
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) fail("data is not valid base64.");
        const bytes = (data.length / 4) * 3 - (data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0);
        if (bytes > MAX_ATTACHMENT_BYTES) fail(`The attachment is ${bytes} bytes; the limit is ${MAX_ATTACHMENT_BYTES}.`);
        row.fileSize = bytes;
      } else row.fileSize = 0;
      row.contentType = row.attachmentType === "URL" ? "text/html" : contentTypeOf(String(row.fullPath ?? ""));
      row.attachedByResourceID = ctx.actorId;
      row.parentType = parentType;
      row.isTaskAttachment = false;
      Object.assign(row, stamps);
    },
  };
}
