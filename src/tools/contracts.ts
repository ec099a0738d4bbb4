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
      "Finds contracts by company, status, name or number; autotask_get_contract adds services and block hours.",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    args: {
      searchTerm: searchTerm("Or the start of the number").optional(),
      companyID: id().optional(),
      status: picklist().optional(),
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
      "One contract in full, with its recurring services and blocks of prepaid hours (purchased, approved, remaining).",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    idArg: "contractId",
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
      "Finds invoices by company, number, date or voided state; autotask_get_invoice_details shows the lines.",
    toolset: "finance",
    category: "financial",
    entity: "Invoices",
    args: {
      companyID: id().optional(),
      invoiceNumber: text("Exact", 50).optional(),
      isVoided: bool().optional(),
      invoiceDateAfter: instant().optional(),
      invoiceDateBefore: instant("Exclusive").optional(),
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
      "One invoice with its lines (the billing items posted to it) and subtotal, tax and total.",
    toolset: "finance",
    category: "meta",
    entity: "Invoices",
    idArg: "invoiceId",
    idDescription: "Not the invoice number",
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
