/**
 * Ticket charges: materials, costs and expenses billed (or not) on a ticket. Charges are children of
 * tickets — created through Tickets/{id}/Charges, and updated/deleted there too (the client finds
 * the parent ticket when only the charge id is given). Status and charge type are tenant picklists.
 */
import { compact, f } from "../autotask/filter.ts";
import { bool, day, id, num, picklist, text, ticketId } from "./args.ts";
import { createTool, deleteTool, getTool, searchTool, updateTool } from "./crud.ts";
import type { Tool } from "./define.ts";
import { today } from "./dates.ts";
import { defaultValue } from "./picklists.ts";

const ENTITY = "TicketCharges";

export const ticketChargeTools: Tool[] = [
  searchTool({
    name: "autotask_search_ticket_charges",
    title: "List ticket charges",
    description:
      "A ticket's charges (materials, costs, expenses), billable and billed; without ticketID, the whole tenant's.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    args: {
      ticketID: ticketId().optional(),
      status: picklist().optional(),
      chargeType: picklist().optional(),
      isBilled: bool().optional(),
    },
    filters: (args) =>
      compact([
        args.ticketID !== undefined && f.eq("ticketID", args.ticketID),
        args.status !== undefined && f.eq("status", args.status),
        args.chargeType !== undefined && f.eq("chargeType", args.chargeType),
        args.isBilled !== undefined && f.eq("isBilled", args.isBilled),
      ]),
  }),

  getTool({
    name: "autotask_get_ticket_charge",
    title: "Get ticket charge",
    description:
      "One ticket charge: product, billing code, prices, amounts, whether billed.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    idArg: "chargeID",
  }),

  createTool({
    name: "autotask_create_ticket_charge",
    title: "Add ticket charge",
    description:
      "Adds a charge (material, cost, expense) to a ticket, billed only with billableToAccount: true. Quantity 1, today by default.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    parentArg: "ticketID",
    args: {
      ticketID: ticketId(),
      name: text("As on the invoice, e.g. the product name", 255),
      description: text().optional(),
      chargeType: picklist(),
      unitQuantity: num().optional(),
      unitPrice: num("Billed to the customer").optional(),
      unitCost: num("Your cost").optional(),
      datePurchased: day().optional(),
      productID: id().optional(),
      billingCodeID: id("Material/expense code (autotask_query BillingCodes)").optional(),
      billableToAccount: bool().optional(),
      status: picklist().optional(),
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
      "Changes a ticket charge's name, quantity, prices, billableToAccount or status. Autotask may refuse a billed charge.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    idArg: "chargeID",
    args: {
      name: text(255).optional(),
      description: text().optional(),
      unitQuantity: num().optional(),
      unitPrice: num().optional(),
      unitCost: num().optional(),
      billableToAccount: bool().optional(),
      status: picklist().optional(),
    },
    build: ({ billableToAccount, ...fields }) => ({ ...fields, isBillableToCompany: billableToAccount }),
  }),

  deleteTool({
    name: "autotask_delete_ticket_charge",
    title: "Delete ticket charge",
    description:
      "Deletes a charge from a ticket; a billed charge cannot be deleted. Needs confirm: true.",
    toolset: "tickets",
    category: "tickets",
    entity: ENTITY,
    parentArg: "ticketID",
    idArgs: ["chargeID"],
  }),
];
