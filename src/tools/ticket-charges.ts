/**
 * Ticket charges: materials, costs and expenses billed (or not) on a ticket. Charges are children of
 * tickets — created through Tickets/{id}/Charges, and updated/deleted there too (the client finds
 * the parent ticket when only the charge id is given). Status and charge type are tenant picklists.
 */
import { compact, f } from "../autotask/filter.ts";
import { bool, day, id, num, picklist, text , ticketId } from "./args.ts";
import { createTool, deleteTool, getTool, searchTool, updateTool } from "./crud.ts";
import type { Tool } from "./define.ts";
import { today } from "./dates.ts";
import { defaultValue } from "./picklists.ts";

const ENTITY = "TicketCharges";
const TICKET = "Ticket ID (numeric; from autotask_search_tickets)";
const CHARGE = "Charge ID (from autotask_search_ticket_charges)";

export const ticketChargeTools: Tool[] = [
  searchTool({
    name: "autotask_search_ticket_charges",
    title: "List ticket charges",
    description:
      "Lists charges (materials, costs, expenses) with their name, type and status labels, quantity, unit price/cost, purchase date and whether they are billable or already billed. Pass ticketId for one ticket's charges (the usual case); without it every charge on the tenant is searched. Returns 25 rows per page, oldest first; follow `page` for more.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    args: {
      ticketId: ticketId("Only charges on this ticket").optional(),
      status: picklist("Only charges with this status value (autotask_list_picklist TicketCharges status)").optional(),
      chargeType: picklist("Only charges of this type value (autotask_list_picklist TicketCharges chargeType)").optional(),
      isBilled: bool("true: only charges already billed; false: only charges not billed yet").optional(),
    },
    filters: (args) =>
      compact([
        args.ticketId !== undefined && f.eq("ticketID", args.ticketId),
        args.status !== undefined && f.eq("status", args.status),
        args.chargeType !== undefined && f.eq("chargeType", args.chargeType),
        args.isBilled !== undefined && f.eq("isBilled", args.isBilled),
      ]),
  }),

  getTool({
    name: "autotask_get_ticket_charge",
    title: "Get ticket charge",
    description:
      "One ticket charge in full: ticket, product, billing code, type and status (with labels), quantity, unit price and cost, billable and extended amounts, purchase order numbers and whether it has been billed. The id comes from autotask_search_ticket_charges.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    idArg: "chargeId",
    idDescription: CHARGE,
  }),

  createTool({
    name: "autotask_create_ticket_charge",
    title: "Add ticket charge",
    description:
      "Adds a charge (material, cost or expense) to a ticket. Defaults: unitQuantity 1, datePurchased today (UTC), status the tenant's default charge status, billableToAccount false (the charge is recorded but not billed to the customer — pass billableToAccount: true to bill it). chargeType and status are checked against the tenant's picklists (autotask_list_picklist TicketCharges chargeType / status); a wrong value returns the allowed ones. Returns the new charge with its amounts.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    parentArg: "ticketID",
    args: {
      ticketID: ticketId("Ticket to charge"),
      name: text("Charge name as it appears on the invoice, e.g. the product name", 255),
      description: text("Longer description").optional(),
      chargeType: picklist("Charge type value (autotask_list_picklist TicketCharges chargeType)"),
      unitQuantity: num("Quantity (default 1)").optional(),
      unitPrice: num("Price per unit billed to the customer").optional(),
      unitCost: num("Cost per unit to you").optional(),
      datePurchased: day("Purchase date (default today)").optional(),
      productID: id("Product", "from autotask_search_products").optional(),
      billingCodeID: id("Billing code (material/expense code) ID").optional(),
      billableToAccount: bool("Bill this charge to the customer (default false: recorded, not billed)").optional(),
      status: picklist("Status value (autotask_list_picklist TicketCharges status); default the tenant's default").optional(),
    },
    async build(args, ctx) {
      return {
        name: args.name,
        description: args.description,
        chargeType: args.chargeType,
        unitQuantity: args.unitQuantity ?? 1,
        unitPrice: args.unitPrice,
        unitCost: args.unitCost,
        datePurchased: args.datePurchased ?? today(),
        productID: args.productID,
        billingCodeID: args.billingCodeID,
        isBillableToCompany: args.billableToAccount ?? false,
        status: args.status ?? (await defaultValue(ctx, ENTITY, "status")),
      };
    },
  }),

  updateTool({
    name: "autotask_update_ticket_charge",
    title: "Update ticket charge",
    description:
      "Changes only the given fields of a ticket charge (name, quantity, prices, billable flag, status). The ticket is looked up from the charge, so only chargeId is needed. A charge that has been billed may be refused by Autotask.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    idArg: "chargeId",
    idDescription: CHARGE,
    args: {
      name: text("New charge name", 255).optional(),
      description: text("New description").optional(),
      unitQuantity: num("New quantity").optional(),
      unitPrice: num("New price per unit").optional(),
      unitCost: num("New cost per unit").optional(),
      billableToAccount: bool("Bill this charge to the customer (true) or not (false)").optional(),
      status: picklist("New status value (autotask_list_picklist TicketCharges status)").optional(),
    },
    build: ({ billableToAccount, ...fields }) => ({ ...fields, isBillableToCompany: billableToAccount }),
  }),

  deleteTool({
    name: "autotask_delete_ticket_charge",
    title: "Delete ticket charge",
    description:
      "Permanently deletes a charge from a ticket (through the ticket's Charges URL). Needs confirm: true. Charges that have already been billed cannot be deleted.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    parentArg: { name: "ticketId", description: TICKET },
    idArgs: ["chargeId"],
    idDescription: CHARGE,
  }),
];
