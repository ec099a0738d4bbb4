/**
 * Contacts: the people at client companies. Contacts are children of companies: queried at their
 * own root, created and updated through Companies/{companyID}/Contacts. Their `isActive` is a
 * number in Autotask (1 active, 0 inactive), not a boolean — the original's argument type says so.
 */
import { compact, f } from "../autotask/filter.ts";
import { id, num, searchTerm, text } from "./args.ts";
import { createTool, getTool, searchTool, updateTool } from "./crud.ts";
import type { Tool } from "./define.ts";
import { CONTACT_NAME, personFilter } from "./people.ts";

const COMPANY = "from autotask_search_companies";
const CONTACT_ID = "Contact ID (from autotask_search_contacts)";

/** 1 or 0, as Autotask stores a contact's active flag. */
const activeFlag = (description: string) => num(description).refine((value) => value === 0 || value === 1, "must be 1 (active) or 0 (inactive)");

const contactFields = {
  emailAddress: text("Primary email address", 254).optional(),
  phone: text("Phone number", 25).optional(),
  mobilePhone: text("Mobile phone number", 25).optional(),
  title: text("Job title", 50).optional(),
};

export const contactTools: Tool[] = [
  searchTool({
    name: "autotask_search_contacts",
    title: "Search contacts",
    description:
      'Finds contacts (people at client companies) by name or email, optionally within one company, with the company name next to its id. A full name ("Ada Lovelace") matches first + last name. Use it to get a contactID for tickets and notes; autotask_get_contact shows one contact in full.',
    toolset: "contacts",
    category: "contacts",
    entity: "Contacts",
    args: {
      searchTerm: searchTerm("first name, last name, \"first last\" or email address").optional(),
      companyID: id("Only contacts of this company", COMPANY).optional(),
      isActive: activeFlag("1: only active contacts; 0: only inactive ones; omit for both").optional(),
    },
    filters: (args) =>
      compact([
        args.searchTerm && personFilter(args.searchTerm, CONTACT_NAME),
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.isActive !== undefined && f.eq("isActive", args.isActive),
      ]),
  }),

  getTool({
    name: "autotask_get_contact",
    title: "Get contact",
    description: "One contact with every field that has a value: company and location names, phones, email addresses, notes, user-defined fields.",
    toolset: "contacts",
    category: "contacts",
    entity: "Contacts",
    idArg: "contactId",
    idDescription: CONTACT_ID,
  }),

  createTool({
    name: "autotask_create_contact",
    title: "Create contact",
    description:
      "Adds a contact to a company (through the company, as Autotask requires). The contact is active unless isActive: 0. Returns the new contact.",
    toolset: "contacts",
    category: "contacts",
    entity: "Contacts",
    parentArg: "companyID",
    args: {
      companyID: id("Company the contact works for", COMPANY),
      firstName: text("First name", 50),
      lastName: text("Last name", 50),
      ...contactFields,
      isActive: activeFlag("1 active (default), 0 inactive").optional(),
    },
    build: (args) => ({ ...args, isActive: args.isActive ?? 1 }),
  }),

  updateTool({
    name: "autotask_update_contact",
    title: "Update contact",
    description:
      "Changes only the given fields of a contact (name, email, phones, title, active flag); the change goes through the contact's company as Autotask requires. isActive: 0 deactivates a contact who has left.",
    toolset: "contacts",
    category: "contacts",
    entity: "Contacts",
    idArg: "contactId",
    idDescription: CONTACT_ID,
    args: {
      firstName: text("First name", 50).optional(),
      lastName: text("Last name", 50).optional(),
      ...contactFields,
      isActive: activeFlag("1 active, 0 inactive").optional(),
    },
    build: (args) => args,
  }),
];
