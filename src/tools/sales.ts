/**
 * Sales opportunities. Status and stage are the tenant's picklists (checked before sending); the money
 * fields Autotask requires but the original did not ask for get stated, conservative defaults.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { entity } from "../autotask/entities.ts";
import { compact, f } from "../autotask/filter.ts";
import { bool, day, id, num, picklist, searchTerm, text, udfs } from "./args.ts";
import { createTool, getTool, searchTool, updateTool } from "./crud.ts";
import type { Tool } from "./define.ts";
import { present } from "./format.ts";


const probability = (description?: string) =>
  num(description).pipe(z.number().min(0, "must be between 0 and 100").max(100, "must be between 0 and 100"));

export const salesTools: Tool[] = [
  getTool({
    name: "autotask_get_opportunity",
    title: "Get opportunity",
    description:
      "One sales opportunity: status, stage, amount, probability, dates.",
    toolset: "finance",
    category: "financial",
    entity: "Opportunities",
    idArg: "opportunityID",
    args: { includeQuotes: bool("Add its quotes").optional() },
    async shape(item, args, ctx) {
      if (!args.includeQuotes) return item;
      const { items } = await ctx.client.queryAll<Row>(
        "Quotes",
        { filter: [f.eq("opportunityID", args.opportunityID as number)], includeFields: entity("Quotes").summary },
        100,
      );
      return { ...item, quotes: await present(ctx, "Quotes", items) };
    },
  }),

  searchTool({
    name: "autotask_search_opportunities",
    title: "Search opportunities",
    description:
      "Finds sales opportunities by company, owner, status, stage or title.",
    toolset: "finance",
    category: "financial",
    entity: "Opportunities",
    args: {
      companyID: id().optional(),
      searchTerm: searchTerm().optional(),
      status: picklist().optional(),
      stage: picklist().optional(),
      ownerResourceID: id().optional(),
    },
    filters: (args) =>
      compact([
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.searchTerm && f.contains("title", args.searchTerm.trim()),
        args.status !== undefined && f.eq("status", args.status),
        args.stage !== undefined && f.eq("stage", args.stage),
        args.ownerResourceID !== undefined && f.eq("ownerResourceID", args.ownerResourceID),
      ]),
  }),

  createTool({
    name: "autotask_create_opportunity",
    title: "Create opportunity",
    description:
      "Creates a sales opportunity; amount, cost and probability default to 0, or useQuoteTotals: true takes them from its primary quote.",
    toolset: "finance",
    category: "financial",
    entity: "Opportunities",
    args: {
      title: text(128),
      companyID: id(),
      ownerResourceID: id("The sales person"),
      status: picklist(),
      stage: picklist(),
      projectedCloseDate: day(),
      startDate: day("Usually today"),
      probability: probability("Percent, 0-100").optional(),
      amount: num("Expected revenue").optional(),
      cost: num().optional(),
      useQuoteTotals: bool().optional(),
      totalAmountMonths: num("Months the amount covers (recurring revenue)").optional(),
      contactID: id().optional(),
      description: text().optional(),
      opportunityCategoryID: id().optional(),
    },
    build(args) {
      return {
        title: args.title,
        companyID: args.companyID,
        ownerResourceID: args.ownerResourceID,
        status: args.status,
        stage: args.stage,
        projectedCloseDate: args.projectedCloseDate,
        startDate: args.startDate,
        probability: args.probability ?? 0,
        amount: args.amount ?? 0,
        cost: args.cost ?? 0,
        useQuoteTotals: args.useQuoteTotals ?? false,
        totalAmountMonths: args.totalAmountMonths,
        contactID: args.contactID,
        description: args.description,
        opportunityCategoryID: args.opportunityCategoryID,
      };
    },
  }),

  updateTool({
    name: "autotask_update_opportunity",
    title: "Update opportunity",
    description:
      "Changes an opportunity: stage, status, win/loss reasons, probability, close date, owner, revenue, cost, UDFs.",
    toolset: "finance",
    category: "financial",
    entity: "Opportunities",
    idArg: "opportunityID",
    args: {
      title: text().optional(),
      description: text().optional(),
      status: picklist().optional(),
      stage: picklist().optional(),
      probability: probability().optional(),
      projectedCloseDate: day().optional(),
      ownerResourceID: id().optional(),
      contactID: id().optional(),
      opportunityCategoryID: id().optional(),
      nextStep: text().optional(),
      winReason: picklist().optional(),
      winReasonDetail: text().optional(),
      lossReason: picklist().optional(),
      lossReasonDetail: text().optional(),
      useQuoteTotals: bool().optional(),
      amount: num().optional(),
      cost: num().optional(),
      onetimeRevenue: num().optional(),
      onetimeCost: num().optional(),
      monthlyRevenue: num().optional(),
      monthlyCost: num().optional(),
      quarterlyRevenue: num().optional(),
      quarterlyCost: num().optional(),
      semiannualRevenue: num().optional(),
      semiannualCost: num().optional(),
      yearlyRevenue: num().optional(),
      yearlyCost: num().optional(),
      totalAmountMonths: num().optional(),
      userDefinedFields: udfs().optional(),
    },
    build: (args) => args,
  }),
];
