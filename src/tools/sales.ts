/**
 * Sales opportunities. Status and stage are the tenant's picklists (checked before sending); the money
 * fields Autotask requires but the original did not ask for get stated, conservative defaults.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { entity } from "../autotask/entities.ts";
import { compact, f } from "../autotask/filter.ts";
import { bool, day, id, num, picklist, searchTerm, text } from "./args.ts";
import { createTool, getTool, searchTool } from "./crud.ts";
import type { Tool } from "./define.ts";
import { present } from "./format.ts";

const OPPORTUNITY = "Opportunity ID (from autotask_search_opportunities)";
const STATUS = "Opportunity status value (autotask_list_picklist Opportunities status)";
const STAGE = "Opportunity stage value (autotask_list_picklist Opportunities stage)";

const probability = (description: string) =>
  num(description).pipe(z.number().min(0, "must be between 0 and 100").max(100, "must be between 0 and 100"));

export const salesTools: Tool[] = [
  getTool({
    name: "autotask_get_opportunity",
    title: "Get opportunity",
    description:
      "One sales opportunity with every field that has a value: company, contact and owner names, status / stage / rating labels, amount, cost, probability, dates. includeQuotes: true adds its quotes.",
    toolset: "finance",
    category: "financial",
    entity: "Opportunities",
    idArg: "opportunityId",
    idDescription: OPPORTUNITY,
    args: { includeQuotes: bool("Also list the opportunity's quotes (default false)").optional() },
    async shape(item, args, ctx) {
      if (!args.includeQuotes) return item;
      const { items } = await ctx.client.queryAll<Row>(
        "Quotes",
        { filter: [f.eq("opportunityID", args.opportunityId as number)], includeFields: entity("Quotes").summary },
        100,
      );
      return { ...item, quotes: await present(ctx, "Quotes", items) };
    },
  }),

  searchTool({
    name: "autotask_search_opportunities",
    title: "Search opportunities",
    description:
      "Finds sales opportunities, oldest first, with company and owner names, status and stage labels, amount, probability and projected close date. Filters combine with AND.",
    toolset: "finance",
    category: "financial",
    entity: "Opportunities",
    args: {
      companyId: id("Only opportunities of this company", "from autotask_search_companies").optional(),
      searchTerm: searchTerm("opportunity title").optional(),
      status: picklist(`Only this status: ${STATUS}`).optional(),
      stage: picklist(`Only this stage: ${STAGE}`).optional(),
      ownerResourceId: id("Only opportunities owned by this resource", "from autotask_search_resources").optional(),
    },
    filters: (args) =>
      compact([
        args.companyId !== undefined && f.eq("companyID", args.companyId),
        args.searchTerm && f.contains("title", args.searchTerm.trim()),
        args.status !== undefined && f.eq("status", args.status),
        args.stage !== undefined && f.eq("stage", args.stage),
        args.ownerResourceId !== undefined && f.eq("ownerResourceID", args.ownerResourceId),
      ]),
  }),

  createTool({
    name: "autotask_create_opportunity",
    title: "Create opportunity",
    description:
      "Creates a sales opportunity for a company. status and stage are checked against the tenant's picklists (the error lists the allowed values). Autotask also requires amount, cost, probability and useQuoteTotals; when not given they default to amount 0, cost 0, probability 0 (no weight in forecasts until someone estimates it) and useQuoteTotals false (pass true to take amount and cost from the opportunity's primary quote). Quotes for it: autotask_create_quote with its id.",
    toolset: "finance",
    category: "financial",
    entity: "Opportunities",
    args: {
      title: text("Opportunity title", 128),
      companyId: id("Company the opportunity is with", "from autotask_search_companies"),
      ownerResourceId: id("Owner (sales person)", "from autotask_search_resources"),
      status: picklist(STATUS),
      stage: picklist(STAGE),
      projectedCloseDate: day("Expected close date"),
      startDate: day("Start date of the opportunity (usually today)"),
      probability: probability("Chance of winning, 0-100 percent (default 0)").optional(),
      amount: num("Expected revenue (default 0)").optional(),
      cost: num("Expected cost (default 0)").optional(),
      useQuoteTotals: bool("Take amount and cost from the primary quote (default false)").optional(),
      totalAmountMonths: num("Number of months the amount covers (for recurring revenue)").optional(),
      contactId: id("Contact at the company", "from autotask_search_contacts").optional(),
      description: text("Description").optional(),
      opportunityCategoryID: id("Opportunity category ID (autotask_describe_entity Opportunities)").optional(),
    },
    build(args) {
      return {
        title: args.title,
        companyID: args.companyId,
        ownerResourceID: args.ownerResourceId,
        status: args.status,
        stage: args.stage,
        projectedCloseDate: args.projectedCloseDate,
        startDate: args.startDate,
        probability: args.probability ?? 0,
        amount: args.amount ?? 0,
        cost: args.cost ?? 0,
        useQuoteTotals: args.useQuoteTotals ?? false,
        totalAmountMonths: args.totalAmountMonths,
        contactID: args.contactId,
        description: args.description,
        opportunityCategoryID: args.opportunityCategoryID,
      };
    },
  }),
];
