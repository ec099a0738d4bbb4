/**
 * Quotes and their line items. Items are children of a quote: created, updated and deleted through
 * Quotes/{quoteID}/Items. An item's quoteItemType is inferred from what it links to (product, service,
 * service bundle) by the tenant's own picklist labels; its name and prices default to the catalog's.
 */
import type { Row } from "../autotask/client.ts";
import { compact, f, type Filter } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, day, id, num, picklist, searchTerm, text } from "./args.ts";
import { createTool, deleteTool, getTool, notFound, searchTool, updateTool } from "./crud.ts";
import { ToolError, type Tool } from "./define.ts";
import { present, type Record_ } from "./format.ts";
import { defaultValue, listValues, picklistOf, valueForLabel } from "./picklists.ts";
import { addDays, checkOrder, today } from "./dates.ts";


/** What a quote item can link to, and the tenant picklist label of the item type that goes with it. */
const CATALOG = [
  { arg: "productID", entity: "Products", label: "Product", search: "autotask_search_products" },
  { arg: "serviceID", entity: "Services", label: "Service", search: "autotask_search_services" },
  { arg: "serviceBundleID", entity: "ServiceBundles", label: "Service Bundle", search: "autotask_search_service_bundles" },
] as const;

/** The REST QuoteItems entity has no sort order field: refuse rather than drop the argument silently. */
function refuseSortOrder(sortOrderID: unknown): void {
  if (sortOrderID !== undefined) {
    throw new ToolError(
      "sortOrderID cannot be saved: Autotask's REST QuoteItems entity has no sort order field (items are listed in the order they were added). Leave sortOrderID out. Nothing was saved.",
    );
  }
}

/** A line's total: (unit price - unit discount) x quantity, less the percentage, less the line discount. */
function lineTotal(item: Record_): number {
  const gross = (Number(item.unitPrice ?? 0) - Number(item.unitDiscount ?? 0)) * Number(item.quantity ?? 0);
  const total = gross * (1 - Number(item.percentageDiscount ?? 0) / 100) - Number(item.lineDiscount ?? 0);
  return Math.round(total * 100) / 100;
}

async function quoteItemsOf(ctx: ToolContext, quoteID: number) {
  const { items, truncated } = await ctx.client.queryAll<Row>("QuoteItems", { filter: [f.eq("quoteID", quoteID)] }, 500);
  const rows = (await present(ctx, "QuoteItems", items)).map(({ quoteID: _quote, quoteName: _name, ...row }): Record_ => ({ ...row, lineTotal: lineTotal(row) }));
  const sum = (list: Record_[]) => Math.round(list.reduce((total, row) => total + Number(row.lineTotal), 0) * 100) / 100;
  const optional = rows.filter((row) => row.isOptional === true);
  const totals = { itemCount: rows.length, total: sum(rows.filter((row) => row.isOptional !== true)), optionalTotal: sum(optional) };
  return { items: rows, totals, truncated };
}

/**
 * Autotask needs an opportunity for every quote. Without one we use the company's only open
 * opportunity (open = the tenant's default opportunity status, the one new opportunities get);
 * otherwise the error lists the choices or says how to create one.
 */
async function soleOpenOpportunity(ctx: ToolContext, companyID: number): Promise<number> {
  const open = await defaultValue(ctx, "Opportunities", "status");
  const filter: Filter[] = compact([f.eq("companyID", companyID), open !== undefined && f.eq("status", open)]);
  const { items } = await ctx.client.query<Row>("Opportunities", { filter, includeFields: ["id", "title", "status", "stage", "amount"], maxRecords: 20 });
  if (items.length === 1) return items[0]!.id;
  if (items.length === 0) {
    throw new ToolError(
      `Autotask links every quote to an opportunity, and company ${companyID} has no open opportunity. Create one with autotask_create_opportunity, then pass its id as opportunityID. Nothing was created.`,
    );
  }
  const choices = items.map((row) => `${row.id} "${String(row.title)}"`).join(", ");
  throw new ToolError(`Company ${companyID} has several open opportunities: ${choices}. Pass opportunityID (autotask_search_opportunities shows more). Nothing was created.`);
}

/** Which catalog item an item links to, its type value from the tenant's labels, and the catalog row. */
async function linkedCatalogItem(ctx: ToolContext, args: Record<string, unknown>, givenType: number | undefined) {
  const linked = CATALOG.filter((kind) => args[kind.arg] !== undefined);
  if (linked.length > 1) {
    throw new ToolError(`A quote item links to one catalog item: pass only one of ${linked.map((kind) => kind.arg).join(", ")}.`);
  }
  const types = await picklistOf(ctx, "QuoteItems", "quoteItemType");
  const kind = linked[0];
  if (!kind) {
    if (givenType !== undefined) return { type: givenType };
    throw new ToolError(
      `Say what the line is: pass productID (autotask_search_products), serviceID (autotask_search_services) or serviceBundleID (autotask_search_service_bundles) and the type is inferred, or pass quoteItemType (one of: ${listValues(types)}).`,
    );
  }
  const catalogId = args[kind.arg] as number;
  const row = await ctx.client.get<Row>(kind.entity, catalogId);
  if (!row) throw new ToolError(`${kind.label} ${catalogId} (${kind.arg}) was not found. Find one with ${kind.search}.`);
  const inferred = await valueForLabel(ctx, "QuoteItems", "quoteItemType", kind.label);
  if (inferred === undefined && givenType === undefined) {
    throw new ToolError(`This tenant has no "${kind.label}" quote item type: pass quoteItemType (one of: ${listValues(types)}).`);
  }
  if (inferred !== undefined && givenType !== undefined && String(givenType) !== String(inferred)) {
    throw new ToolError(`quoteItemType ${givenType} does not fit ${kind.arg}: a ${kind.label} line has quoteItemType ${inferred} on this tenant. Leave quoteItemType out to have it inferred.`);
  }
  return { type: givenType ?? inferred, row };
}

const priceFields = {
  unitPrice: num().optional(),
  unitDiscount: num("Per unit, in currency").optional(),
  lineDiscount: num("On the line, in currency").optional(),
  percentageDiscount: num("On the line, 0-100").optional(),
  isOptional: bool("A line the customer may choose").optional(),
  // Refused when given (refuseSortOrder says why): the original listed it.
  sortOrderID: num().optional(),
};

export const quoteTools: Tool[] = [
  getTool({
    name: "autotask_get_quote",
    title: "Get quote",
    description:
      "One quote; includeItems: true adds its lines and totals (optional lines apart).",
    toolset: "finance",
    category: "financial",
    entity: "Quotes",
    idArg: "quoteID",
    args: { includeItems: bool().optional() },
    async shape(item, args, ctx) {
      if (!args.includeItems) return item;
      const { items, totals, truncated } = await quoteItemsOf(ctx, args.quoteID as number);
      return { ...item, items, totals, ...(truncated ? { note: "Only the first 500 items are shown." } : {}) };
    },
  }),

  searchTool({
    name: "autotask_search_quotes",
    title: "Search quotes",
    description:
      "Finds quotes by company, contact, opportunity, name or number; autotask_get_quote shows lines and total.",
    toolset: "finance",
    category: "financial",
    entity: "Quotes",
    args: {
      companyID: id().optional(),
      contactID: id().optional(),
      opportunityID: id().optional(),
      searchTerm: searchTerm("Or a quote number").optional(),
    },
    filters: (args) =>
      compact([
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.contactID !== undefined && f.eq("contactID", args.contactID),
        args.opportunityID !== undefined && f.eq("opportunityID", args.opportunityID),
        args.searchTerm &&
          (/^\d+$/.test(args.searchTerm.trim())
            ? f.or(f.contains("name", args.searchTerm.trim()), f.eq("quoteNumber", Number(args.searchTerm.trim())))
            : f.contains("name", args.searchTerm.trim())),
      ]),
  }),

  createTool({
    name: "autotask_create_quote",
    title: "Create quote",
    description:
      "Creates a quote under opportunityID, else the company's only open opportunity (none or several: refused with the list).",
    toolset: "finance",
    category: "financial",
    entity: "Quotes",
    args: {
      name: text('Default "Quote for <company name>"', 100).optional(),
      description: text().optional(),
      companyID: id(),
      contactID: id().optional(),
      opportunityID: id().optional(),
      effectiveDate: day("Default today").optional(),
      expirationDate: day("Default effectiveDate + 30 days").optional(),
    },
    async build(args, ctx) {
      const effective = args.effectiveDate ?? today();
      const expiration = args.expirationDate ?? addDays(effective, 30);
      checkOrder("effectiveDate", effective, "expirationDate", expiration);
      let name = args.name;
      if (name === undefined || args.opportunityID === undefined) {
        const company = await ctx.client.get<Row>("Companies", args.companyID);
        if (!company) throw notFound("Company", args.companyID);
        name ??= `Quote for ${String(company.companyName)}`;
      }
      return {
        name,
        description: args.description,
        companyID: args.companyID,
        contactID: args.contactID,
        opportunityID: args.opportunityID ?? (await soleOpenOpportunity(ctx, args.companyID)),
        effectiveDate: effective,
        expirationDate: expiration,
      };
    },
  }),

  getTool({
    name: "autotask_get_quote_item",
    title: "Get quote item",
    description: "One quote line with its type, linked catalog item, quantity, prices and discounts.",
    toolset: "finance",
    category: "financial",
    entity: "QuoteItems",
    idArg: "quoteItemID",
  }),

  searchTool({
    name: "autotask_search_quote_items",
    title: "Search quote items",
    description: "Finds quote lines, usually of one quote (quoteID), in the order added.",
    toolset: "finance",
    category: "financial",
    entity: "QuoteItems",
    args: {
      quoteID: id().optional(),
      searchTerm: searchTerm("Or part of the description").optional(),
    },
    filters: (args) =>
      compact([
        args.quoteID !== undefined && f.eq("quoteID", args.quoteID),
        args.searchTerm && f.or(f.contains("name", args.searchTerm.trim()), f.contains("description", args.searchTerm.trim())),
      ]),
  }),

  createTool({
    name: "autotask_create_quote_item",
    title: "Add quote item",
    description:
      "Adds a line to a quote. productID, serviceID or serviceBundleID give its type, name, price and cost; other lines (labor …) need quoteItemType.",
    toolset: "finance",
    category: "financial",
    entity: "QuoteItems",
    parentArg: "quoteID",
    args: {
      quoteID: id(),
      name: text(255).optional(),
      description: text().optional(),
      quantity: num(),
      unitCost: num().optional(),
      ...priceFields,
      serviceID: id().optional(),
      productID: id().optional(),
      serviceBundleID: id().optional(),
      quoteItemType: picklist().optional(),
    },
    async build(args, ctx) {
      const { quoteID, sortOrderID, quoteItemType, ...rest } = args;
      refuseSortOrder(sortOrderID);
      const { type, row } = await linkedCatalogItem(ctx, args, quoteItemType);
      return {
        ...rest,
        quoteID: quoteID,
        quoteItemType: type,
        name: args.name ?? (row ? String(row.name) : undefined),
        unitPrice: args.unitPrice ?? row?.unitPrice,
        unitCost: args.unitCost ?? row?.unitCost,
        isOptional: args.isOptional ?? false,
      };
    },
  }),

  updateTool({
    name: "autotask_update_quote_item",
    title: "Update quote item",
    description: "Changes a quote line's quantity, prices, discounts, isOptional, name or description.",
    toolset: "finance",
    category: "financial",
    entity: "QuoteItems",
    idArg: "quoteItemID",
    args: {
      quantity: num().optional(),
      ...priceFields,
      name: text(255).optional(),
      description: text().optional(),
    },
    build(args) {
      const { sortOrderID, ...rest } = args;
      refuseSortOrder(sortOrderID);
      return rest;
    },
  }),

  deleteTool({
    name: "autotask_delete_quote_item",
    title: "Delete quote item",
    description: "Removes a line from a quote. Needs confirm: true.",
    toolset: "finance",
    category: "financial",
    entity: "QuoteItems",
    idArgs: ["quoteItemID"],
    parentArg: "quoteID",
  }),
];
