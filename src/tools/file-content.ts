/**
 * An attachment's file as MCP content a model can use, next to the JSON metadata (define.ts
 * withContent): a picture as image content the model sees, text as a text resource it reads, any
 * other file as a base64 resource with its MIME type. The bytes are never repeated in
 * structuredContent, which keeps the metadata only.
 *
 * Size limits: a file is inlined only when its base64 is at most maxInlineBase64Bytes (the
 * original's argument; default 750,000 as it documents, about 550 KB of file). A picture becomes
 * image content when it is a PNG, JPEG, GIF or WebP of at most 5 MB of base64 (MAX_IMAGE_BASE64,
 * the most Claude's API takes for one image); other or larger images come as a file resource.
 */
import type { ContentBlock } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { num } from "./args.ts";

/** Extension <-> MIME type for the common files MSPs attach (Autotask derives the type from the name). */
export const MIME_BY_EXTENSION: Record<string, string> = {
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  html: "text/html",
  htm: "text/html",
  xml: "application/xml",
  json: "application/json",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  zip: "application/zip",
  eml: "message/rfc822",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

export const DEFAULT_MAX_INLINE_BASE64 = 750_000;
export const MAX_IMAGE_BASE64 = 5 * 1024 * 1024;
const VIEWABLE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const TEXT_TYPES = /^text\/|^application\/(json|xml)$|\+(xml|json)$/;

export const extensionOf = (name: string): string | undefined => /\.([A-Za-z0-9]{1,8})$/.exec(name.trim())?.[1]?.toLowerCase();
export const baseType = (mime: string) => mime.split(";")[0]!.trim().toLowerCase();

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** The maxInlineBase64Bytes argument: at least 1024, as in the original; no upper bound (Autotask's file limit is one). */
export const maxInlineBase64Bytes = () =>
  num(`Default ${DEFAULT_MAX_INLINE_BASE64}`).pipe(z.number().int().min(1024, "must be at least 1024"));

/** The file's MIME type: what Autotask stored, else what its name's extension says. */
function mimeOf(row: Row): string {
  if (typeof row.contentType === "string" && row.contentType.trim()) return baseType(row.contentType);
  const extension = extensionOf(String(row.fullPath ?? row.title ?? ""));
  return (extension && MIME_BY_EXTENSION[extension]) || "application/octet-stream";
}

/**
 * The content parts for an attachment read with its data, and a hint saying where the file went
 * (or why it did not come). `uri` names the file in the embedded resource (its Autotask REST path).
 */
export function fileContent(row: Row, uri: string, maxInline: number): { parts: ContentBlock[]; hint: string } {
  const data = row.data;
  if (typeof data !== "string" || data === "") return { parts: [], hint: "This attachment has no file data (it is a link: see fullPath)." };
  const mimeType = mimeOf(row);
  if (data.length > maxInline) {
    return {
      parts: [],
      hint: `File not included: its base64 is ${data.length} bytes, over maxInlineBase64Bytes (${maxInline}). Call again with maxInlineBase64Bytes: ${data.length} to get it.`,
    };
  }
  if (VIEWABLE_IMAGES.has(mimeType) && data.length <= MAX_IMAGE_BASE64) {
    return { parts: [{ type: "image", data, mimeType }], hint: `The ${mimeType} image follows as image content.` };
  }
  if (TEXT_TYPES.test(mimeType)) {
    const text = Buffer.from(data, "base64").toString("utf8");
    return { parts: [{ type: "resource", resource: { uri, mimeType, text } }], hint: `The file's text follows as an embedded ${mimeType} resource.` };
  }
  return { parts: [{ type: "resource", resource: { uri, mimeType, blob: data } }], hint: `The file follows as an embedded ${mimeType} resource (base64).` };
}
