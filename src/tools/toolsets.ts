/**
 * Toolset names. A toolset groups tools by what an MSP engineer works on; `AUTOTASK_TOOLSETS`
 * (and the `X-MCP-Toolsets` header) pick which ones are listed. Kept apart from the registry so
 * configuration can validate names without loading every tool.
 */
export const TOOLSETS = {
  core: "Connection test, generic query/count/get/describe, picklists, API usage",
  companies: "Companies, company notes, locations, site configurations, to-dos",
  contacts: "Contacts",
  tickets: "Tickets, ticket notes, attachments, checklist items, charges",
  time: "Time entries, billing items, approvals, expense reports",
  projects: "Projects, phases, tasks, project notes",
  resources: "Resources (technicians), roles, departments, queues",
  finance: "Contracts, quotes, opportunities, invoices",
  catalog: "Products, services, service bundles, configuration items",
  service_calls: "Service calls, their tickets and assigned resources",
} as const;

export type Toolset = keyof typeof TOOLSETS;

export const TOOLSET_NAMES = Object.keys(TOOLSETS) as Toolset[];
