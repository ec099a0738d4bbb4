/**
 * The catalog: what the MSP sells (products, services, service bundles) and what it manages at
 * clients (configuration items: devices, licences …). Read-only here; quotes and contracts point
 * at these ids.
 */
import { compact, f } from "../autotask/filter.ts";
import { bool, id, searchTerm } from "./args.ts";
import { getTool, searchTool } from "./crud.ts";
import type { Tool } from "./define.ts";

interface CatalogEntity {
  entity: string;
  /** "product", "service", "service bundle" */
  noun: string;
  plural: string;
  /** The original's tool name parts and id argument. */
  slug: string;
  slugPlural: string;
  idArg: string;
  what: string;
  usedBy: string;
}

/** get + search for a named catalog entity: search by name (contains) and active flag. */
function catalogPair(c: CatalogEntity): Tool[] {
  return [
    getTool({
      name: `autotask_get_${c.slug}`,
      title: `Get ${c.noun}`,
      description: `One ${c.noun} with every field that has a value (${c.what}) and labels next to picklist values.`,
      toolset: "catalog",
      category: "products_and_services",
      entity: c.entity,
      idArg: c.idArg,
      idDescription: `${c.noun[0]!.toUpperCase()}${c.noun.slice(1)} ID (from autotask_search_${c.slugPlural})`,
    }),
    searchTool({
      name: `autotask_search_${c.slugPlural}`,
      title: `Search ${c.plural}`,
      description: `Finds ${c.plural} in the catalog by name, in id order, with price and cost. ${c.usedBy} autotask_get_${c.slug} shows one in full.`,
      toolset: "catalog",
      category: "products_and_services",
      entity: c.entity,
      args: {
        searchTerm: searchTerm(`the ${c.noun} name (contains)`).optional(),
        isActive: bool(`true: only active ${c.plural}; false: only inactive ones; omit for both`).optional(),
      },
      filters: (args) =>
        compact([args.searchTerm && f.contains("name", args.searchTerm.trim()), args.isActive !== undefined && f.eq("isActive", args.isActive)]),
    }),
  ];
}

const COMPANY = "from autotask_search_companies";
const CI_ID = "Configuration item ID (from autotask_search_configuration_items)";

export const catalogTools: Tool[] = [
  ...catalogPair({
    entity: "Products",
    noun: "product",
    plural: "products",
    slug: "product",
    slugPlural: "products",
    idArg: "productId",
    what: "SKU, manufacturer, category, price, cost, MSRP, billing code",
    usedBy: "Use a product id as productID on quote items, charges and configuration items.",
  }),
  ...catalogPair({
    entity: "Services",
    noun: "service",
    plural: "services",
    slug: "service",
    slugPlural: "services",
    idArg: "serviceId",
    what: "period type, price, cost, billing code, SLA",
    usedBy: "Use a service id as serviceID on quote items and contracts.",
  }),
  ...catalogPair({
    entity: "ServiceBundles",
    noun: "service bundle",
    plural: "service bundles",
    slug: "service_bundle",
    slugPlural: "service_bundles",
    idArg: "serviceBundleId",
    what: "period type, price, cost, discounts, SLA",
    usedBy: "Use a bundle id as serviceBundleID on quote items and contracts.",
  }),

  searchTool({
    name: "autotask_search_configuration_items",
    title: "Search configuration items",
    description:
      "Finds configuration items (a client's devices, servers, network gear, licences) by name, serial number or asset number, by company and product, with company and product names. Use it to find the device a ticket is about; autotask_get_configuration_item shows one in full (RMM audit data, warranty, UDFs).",
    toolset: "catalog",
    category: "configuration_items",
    entity: "ConfigurationItems",
    args: {
      searchTerm: searchTerm("the reference title (device name), serial number or reference (asset) number").optional(),
      companyID: id("Only items of this company", COMPANY).optional(),
      isActive: bool("true: only active items; false: only inactive ones; omit for both").optional(),
      productID: id("Only items of this product", "from autotask_search_products").optional(),
      contactID: id("Only items used by this contact", "from autotask_search_contacts").optional(),
    },
    filters: (args) =>
      compact([
        args.searchTerm &&
          f.or(
            f.contains("referenceTitle", args.searchTerm.trim()),
            f.contains("serialNumber", args.searchTerm.trim()),
            f.contains("referenceNumber", args.searchTerm.trim()),
          ),
        args.companyID !== undefined && f.eq("companyID", args.companyID),
        args.isActive !== undefined && f.eq("isActive", args.isActive),
        args.productID !== undefined && f.eq("productID", args.productID),
        args.contactID !== undefined && f.eq("contactID", args.contactID),
      ]),
  }),

  getTool({
    name: "autotask_get_configuration_item",
    title: "Get configuration item",
    description:
      "One configuration item with every field that has a value: company, location, contact and product names, serial and asset numbers, install and warranty dates, RMM audit data (hostname, OS, IP, last user, patches, alerts) and user-defined fields.",
    toolset: "catalog",
    category: "configuration_items",
    entity: "ConfigurationItems",
    idArg: "configurationItemId",
    idDescription: CI_ID,
  }),
];
