/**
 * The original server's prompts: ready-made workflows that tell the model which tools to use.
 * They carry no data themselves, so they cost no Autotask request until the model acts on them.
 */
import type { GetPromptResult, Prompt } from "@modelcontextprotocol/server";
import { ToolError } from "../tools/define.ts";

interface PromptDef extends Prompt {
  render(args: Record<string, string>): string;
}

const PROMPT_DEFS: PromptDef[] = [
  {
    name: "ticket_queue_review",
    title: "Ticket queue review",
    description: "Review the open tickets of a queue (or all queues): what is aging, unassigned or at risk, and what to do next.",
    arguments: [{ name: "queue", description: "Queue name or value (optional; see autotask_list_queues)", required: false }],
    render: (args) =>
      [
        `Review the open Autotask ticket queue${args.queue ? ` "${args.queue}"` : "s"}.`,
        "1. Use autotask_list_queues to find the queue value, then autotask_search_tickets with queueID (open tickets only is the default).",
        "2. Use autotask_count for totals rather than paging through everything.",
        "3. Group tickets by priority and age (createDate, lastActivityDate); flag unassigned tickets (unassigned: true) and ones past dueDateTime.",
        "4. Finish with a short table (ticket number, title, company, assignee, age, priority) and three concrete next actions.",
      ].join("\n"),
  },
  {
    name: "weekly_sla_report",
    title: "Weekly SLA report",
    description: "Summarise last week's ticket activity and SLA performance, optionally for one company.",
    arguments: [
      { name: "company", description: "Company name (optional; resolve with autotask_search_companies)", required: false },
      { name: "weekStart", description: "First day of the week, YYYY-MM-DD (default: 7 days ago)", required: false },
    ],
    render: (args) =>
      [
        `Write a weekly SLA report${args.company ? ` for ${args.company}` : ""} for the week starting ${args.weekStart ?? "7 days ago"}.`,
        "1. Resolve the company id with autotask_search_companies if a company was named.",
        "2. Count tickets created and completed in the week with autotask_count on Tickets (createDate / completedDate filters).",
        "3. Read the week's tickets with autotask_query on Tickets including serviceLevelAgreementHasBeenMet, firstResponseDateTime, resolvedDateTime, dueDateTime.",
        "4. Report: volume, SLA met vs missed (with ticket numbers of misses), average first response and resolution times, and trends worth raising.",
      ].join("\n"),
  },
  {
    name: "escalation_summary",
    title: "Escalation summary",
    description: "Prepare an escalation summary of one ticket for a manager or the next tier.",
    arguments: [{ name: "ticketId", description: "Ticket id (numeric) or ticket number", required: true }],
    render: (args) =>
      [
        `Prepare an escalation summary for ticket ${args.ticketId}.`,
        "1. If given a T-number, find the id with autotask_search_tickets (searchTerm).",
        "2. Read it with autotask_get_ticket_details and fullDetails: true (notes, time entries, checklist).",
        "3. Summarise: customer and contact, the problem, what was tried (from notes and time entries, with who and when), current status and blockers, time spent, and the decision or help needed.",
        "Keep it under 250 words; do not change the ticket.",
      ].join("\n"),
  },
  {
    name: "new_ticket_draft",
    title: "New ticket draft",
    description: "Turn a customer's request into a well-formed ticket, confirming details before creating it.",
    arguments: [
      { name: "company", description: "Company name", required: true },
      { name: "request", description: "What the customer asked for, in their words", required: true },
    ],
    render: (args) =>
      [
        `Draft a new Autotask ticket for ${args.company ?? "the customer"}.`,
        `Customer request: ${args.request ?? "(not given)"}`,
        "1. Find the company with autotask_search_companies and the contact with autotask_search_contacts.",
        "2. Check for a duplicate: autotask_search_tickets for the company with a searchTerm from the request.",
        "3. Pick queue, priority and issue type from the tenant's values (autotask_list_queues, autotask_list_ticket_priorities, autotask_list_picklist Tickets issueType).",
        "4. Show the draft (title, description, contact, queue, priority) and ask for confirmation before calling autotask_create_ticket.",
      ].join("\n"),
  },
];

export const PROMPTS: Prompt[] = PROMPT_DEFS.map(({ render: _render, ...prompt }) => prompt);

export function getPrompt(name: string, args: Record<string, string>): GetPromptResult {
  const prompt = PROMPT_DEFS.find((p) => p.name === name);
  if (!prompt) throw new ToolError(`Unknown prompt "${name}". Prompts: ${PROMPT_DEFS.map((p) => p.name).join(", ")}`);
  const missing = (prompt.arguments ?? []).filter((arg) => arg.required && !args[arg.name]);
  if (missing.length) throw new ToolError(`Prompt ${name} needs ${missing.map((arg) => arg.name).join(", ")}`);
  return { description: prompt.description, messages: [{ role: "user", content: { type: "text", text: prompt.render(args) } }] };
}
