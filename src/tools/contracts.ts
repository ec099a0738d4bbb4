/**
 * Contracts and invoices: searches, a contract with its services and block hours, and an invoice with
 * the billing items posted to it as line items (with names and totals).
 */
import type { Row } from "../autotask/client.ts";
import { compact, f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, id, instant, picklist, searchTerm, text } from "./args.ts";
import { getTool, searchTool } from "./crud.ts";
import type { Tool } from "./define.ts";
import { present, type Record_ } from "./format.ts";

const COMPANY = "from autotask_search_companies";
const LINE_FIELDS = [
  "id",
  "itemName",
  "description",
  "billingItemType",
  "ticketID",
  "taskID",
  "projectID",
  "contractID",
  "roleID",
  "itemDate",
  "quantity",
  "rate",
  "extendedPrice",
  "taxDollars",
  "totalAmount",
];

const round = (value: number) => Math.round(value * 100) / 100;
const sum = (rows: Record_[], field: string) => round(rows.reduce((total, row) => total + (Number(row[field]) || 0), 0));

async function related(ctx: ToolContext, entityName: string, field: string, value: number, fields?: string[], cap = 500) {
  const { items, truncated } = await ctx.client.queryAll<Row>(entityName, { filter: [f.eq(field, value)], includeFields: fields }, cap);
  return { rows: await present(ctx, entityName, items), truncated };
}

export const contractTools: Tool[] = [
  searchTool({
    name: "autotask_search_contracts",
    title: "Search contracts",
    description:
      "Finds contracts, oldest first, with company name, status / type / category labels, dates and estimated revenue. Filters combine with AND. Use autotask_get_contract for a contract's services and block hours.",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    args: {
      searchTerm: searchTerm("contract name, or the start of a contract number").optional(),
      companyID: id("Only contracts of this company", COMPANY).optional(),
      status: picklist("Only this status value (autotask_list_picklist Contracts status)").optional(),
    },
    filters: (args) =>
      compact([
        args.searchTerm && f.or(f.contains("contractName", args.searchTerm.trim()), f.beginsWith("contractNumber", args.searchTerm.trim())),
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.status !== undefined && f.eq("status", args.status),
      ]),
  }),

  getTool({
    name: "autotask_get_contract",
    title: "Get contract",
    description:
      "One contract with every field that has a value, plus its recurring services (with service names and prices) and its blocks of prepaid hours (purchased, approved and remaining hours), with totals.",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    idArg: "contractId",
    idDescription: "Contract ID (from autotask_search_contracts)",
    async shape(item, args, ctx) {
      const contractId = args.contractId as number;
      const [services, blocks] = await Promise.all([
        related(ctx, "ContractServices", "contractID", contractId, ["id", "serviceID", "unitPrice", "unitCost", "invoiceDescription"]),
        related(ctx, "ContractBlocks", "contractID", contractId, ["id", "datePurchased", "startDate", "endDate", "hours", "hourlyRate", "hoursApproved", "isPaid", "status"]),
      ]);
      const blockRows = blocks.rows.map((block) => ({ ...block, hoursRemaining: round((Number(block.hours) || 0) - (Number(block.hoursApproved) || 0)) }));
      return {
        ...item,
        services: services.rows,
        servicesTotal: { count: services.rows.length, unitPrice: sum(services.rows, "unitPrice"), unitCost: sum(services.rows, "unitCost") },
        blocks: blockRows,
        ...(blockRows.length
          ? { blockHours: { purchased: sum(blockRows, "hours"), approved: sum(blockRows, "hoursApproved"), remaining: sum(blockRows, "hoursRemaining") } }
          : {}),
      };
    },
  }),

  searchTool({
    name: "autotask_search_invoices",
    title: "Search invoices",
    description:
      "Finds invoices, oldest first, with company name, invoice number, dates, total, tax and paid / voided state. Filters combine with AND. autotask_get_invoice_details shows an invoice's line items.",
    toolset: "finance",
    category: "financial",
    entity: "Invoices",
    args: {
      companyID: id("Only invoices of this company", COMPANY).optional(),
      invoiceNumber: text("Only the invoice with this number (exact)", 50).optional(),
      isVoided: bool("true: only voided invoices; false: only valid ones").optional(),
      invoiceDateAfter: instant("Invoiced on or after").optional(),
      invoiceDateBefore: instant("Invoiced before").optional(),
    },
    filters: (args) =>
      compact([
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.invoiceNumber && f.eq("invoiceNumber", args.invoiceNumber.trim()),
        args.isVoided !== undefined && f.eq("isVoided", args.isVoided),
        args.invoiceDateAfter && f.gte("invoiceDateTime", args.invoiceDateAfter),
        args.invoiceDateBefore && f.lt("invoiceDateTime", args.invoiceDateBefore),
      ]),
  }),

  getTool({
    name: "autotask_get_invoice_details",
    title: "Get invoice with line items",
    description:
      "One invoice with its line items: the billing items posted to it (labor, charges, recurring services), each with item name, type label, ticket / project / contract names, quantity, rate and amounts, plus totals (subtotal, tax, total). Invoice ids come from autotask_search_invoices.",
    toolset: "finance",
    category: "meta",
    entity: "Invoices",
    idArg: "invoiceId",
    idDescription: "Invoice ID (from autotask_search_invoices; not the invoice number)",
    async shape(item, args, ctx) {
      const { rows, truncated } = await related(ctx, "BillingItems", "invoiceID", args.invoiceId as number, LINE_FIELDS, 2000);
      return {
        ...item,
        lineItems: rows,
        totals: { lineItemCount: rows.length, subtotal: sum(rows, "extendedPrice"), tax: sum(rows, "taxDollars"), total: sum(rows, "totalAmount") },
        ...(truncated ? { note: "The invoice has more than 2000 line items: only the first 2000 are shown and summed." } : {}),
      };
    },
  }),
];
