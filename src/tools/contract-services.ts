/**
 * A contract's recurring lines: services (ContractServices) and service bundles
 * (ContractServiceBundles), the unit rows Autotask bills for them per period (…Units), and service
 * lines added and changed through their contract (Contracts/{id}/Services).
 *
 * Autotask's rules for service lines (docs, "ContractServices"), checked against the tenant's data
 * before anything is sent: they go on Recurring Service contracts only, and an existing line keeps its
 * service, cost and quote item — only its price and invoice text change.
 */
import type { Row } from "../autotask/client.ts";
import { f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { day, id, num, text } from "./args.ts";
import { createTool, notFound, searchTool, updateTool } from "./crud.ts";
import { onOrAfter, onOrBefore, today } from "./dates.ts";
import { ToolError, type Tool } from "./define.ts";
import { asValue, picklistOf } from "./picklists.ts";

const SERVICES = "ContractServices";

/** What an existing service line cannot change (Autotask docs: only the price and invoice text can). */
const FIXED = ["serviceID", "unitCost", "quoteItemID"] as const;
const CHANGEABLE = "unitPrice, internalCurrencyUnitPrice and invoiceDescription";

/**
 * The original sends `adjustedPrice`, which the REST ContractServices entity does not have: a
 * service line has one price the customer pays, unitPrice (inferred, as the sandbox models it;
 * bundles have a separate adjustedPrice). Taken as unitPrice, never dropped; refused when it
 * contradicts a unitPrice given with it.
 */
function priceOf(args: { unitPrice?: number; adjustedPrice?: number }): number | undefined {
  const { unitPrice, adjustedPrice } = args;
  if (adjustedPrice !== undefined && unitPrice !== undefined && adjustedPrice !== unitPrice) {
    throw new ToolError(
      `adjustedPrice (${adjustedPrice}) and unitPrice (${unitPrice}) differ, but a contract service has one price: Autotask's ContractServices entity has no adjustedPrice, and unitPrice is what the customer pays. Pass only unitPrice. Nothing was sent.`,
    );
  }
  return unitPrice ?? adjustedPrice;
}

/**
 * Refuses, before sending, a service line for a contract that is not a Recurring Service contract —
 * recognised by the tenant's contractType label. A tenant without such a label is left to Autotask.
 */
async function requireRecurringContract(ctx: ToolContext, contractId: number): Promise<void> {
  const contract = await ctx.client.get<Row>("Contracts", contractId);
  if (!contract) throw notFound("Contract", contractId);
  const types = await picklistOf(ctx, "Contracts", "contractType");
  const recurring = types.find((type) => /recurring/i.test(type.label));
  if (!recurring || String(contract.contractType) === recurring.value) return;
  const label = types.find((type) => type.value === String(contract.contractType))?.label ?? `type ${String(contract.contractType)}`;
  throw new ToolError(
    `Contract ${contractId} (${String(contract.contractName)}) is a ${label} contract: Autotask adds services only to ${recurring.label} contracts (contractType ${asValue(recurring.value)}). Find one with autotask_search_contracts contractType: ${asValue(recurring.value)}. Nothing was sent.`,
  );
}

/** Service fields the original's create and update accept, by their Autotask names. */
const lineFields = {
  unitCost: num().optional(),
  quoteItemID: id().optional(),
  internalCurrencyUnitPrice: num().optional(),
  adjustedPrice: num("Same as unitPrice").optional(),
  invoiceDescription: text().optional(),
};

/** A contract's lines of one kind (services or bundles). */
const lineSearch = (name: string, title: string, entity: string, description: string) =>
  searchTool({ name, title, description, toolset: "finance", category: "financial", entity, args: { contractID: id() }, filters: (args) => [f.eq("contractID", args.contractID)] });

/** A contract's unit rows of one kind for the billing period covering a day (default today). */
const unitSearch = (name: string, title: string, entity: string, description: string) =>
  searchTool({
    name,
    title,
    description,
    toolset: "finance",
    category: "financial",
    entity,
    args: { contractID: id(), activeOn: day("Default today").optional() },
    notes: true,
    filters(args) {
      const on = args.activeOn ?? today();
      const filter = [f.eq("contractID", args.contractID), onOrBefore("startDate", on), onOrAfter("endDate", on)];
      return args.activeOn ? filter : { filter, note: `activeOn ${on} (today, UTC)` };
    },
  });

export const contractServiceTools: Tool[] = [
  lineSearch(
    "autotask_search_contract_services",
    "Search contract services",
    SERVICES,
    "A contract's service lines; billed units: autotask_search_contract_service_units.",
  ),
  unitSearch(
    "autotask_search_contract_service_units",
    "Search contract service units",
    "ContractServiceUnits",
    "Units billed per service of a contract in the period covering activeOn.",
  ),
  lineSearch(
    "autotask_search_contract_service_bundles",
    "Search contract service bundles",
    "ContractServiceBundles",
    "A contract's service bundle lines (unit and adjusted price, cost).",
  ),
  unitSearch(
    "autotask_search_contract_service_bundle_units",
    "Search contract bundle units",
    "ContractServiceBundleUnits",
    "Units billed per service bundle of a contract in the period covering activeOn.",
  ),

  createTool({
    name: "autotask_create_contract_service",
    title: "Add contract service",
    description: "Adds a catalog service to a Recurring Service contract; unitPrice is the contract's price per unit.",
    toolset: "finance",
    category: "financial",
    entity: SERVICES,
    parentArg: "contractID",
    args: { contractID: id(), serviceID: id(), unitPrice: num(), ...lineFields },
    async build({ adjustedPrice, ...args }, ctx) {
      const unitPrice = priceOf({ unitPrice: args.unitPrice, adjustedPrice });
      await requireRecurringContract(ctx, args.contractID);
      return { ...args, unitPrice };
    },
  }),

  updateTool({
    name: "autotask_update_contract_service",
    title: "Update contract service",
    description: "Changes a contract service's price or invoiceDescription; its service, cost and quote item are fixed.",
    toolset: "finance",
    category: "financial",
    entity: SERVICES,
    idArg: "id",
    parentArg: "contractID",
    args: { serviceID: id().optional(), unitPrice: num().optional(), ...lineFields },
    async build({ adjustedPrice, ...args }, ctx, lineId, contractId) {
      const unitPrice = priceOf({ unitPrice: args.unitPrice, adjustedPrice });
      const line = await ctx.client.get<Row>(SERVICES, lineId);
      if (!line) throw notFound("ContractService", lineId);
      if (line.contractID !== contractId) {
        throw new ToolError(`Contract service ${lineId} is on contract ${String(line.contractID)}, not ${String(contractId)}: pass contractID ${String(line.contractID)}. Nothing was sent.`);
      }
      const changes: Record<string, unknown> = { ...args, unitPrice };
      for (const field of FIXED) {
        if (changes[field] === undefined || changes[field] === line[field]) {
          delete changes[field]; // unchanged: nothing to send
          continue;
        }
        throw new ToolError(
          `${field} cannot be changed on an existing contract service (it is ${JSON.stringify(line[field] ?? null)}); only ${CHANGEABLE} can. To sell another service, add it with autotask_create_contract_service. Nothing was sent.`,
        );
      }
      return changes;
    },
  }),
];
