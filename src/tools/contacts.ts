/**
 * Contacts: the people at client companies. Contacts are children of companies: queried at their
 * own root, created and updated through Companies/{companyID}/Contacts. Their `isActive` is a
 * number in Autotask (1 active, 0 inactive), not a boolean — the original's argument type says so
 * (its newer update_contact took a boolean: both are accepted there).
 */
import { z } from "zod";
import { compact, f } from "../autotask/filter.ts";
import { bool, id, num, searchTerm, text, udfs } from "./args.ts";
import { createTool, getTool, searchTool, updateTool, withIdAlias } from "./crud.ts";
import type { Tool } from "./define.ts";
import { CONTACT_NAME, personFilter } from "./people.ts";
import { listAs } from "./schema.ts";

/** 1 or 0, as Autotask stores a contact's active flag (other entities' isActive is a boolean: say so). */
const activeFlag = () => num("1 active, 0 inactive").refine((value) => value === 0 || value === 1, "must be 1 (active) or 0 (inactive)");

/** update_contact's isActive: 1/0 as Autotask stores it, or true/false as the original's newer lines sent it. */
const activeFlagOrBool = () =>
  listAs(
    z.preprocess((value) => (value === true || value === "true" ? 1 : value === false || value === "false" ? 0 : value), activeFlag()),
    { type: ["number", "boolean"] },
  );

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
    untrusted: true,
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
    untrusted: true,
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

  // The original's newer lines take `id`; earlier versions of this server took contactId: both work.
  withIdAlias(
    updateTool({
      name: "autotask_update_contact",
      title: "Update contact",
      description:
        "Changes a contact: name, email, phones, title, address, primary flag, UDFs; isActive: 0 deactivates a leaver.",
      toolset: "contacts",
      category: "contacts",
      entity: "Contacts",
      idArg: "id",
      args: {
        firstName: text(50).optional(),
        lastName: text(50).optional(),
        ...contactFields,
        isActive: activeFlagOrBool().optional(),
        addressLine: text().optional(),
        addressLine1: text().optional(),
        city: text().optional(),
        state: text().optional(),
        zipCode: text().optional(),
        countryID: id().optional(),
        primaryContact: bool().optional(),
        userDefinedFields: udfs().optional(),
      },
      build: (args) => args,
    }),
    ["id", "contactID"],
  ),
];
