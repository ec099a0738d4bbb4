/**
 * The original server's lazy-loading meta-tools. With LAZY_LOADING=true only these four are listed,
 * which keeps tools/list small for clients with tight context budgets; they can still reach every
 * tool the selection allows.
 */
import { z } from "zod";
import { defineTool, ToolError, withContent, type Tool } from "./define.ts";
import { runTool } from "./run.ts";
import { jsonSchema } from "./schema.ts";
import { reachAnnotations } from "./selection.ts";
import { isUntrusted } from "./untrusted.ts";

const CATEGORY_TEXT: Record<string, string> = {
  utility: "Connection test, queues, statuses, priorities, field info",
  query: "Generic query, count, get and describe for any entity; picklists; API usage; raw requests",
  companies: "Companies and their site configurations",
  company_notes: "Notes on companies",
  contacts: "Contacts",
  tickets: "Tickets and their notes, attachments, charges, history and secondary resources; duplicate and awaiting-reply sweeps",
  time_and_billing: "Time entries, billing items, approvals, expense reports",
  projects: "Projects, phases, tasks, project notes",
  resources: "Resources (technicians) and roles",
  financial: "Contracts with their services and bundles, quotes, quote items, opportunities, invoices",
  products_and_services: "Products, services, service bundles",
  configuration_items: "Configuration items (assets)",
  service_calls: "Service calls, their tickets and technicians",
  meta: "Checklist items, project updates, invoice details",
};

export function metaTools(callable: readonly Tool[]): Tool[] {
  const byName = new Map(callable.map((tool) => [tool.name, tool]));
  const categories = new Map<string, Tool[]>();
  for (const tool of callable) categories.set(tool.category, [...(categories.get(tool.category) ?? []), tool]);

  return [
    defineTool({
      name: "autotask_list_categories",
      title: "List tool categories",
      description:
        "Lists the categories of Autotask tools with how many tools each holds. Start here in lazy-loading mode, then call autotask_list_category_tools for a category.",
      toolset: "core",
      category: "meta",
      input: z.object({}),
      output: z.object({ categories: z.array(z.object({ name: z.string(), description: z.string(), toolCount: z.number() })) }),
      annotations: { readOnly: true },
      async run() {
        return {
          categories: [...categories].map(([name, tools]) => ({ name, description: CATEGORY_TEXT[name] ?? name, toolCount: tools.length })),
        };
      },
    }),
    defineTool({
      name: "autotask_list_category_tools",
      title: "List tools in a category",
      description: "Lists the tools of one category (from autotask_list_categories) with their full input schemas, ready for autotask_execute_tool.",
      toolset: "core",
      category: "meta",
      input: z.object({ category: z.string().min(1).describe("A category name from autotask_list_categories") }),
      output: z.object({
        category: z.string(),
        tools: z.array(z.object({ name: z.string(), description: z.string(), readOnly: z.boolean(), inputSchema: z.record(z.string(), z.unknown()) })),
      }),
      annotations: { readOnly: true },
      async run({ category }) {
        const tools = categories.get(category) ?? categories.get(category.toLowerCase());
        if (!tools) throw new ToolError(`Unknown category "${category}". Categories: ${[...categories.keys()].join(", ")}`);
        return {
          category,
          tools: tools.map((tool) => ({
            name: tool.name,
            description: tool.description,
            readOnly: tool.annotations.readOnly,
            inputSchema: jsonSchema(tool.input, "input"),
          })),
        };
      },
    }),
    defineTool({
      name: "autotask_execute_tool",
      title: "Execute a tool by name",
      description:
        "Runs any Autotask tool by name with its arguments (see autotask_list_category_tools for names and schemas). Returns that tool's result.",
      toolset: "core",
      category: "meta",
      input: z.object({
        toolName: z.string().min(1).describe("Exact tool name, e.g. autotask_search_tickets"),
        arguments: z.record(z.string(), z.unknown()).optional().describe("The tool's arguments"),
      }),
      output: z.object({ toolName: z.string(), result: z.record(z.string(), z.unknown()) }),
      // As safe as the most dangerous tool it can reach: read-only when the selection is.
      annotations: reachAnnotations(callable),
      // Its result is marked as outsiders' text exactly when the tool it runs is marked.
      untrusted: ({ toolName, arguments: args }) => {
        const tool = byName.get(toolName);
        return tool !== undefined && isUntrusted(tool, args ?? {});
      },
      async run({ toolName, arguments: args }, ctx) {
        const tool = byName.get(toolName);
        if (!tool) {
          throw new ToolError(`Unknown or unavailable tool "${toolName}". Use autotask_list_categories and autotask_list_category_tools to find tool names.`);
        }
        const result = await runTool(tool, args ?? {}, ctx);
        if (result.isError) throw new ToolError(String((result.content[0] as { text?: string } | undefined)?.text ?? "Tool failed"));
        // An attachment's image or file (content after the JSON text) reaches the model this way too.
        return withContent({ toolName, result: (result.structuredContent ?? {}) as Record<string, unknown> }, result.content.slice(1));
      },
    }),
    defineTool({
      name: "autotask_router",
      title: "Suggest the right tool",
      description:
        "Describe what you want to do in plain words (e.g. 'open tickets for Contoso', 'log 2 hours on ticket 1234'); returns the best matching tools with arguments pre-filled where the intent names them.",
      toolset: "core",
      category: "meta",
      input: z.object({ intent: z.string().min(1).describe("What you want to do, in plain words") }),
      output: z.object({
        suggestions: z.array(z.object({ toolName: z.string(), description: z.string(), arguments: z.record(z.string(), z.unknown()) })),
      }),
      annotations: { readOnly: true },
      async run({ intent }) {
        return { suggestions: route(intent, callable) };
      },
    }),
  ];
}

const STOP_WORDS = new Set(["a", "an", "the", "for", "of", "to", "on", "in", "with", "and", "or", "all", "my", "me", "show", "list", "find", "get", "please", "from", "by", "about", "what", "which", "is", "are"]);
/** Words people use for what the tool names call something else ("log 2 hours" is a time entry). */
const SYNONYMS: Record<string, string[]> = {
  hour: ["time", "entry"],
  log: ["time", "entry"],
  worked: ["time", "entry"],
  timesheet: ["time", "entry"],
  comment: ["note"],
  customer: ["company"],
  client: ["company"],
  technician: ["resource"],
  tech: ["resource"],
  asset: ["configuration", "item"],
  device: ["configuration", "item"],
  deal: ["opportunity"],
};
const WRITE_WORDS = /\b(create|add|new|log|make|open a|raise|update|change|set|edit|close|delete|remove|assign)\b/i;

/** Scores tools by word overlap with the intent and pre-fills ids and search terms it can see. */
function route(intent: string, tools: readonly Tool[]): Array<{ toolName: string; description: string; arguments: Record<string, unknown> }> {
  const words = intent
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map((word) => word.replace(/(ies)$/, "y").replace(/s$/, ""))
    .flatMap((word) => [word, ...(SYNONYMS[word] ?? [])]);
  const wantsWrite = WRITE_WORDS.test(intent);
  const scored = tools
    .filter((tool) => !tool.name.startsWith("autotask_list_categ") && tool.name !== "autotask_execute_tool" && tool.name !== "autotask_router")
    .map((tool) => {
      const name = tool.name.replace(/^autotask_/, "").split("_");
      const text = `${tool.title} ${tool.description}`.toLowerCase();
      let score = 0;
      for (const word of words) {
        if (name.some((part) => part.startsWith(word) || word.startsWith(part))) score += 3;
        else if (text.includes(word)) score += 1;
      }
      if (wantsWrite !== !tool.annotations.readOnly) score -= 2;
      return { tool, score };
    })
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 3);
  return scored.map(({ tool }) => ({ toolName: tool.name, description: tool.title, arguments: prefill(intent, tool) }));
}

function prefill(intent: string, tool: Tool): Record<string, unknown> {
  const keys = Object.keys(tool.input.shape as Record<string, unknown>);
  const findKey = (wanted: string) => keys.find((key) => key.toLowerCase() === wanted.toLowerCase());
  const args: Record<string, unknown> = {};
  // "ticket 1234" fills ticketID / ticketId; a bare number fills the tool's own id argument.
  const idMatch = /\b(ticket|company|project|contact|task|quote|invoice|contract|resource|opportunity)?\s*#?(\d{2,})\b/i.exec(intent);
  if (idMatch) {
    const key = (idMatch[1] && findKey(`${idMatch[1]}ID`)) || findKey("id");
    if (key) args[key] = Number(idMatch[2]);
  }
  const hours = /(\d+(?:\.\d+)?)\s*(?:h|hours?)\b/i.exec(intent);
  if (hours && findKey("hoursWorked")) args.hoursWorked = Number(hours[1]);
  const quoted = /["“']([^"”']{2,})["”']/.exec(intent);
  if (quoted && findKey("searchTerm")) args.searchTerm = quoted[1];
  return args;
}
