/**
 * defineTool: the one shape every tool has. A tool is data — name, title, description, toolset,
 * input and output schemas, annotations — plus a `run` that receives validated arguments and the
 * per-request context. Transport, validation, error wording and output encoding live elsewhere
 * (run.ts), so a domain file reads like a table.
 */
import type { ContentBlock } from "@modelcontextprotocol/server";
import type { z } from "zod";
import type { ToolContext } from "../context.ts";
import type { Toolset } from "./toolsets.ts";

export interface ToolAnnotations {
  /** Only reads: safe to call at will. */
  readOnly: boolean;
  /** May destroy data (deletes). Such tools also require `confirm: true`. */
  destructive?: boolean;
  /** Calling it twice with the same arguments has the same effect as once. */
  idempotent?: boolean;
}

// The registry stores tools of every input/output shape.
type AnyObject = z.ZodObject<any>;

export interface ToolSpec<I extends AnyObject, O extends AnyObject> {
  name: string;
  title: string;
  /** When to use it, what it returns, where each id argument comes from. */
  description: string;
  toolset: Toolset;
  /** The original server's category, used by the lazy-loading meta-tools. */
  category: string;
  /** The Autotask entity the tool works on: where its picklist arguments' labels are looked up. */
  entity?: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /**
   * Groups of arguments of which at least one must be given, checked at call time. Used where the
   * original declared a tool twice with different argument names (`id` / `serviceCallId`).
   */
  requireOneOf?: string[][];
  /**
   * Other spellings of arguments, accepted but not listed (spelling -> listed argument name): what an
   * older version of a tool called an argument (`contractId` for `id`). Matched case-insensitively.
   */
  aliases?: Record<string, string>;
  /** The MCP Apps view that shows this tool's result (a `ui://` URI from src/ui/catalog.ts), for hosts that render views. */
  ui?: string;
  /**
   * Its results carry text written by customers or outsiders (ticket titles and descriptions, notes,
   * attachment names, history): marked as data, not instructions, in what the model reads. A
   * dispatcher (autotask_execute_tool) decides per call, from its arguments.
   */
  untrusted?: boolean | ((args: z.output<I>) => boolean);
  /**
   * What stands in for this write tool while writes are off for a request (read-only, and not in
   * the write allowlist): a narrower tool under the same name (autotask_raw_request: GET only).
   * Without one, the tool is neither listed nor callable then.
   */
  whenReadOnly?: Tool;
  /**
   * One call may cost many Autotask requests (sweeps, bulk creates, reading many pages): refused
   * while the tenant's hourly API budget is nearly spent.
   */
  fanOut?: boolean;
  run(args: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
}

export type Tool = ToolSpec<AnyObject, AnyObject>;

export function defineTool<I extends AnyObject, O extends AnyObject>(spec: ToolSpec<I, O>): Tool {
  return spec as unknown as Tool;
}

/** A problem the caller can fix (bad argument, unknown label …): becomes an `isError` tool result. */
export class ToolError extends Error {
  override name = "ToolError";
}

const EXTRA_CONTENT = Symbol("extra content");

/**
 * Content parts a result carries besides its JSON text: an image a model can see, a file as an
 * embedded resource. `run` returns `withContent(output, parts)`; run.ts lists the parts after the
 * text and keeps them out of structuredContent (a symbol key is never serialised), so programs get
 * the metadata and models get the file once, not twice.
 */
export function withContent<T extends object>(output: T, parts: ContentBlock[]): T {
  Object.defineProperty(output, EXTRA_CONTENT, { value: parts, enumerable: false });
  return output;
}

/** The extra content parts of a result (see withContent); none for most tools. */
export function extraContent(output: unknown): ContentBlock[] {
  return output && typeof output === "object" ? ((output as Record<symbol, ContentBlock[] | undefined>)[EXTRA_CONTENT] ?? []) : [];
}
