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

/** 1 or 0, as Autotask stores a contact's active flag (other entities' isActive is a boolean: say so). */
const activeFlag = () => num("1 active, 0 inactive").refine((value) => value === 0 || value === 1, "must be 1 (active) or 0 (inactive)");

const contactFields = {
  emailAddress: text(254).optional(),
  phone: text(25).optional(),
  mobilePhone: text(25).optional(),
  title: text("Job title", 50).optional(),
};

export const contactTools: Tool[] = [
  searchTool({
    name: "autotask_search_contacts",
    title: "Search contacts",
    description:
      "Finds contacts (people at client companies) by name or email: the source of contactID.",
    toolset: "contacts",
    category: "contacts",
    entity: "Contacts",
    args: {
      searchTerm: searchTerm('A name in any order ("Lovelace, Ada") or an email').optional(),
      companyID: id().optional(),
      isActive: activeFlag().optional(),
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
    description: "One contact: company, location, phones, email addresses, UDFs.",
    toolset: "contacts",
    category: "contacts",
    entity: "Contacts",
    idArg: "contactID",
  }),

  createTool({
    name: "autotask_create_contact",
    title: "Create contact",
    description:
      "Adds a contact (a person at a client company) to a company; active unless isActive: 0.",
    toolset: "contacts",
    category: "contacts",
    entity: "Contacts",
    parentArg: "companyID",
    args: {
      companyID: id(),
      firstName: text(50),
      lastName: text(50),
      ...contactFields,
      isActive: activeFlag().optional(),
    },
    build: (args) => ({ ...args, isActive: args.isActive ?? 1 }),
  }),

  updateTool({
    name: "autotask_update_contact",
    title: "Update contact",
    description:
      "Changes a contact's name, email, phones or title; isActive: 0 deactivates one who has left.",
    toolset: "contacts",
    category: "contacts",
    entity: "Contacts",
    idArg: "contactID",
    args: {
      firstName: text(50).optional(),
      lastName: text(50).optional(),
      ...contactFields,
      isActive: activeFlag().optional(),
    },
    build: (args) => args,
  }),
];
