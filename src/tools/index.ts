/**
 * The tool registry: every tool, once. tools/list, tools/call, `autotask-mcp tools`, the README
 * table and the lazy-loading meta-tools all read from here.
 *
 * What a caller may see is a ToolSelection: read-only removes every write tool (not listed, not
 * callable) except those its write allowlist names, toolsets narrow the list, lazy mode lists only
 * the four meta-tools of the original (which can still reach every selected tool).
 */
import { attachmentTools } from "./attachments.ts";
import { billingTools } from "./billing.ts";
import { catalogTools } from "./catalog.ts";
import { checklistTools } from "./checklists.ts";
import { companyTools } from "./companies.ts";
import type { Tool } from "./define.ts";
import { contactTools } from "./contacts.ts";
import { contractBulkTools } from "./contract-bulk.ts";
import { contractReportTools } from "./contract-reports.ts";
import { contractServiceTools } from "./contract-services.ts";
import { contractTools, invoiceTools } from "./contracts.ts";
import { expenseTools } from "./expenses.ts";
import { projectTools } from "./projects.ts";
import { quoteTools } from "./quotes.ts";
import { rawRequestTool } from "./raw-request.ts";
import { resourceTools } from "./resources.ts";
import { salesTools } from "./sales.ts";
import { serviceCallTools } from "./service-calls.ts";
import { sweepTools } from "./sweeps.ts";
import { ticketChargeTools } from "./ticket-charges.ts";
import { ticketHistoryTools } from "./ticket-history.ts";
import { ticketResourceTools } from "./ticket-resources.ts";
import { timeTools } from "./time.ts";
import { metaTools } from "./meta.ts";
import { noteAttachmentTools } from "./note-attachments.ts";
import { notesTools } from "./notes.ts";
import { queryTools } from "./query.ts";
import { ticketTools } from "./tickets.ts";
import { applySelection, selectionKey, type ToolSelection } from "./selection.ts";
import { utilityTools } from "./utility.ts";

export const TOOLS: readonly Tool[] = [
  ...utilityTools,
  ...queryTools,
  rawRequestTool,
  ...companyTools,
  ...contactTools,
  ...resourceTools,
  ...ticketTools,
  ...ticketHistoryTools,
  ...ticketResourceTools,
  ...sweepTools,
  ...notesTools,
  ...ticketChargeTools,
  ...checklistTools,
  ...attachmentTools,
  ...noteAttachmentTools,
  ...timeTools,
  ...billingTools,
  ...expenseTools,
  ...projectTools,
  ...quoteTools,
  ...salesTools,
  ...contractTools,
  ...contractBulkTools,
  ...contractServiceTools,
  ...contractReportTools,
  ...invoiceTools,
  ...catalogTools,
  ...serviceCallTools,
];

export type { ToolSelection };

const selections = new Map<string, { callable: Tool[]; listed: Tool[] }>();

/** The tools a selection may call and the tools it lists (cached per distinct selection; the rule: selection.ts). */
export function resolveSelection(selection: ToolSelection): { callable: Tool[]; listed: Tool[] } {
  const key = selectionKey(selection);
  let resolved = selections.get(key);
  if (!resolved) {
    resolved = applySelection(TOOLS, selection, metaTools);
    selections.set(key, resolved);
  }
  return resolved;
}

/** Every tool including the meta-tools, for `autotask-mcp tools` and the README. */
export function allTools(): Tool[] {
  return [...TOOLS, ...metaTools(TOOLS)];
}
