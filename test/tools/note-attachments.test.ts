/**
 * Files on ticket notes through the real CLI over stdio against the sandbox: listed without contents,
 * read through the note's URL, and returned as content a model can use — a picture as image content,
 * text as a text resource, a PDF as a base64 resource — with the metadata in structuredContent.
 */
import { describe, expect, test } from "bun:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DEFAULT_MAX_INLINE_BASE64, fileContent, MAX_IMAGE_BASE64 } from "../../src/tools/file-content.ts";
import { callApi } from "../helpers/sandbox-api.ts";
import { apiPath, connectStdio, queryFilters, sandboxEnv, useSandboxSession } from "../helpers/mcp.ts";

type Row = Record<string, any>;
// Content shapes are checked as Autotask gave them; the untrusted-data markers are untrusted.test.ts's.
const ctx = useSandboxSession({ env: { AUTOTASK_UNTRUSTED_MARKERS: "off" } });

const seeded = (fullPath: string) => ctx.store().all("TicketNoteAttachments").find((a) => a.fullPath === fullPath)!;
const read = async (attachment: Row, args: Row = {}): Promise<CallToolResult> => {
  const result = await ctx.session.call("autotask_get_ticket_note_attachment", { ticketNoteId: attachment.parentID, attachmentId: attachment.id, ...args });
  expect(result.isError, JSON.stringify(result.content).slice(0, 300)).toBeFalsy();
  return result;
};
const structured = (result: CallToolResult) => result.structuredContent as Row;

describe("ticket note attachments", () => {
  test("search lists one note's files with who attached them, never their contents", async () => {
    const screenshot = seeded("printer-error.png");
    const out = await ctx.ok("autotask_search_ticket_note_attachments", { ticketNoteID: screenshot.parentID });
    expect(queryFilters(ctx.requests(), "TicketNoteAttachments")).toEqual([[{ op: "eq", field: "parentID", value: screenshot.parentID }]]);
    expect(out.items.map((a: Row) => a.id)).toEqual(ctx.store().all("TicketNoteAttachments").filter((a) => a.parentID === screenshot.parentID).map((a) => a.id));
    expect(out.items[0]).toMatchObject({ title: "Printer error screenshot", contentType: "image/png", publishLabel: "All Autotask Users" });
    expect(out.items[0].data).toBeUndefined();
  });

  test("without includeData: the metadata and its size from the light root GET, and a hint", async () => {
    const screenshot = seeded("printer-error.png");
    const result = await read(screenshot);
    expect(result.content).toHaveLength(1);
    expect(structured(result).item).toMatchObject({ id: screenshot.id, size: `${screenshot.fileSize} bytes`, attachedByContactName: expect.any(String) });
    expect(structured(result).hint).toContain("includeData: true");
    expect(ctx.requests().map((r) => `${r.method} ${apiPath(r)}`)).toContain(`GET TicketNoteAttachments/${screenshot.id}`);
  });

  test("a screenshot comes back as an image the model can see; the JSON keeps the metadata only", async () => {
    const screenshot = seeded("printer-error.png");
    const result = await read(screenshot, { includeData: true });
    expect(ctx.requests().map((r) => `${r.method} ${apiPath(r)}`)).toContain(`GET TicketNotes/${screenshot.parentID}/Attachments/${screenshot.id}`);
    expect(result.content[1] as Row).toEqual({ type: "image", data: screenshot.data, mimeType: "image/png" });
    expect(result.content).toHaveLength(2);
    expect(structured(result).item.data).toBeUndefined();
    expect(structured(result).item.contentType).toBe("image/png");
    expect(structured(result).hint).toBe("The image/png image follows as image content.");
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(structured(result));
  });

  test("a PDF comes back as a base64 resource with its MIME type, a log export as text", async () => {
    const quote = seeded("vendor-quote.pdf");
    const pdf = await read(quote, { includeData: true });
    expect(pdf.content[1] as Row).toEqual({ type: "resource", resource: { uri: `autotask://TicketNotes/${quote.parentID}/Attachments/${quote.id}`, mimeType: "application/pdf", blob: quote.data } });
    expect(Buffer.from(String(quote.data), "base64").toString("latin1")).toStartWith("%PDF-1.4");

    const log = seeded("event-log-export.txt");
    const text = await read(log, { includeData: true });
    expect(text.content[1]).toMatchObject({ type: "resource", resource: { mimeType: "text/plain", text: expect.stringContaining("Event ID: 7031") } });
  });

  test("maxInlineBase64Bytes (at least 1024) keeps a bigger file out, and says how to get it", async () => {
    const note = seeded("printer-error.png");
    const bytes = Buffer.alloc(3000, 0x41);
    const upload = await callApi(ctx.sandbox, `TicketNotes/${note.parentID}/Attachments`, {
      body: { attachmentType: "FILE_ATTACHMENT", title: "Long log", fullPath: "long.log", publish: 2, data: bytes.toString("base64") },
    });
    const attachment = { id: upload.body.itemId, parentID: note.parentID };
    const base64Length = bytes.toString("base64").length;

    const capped = await read(attachment, { includeData: true, maxInlineBase64Bytes: 1024 });
    expect(capped.content).toHaveLength(1);
    expect(structured(capped).hint).toBe(`File not included: its base64 is ${base64Length} bytes, over maxInlineBase64Bytes (1024). Call again with maxInlineBase64Bytes: ${base64Length} to get it.`);
    const full = await read(attachment, { includeData: true, maxInlineBase64Bytes: base64Length });
    expect(full.content[1]).toMatchObject({ type: "resource", resource: { mimeType: "text/plain", text: "A".repeat(3000) } });

    const small = await ctx.fail("autotask_get_ticket_note_attachment", { ticketNoteID: note.parentID, attachmentID: attachment.id, maxInlineBase64Bytes: 512 });
    expect(small).toContain("maxInlineBase64Bytes: must be at least 1024, got number 512");
  });

  test("an attachment of another note is not found, and says where to look", async () => {
    const screenshot = seeded("printer-error.png");
    const error = await ctx.fail("autotask_get_ticket_note_attachment", { ticketNoteID: Number(screenshot.parentID) + 1, attachmentID: screenshot.id, includeData: true });
    expect(error).toBe(`Attachment ${screenshot.id} was not found on ticket note ${Number(screenshot.parentID) + 1}. List the note's files with autotask_search_ticket_note_attachments.`);
  });

  test("through autotask_execute_tool (lazy loading) the image still reaches the model", async () => {
    const screenshot = seeded("printer-error.png");
    const lazy = await connectStdio({ env: { ...sandboxEnv(ctx.sandbox), LAZY_LOADING: "true" } });
    try {
      const result = await lazy.call("autotask_execute_tool", {
        toolName: "autotask_get_ticket_note_attachment",
        arguments: { ticketNoteId: screenshot.parentID, attachmentId: screenshot.id, includeData: true },
      });
      expect(result.content[1] as Row).toEqual({ type: "image", data: screenshot.data, mimeType: "image/png" });
      expect((result.structuredContent as Row).result.item.id).toBe(screenshot.id);
    } finally {
      await lazy.close();
    }
  });
});

describe("which content a file becomes (file-content.ts)", () => {
  const row = (contentType: string, data: string) => ({ id: 1, contentType, data, fullPath: "x" });

  test("raster images up to 5 MB of base64 are images; larger ones and SVG are not", () => {
    expect(fileContent(row("image/jpeg", "QUJD"), "u", DEFAULT_MAX_INLINE_BASE64).parts[0]!.type).toBe("image");
    const big = "A".repeat(MAX_IMAGE_BASE64 + 4);
    expect(fileContent(row("image/png", big), "u", big.length).parts[0]).toMatchObject({ type: "resource", resource: { mimeType: "image/png", blob: big } });
    const svg = Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>").toString("base64");
    expect(fileContent(row("image/svg+xml", svg), "u", DEFAULT_MAX_INLINE_BASE64).parts[0]).toMatchObject({ type: "resource", resource: { text: "<svg xmlns='http://www.w3.org/2000/svg'/>" } });
  });

  test("the type comes from the name when Autotask stored none; a link has no file", () => {
    expect(fileContent({ id: 1, fullPath: "photo.JPG", data: "QUJD" }, "u", 1024).parts[0]).toEqual({ type: "image", data: "QUJD", mimeType: "image/jpeg" });
    expect(fileContent({ id: 1, fullPath: "https://example.com", data: null }, "u", 1024)).toEqual({ parts: [], hint: "This attachment has no file data (it is a link: see fullPath)." });
  });
});
