/**
 * The catalog: what the MSP sells (products, services, service bundles) and what it manages at
 * clients (configuration items: devices, licences …). Read-only here; quotes and contracts point
 * at these ids.
 */
import { compact, f } from "../autotask/filter.ts";
import { bool, id, picklist, searchTerm } from "./args.ts";
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
      description: `One ${c.noun} from the catalog: ${c.what}.`,
      toolset: "catalog",
      category: "products_and_services",
      entity: c.entity,
      idArg: c.idArg,
    }),
    searchTool({
      name: `autotask_search_${c.slugPlural}`,
      title: `Search ${c.plural}`,
      description: `Finds ${c.plural} in the catalog by name: ${c.usedBy}`,
      toolset: "catalog",
      category: "products_and_services",
      entity: c.entity,
      args: {
        searchTerm: searchTerm().optional(),
        isActive: bool().optional(),
      },
      filters: (args) =>
        compact([args.searchTerm && f.contains("name", args.searchTerm.trim()), args.isActive !== undefined && f.eq("isActive", args.isActive)]),
    }),
  ];
}


export const catalogTools: Tool[] = [
  ...catalogPair({
    entity: "Products",
    noun: "product",
    plural: "products",
    slug: "product",
    slugPlural: "products",
    idArg: "productID",
    what: "SKU, manufacturer, category, price, cost, MSRP, billing code",
    usedBy: "the source of productID (quote items, charges, configuration items).",
  }),
  ...catalogPair({
    entity: "Services",
    noun: "service",
    plural: "services",
    slug: "service",
    slugPlural: "services",
    idArg: "serviceID",
    what: "period type, price, cost, billing code, SLA",
    usedBy: "the source of serviceID (quote items, contracts).",
  }),
  ...catalogPair({
    entity: "ServiceBundles",
    noun: "service bundle",
    plural: "service bundles",
    slug: "service_bundle",
    slugPlural: "service_bundles",
    idArg: "serviceBundleID",
    what: "period type, price, cost, discounts, SLA",
    usedBy: "the source of serviceBundleID (quote items, contracts).",
  }),

  searchTool({
    name: "autotask_search_configuration_items",
    title: "Search configuration items",
    description:
      "Finds configuration items: a client's devices, servers, network gear, licences.",
    toolset: "catalog",
    untrusted: true,
    category: "configuration_items",
    entity: "ConfigurationItems",
    args: {
      searchTerm: searchTerm("Or the serial or asset number").optional(),
      companyID: id().optional(),
      isActive: bool().optional(),
      productID: id().optional(),
      contactID: id("Its user").optional(),
      configurationItemType: picklist().optional(),
      configurationItemCategoryID: picklist().optional(),
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
        args.configurationItemType !== undefined && f.eq("configurationItemType", args.configurationItemType),
        args.configurationItemCategoryID !== undefined && f.eq("configurationItemCategoryID", args.configurationItemCategoryID),
      ]),
  }),

  getTool({
    name: "autotask_get_configuration_item",
    title: "Get configuration item",
    description:
      "One configuration item in full, with RMM audit data (hostname, OS, IP, last user, patches), warranty and UDFs.",
    toolset: "catalog",
    untrusted: true,
    category: "configuration_items",
    entity: "ConfigurationItems",
    idArg: "configurationItemID",
  }),
];
