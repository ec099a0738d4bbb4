/**
 * Toolset names. A toolset groups tools by what an MSP engineer works on; `AUTOTASK_TOOLSETS`
 * (and the `X-MCP-Toolsets` header) pick which ones are listed. Kept apart from the registry so
 * configuration can validate names without loading every tool.
 */
export const TOOLSETS = {
  core: "Connection test, generic query/count/get/describe, picklists, field info, API usage, raw requests",
  companies: "Companies, company notes, site configurations",
  contacts: "Contacts",
  tickets: "Tickets with their notes, attachments, charges, checklist items, history and secondary resources; queues, statuses, priorities",
  time: "Time entries, billing items, approvals, expense reports",
  projects: "Projects, phases, tasks, project notes",
  resources: "Resources (technicians) and their roles",
  finance: "Contracts with their services and bundles, quotes, opportunities, invoices",
  catalog: "Products, services, service bundles, configuration items",
  service_calls: "Service calls, their tickets and assigned resources",
} as const;

export type Toolset = keyof typeof TOOLSETS;

export const TOOLSET_NAMES = Object.keys(TOOLSETS) as Toolset[];
