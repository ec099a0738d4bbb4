/**
 * Contracts and invoices: searches, a contract with its services and block hours, contract headers
 * created and changed, and an invoice with the billing items posted to it as line items (with names
 * and totals). Service lines are in contract-services.ts, reports in contract-reports.ts, the bulk
 * create in contract-bulk.ts.
 */
import { z } from "zod";
import type { Row } from "../autotask/client.ts";
import { compact, f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, day, id, instant, num, picklist, searchTerm, text } from "./args.ts";
import { createTool, getTool, searchTool, updateTool } from "./crud.ts";
import { checkOrder, onOrAfter, onOrBefore } from "./dates.ts";
import type { Tool } from "./define.ts";
import { present, type Record_ } from "./format.ts";
import { defaultValue } from "./picklists.ts";

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

/** An integer Autotask uses as a yes/no flag (its values are 0 and 1). */
const flag = () => num().refine((value) => value === 0 || value === 1, "must be 0 or 1");

/**
 * Every contract header field any line of the original accepts, by its Autotask name (they are the
 * same in every line), in the original's order.
 */
const HEADER = {
  companyID: id(),
  contractName: text(),
  contractType: picklist(),
  contractCategory: picklist(),
  startDate: day(),
  endDate: day(),
  contactID: id(),
  contractNumber: text(),
  contractPeriodType: picklist(),
  description: text(),
  estimatedCost: num(),
  estimatedHours: num(),
  estimatedRevenue: num(),
  setupFee: num(),
  overageBillingRate: num(),
  serviceLevelAgreementID: picklist(),
  purchaseOrderNumber: text(),
  opportunityID: id(),
  billingPreference: picklist(),
  billToCompanyID: id(),
  billToCompanyContactID: id(),
  exclusionContractID: id(),
  isDefaultContract: bool(),
  internalCurrencySetupFee: num(),
  internalCurrencyOverageBillingRate: num(),
  organizationalLevelAssociationID: id(),
  contractExclusionSetID: id(),
  renewedContractID: id(),
  setupFeeBillingCodeID: id(),
  status: picklist(),
  timeReportingRequiresStartAndStopTimes: flag(),
};

/** Every header field, optional: autotask_update_contract's arguments. */
const OPTIONAL_HEADER = z.object(HEADER).partial().shape;

/**
 * autotask_create_contract's arguments (and each item's of autotask_create_contracts_bulk): required
 * is what every line of the original requires, contractCategory included.
 */
const CREATE_ARGS = {
  ...OPTIONAL_HEADER,
  companyID: HEADER.companyID,
  contractName: HEADER.contractName,
  contractType: HEADER.contractType,
  contractCategory: HEADER.contractCategory,
  startDate: HEADER.startDate,
  endDate: HEADER.endDate,
};

/**
 * The body of a new contract: the arguments, plus what Autotask requires and the original never
 * asked for — status (the tenant's default) and timeReportingRequiresStartAndStopTimes (0).
 */
export async function contractBody(args: Record<string, unknown>, ctx: ToolContext): Promise<Record<string, unknown>> {
  checkOrder("startDate", args.startDate as string, "endDate", args.endDate as string);
  return {
    ...args,
    status: args.status ?? (await defaultValue(ctx, "Contracts", "status")),
    timeReportingRequiresStartAndStopTimes: args.timeReportingRequiresStartAndStopTimes ?? 0,
  };
}

export const createContract = createTool({
  name: "autotask_create_contract",
  title: "Create contract",
  description:
    "Creates a contract (then services: autotask_create_contract_service); status defaults to the tenant's, the time reporting flag to 0.",
  toolset: "finance",
  category: "financial",
  entity: "Contracts",
  args: CREATE_ARGS,
  build: (args, ctx) => contractBody(args, ctx),
});

export const contractTools: Tool[] = [
  searchTool({
    name: "autotask_search_contracts",
    title: "Search contracts",
    description:
      "Finds contracts by company, status, type, name or number, or end date; autotask_get_contract adds services and block hours.",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    args: {
      searchTerm: searchTerm("Or the start of the number").optional(),
      companyID: id().optional(),
      status: picklist().optional(),
      contractType: picklist().optional(),
      endDateFrom: day().optional(),
      endDateTo: day().optional(),
    },
    filters(args) {
      checkOrder("endDateFrom", args.endDateFrom, "endDateTo", args.endDateTo);
      return compact([
        args.searchTerm && f.or(f.contains("contractName", args.searchTerm.trim()), f.beginsWith("contractNumber", args.searchTerm.trim())),
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.status !== undefined && f.eq("status", args.status),
        args.contractType !== undefined && f.eq("contractType", args.contractType),
        args.endDateFrom && onOrAfter("endDate", args.endDateFrom),
        args.endDateTo && onOrBefore("endDate", args.endDateTo),
      ]);
    },
  }),

  getTool({
    name: "autotask_get_contract",
    title: "Get contract",
    description:
      "One contract with its recurring services and blocks of prepaid hours.",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    idArg: "id",
    // This server's spelling before the original named it `id`.
    aliases: { contractId: "id" },
    async shape(item, args, ctx) {
      const contractId = args.id as number;
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

  createContract,

  updateTool({
    name: "autotask_update_contract",
    title: "Update contract",
    description: "Changes a contract header; its services: autotask_update_contract_service.",
    toolset: "finance",
    category: "financial",
    entity: "Contracts",
    idArg: "id",
    args: OPTIONAL_HEADER,
    build(args) {
      checkOrder("startDate", args.startDate, "endDate", args.endDate);
      return args;
    },
  }),
];

/** Listed after every contract tool (tools/list and the README table read in registry order). */
export const invoiceTools: Tool[] = [
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
    idArg: "invoiceID",
    idDescription: "Not the invoice number",
    async shape(item, args, ctx) {
      const { rows, truncated } = await related(ctx, "BillingItems", "invoiceID", args.invoiceID as number, LINE_FIELDS, 2000);
      return {
        ...item,
        lineItems: rows,
        totals: { lineItemCount: rows.length, subtotal: sum(rows, "extendedPrice"), tax: sum(rows, "taxDollars"), total: sum(rows, "totalAmount") },
        ...(truncated ? { note: "The invoice has more than 2000 line items: only the first 2000 are shown and summed." } : {}),
      };
    },
  }),
];
