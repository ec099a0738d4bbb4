/**
 * The MCP Apps views (SEP-1865) this server offers, by id. A leaf module: tools name a view's URI
 * in their `ui` field, resources/list lists the views, the page template and the browser code
 * read the id — none of them needs anything else from here.
 */
import type { McpUiToolMeta, RESOURCE_URI_META_KEY } from "@modelcontextprotocol/ext-apps";

export const VIEWS = {
  "ticket-card": {
    uri: "ui://autotask/ticket-card",
    title: "Ticket card",
    description:
      "One ticket: company, contact, status, priority, queue, assignee, SLA due times, latest notes with their visibility and time logged; add an internal note, change the status or log time.",
  },
  "queue-board": {
    uri: "ui://autotask/queue-board",
    title: "Queue board",
    description: "A page of tickets as a sortable table with status and priority chips and age; a row opens its ticket card.",
  },
  "time-sheet": {
    uri: "ui://autotask/time-sheet",
    title: "Time sheet",
    description: "Time entries as a week grid per resource: hours per day and per ticket or task, billable and non-billable totals.",
  },
} as const;

export type ViewId = keyof typeof VIEWS;

export const VIEW_IDS = Object.keys(VIEWS) as ViewId[];

/**
 * The `_meta` of a tools/list entry whose result a view shows: `ui.resourceUri` (SEP-1865) and the
 * flat `ui/resourceUri` key that hosts built on earlier drafts still read — both, as the official
 * server helper (`registerAppTool`) writes them.
 */
export function viewLink(uri: string): { ui: McpUiToolMeta } & Record<typeof RESOURCE_URI_META_KEY, string> {
  return { ui: { resourceUri: uri }, "ui/resourceUri": uri };
}
