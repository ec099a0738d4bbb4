/**
 * Companies (Autotask "accounts"): search, one company in full, create, update, and the per-company
 * site configuration whose values live in tenant-defined user-defined fields.
 *
 * Autotask needs companyName, companyType, ownerResourceID and phone to create a company; the
 * original required only the first two. The owner defaults to the acting person's resource, and a
 * missing phone is refused with an explanation instead of an Autotask validation error.
 */
import { z } from "zod";
import type { Row, UdfInfo } from "../autotask/client.ts";
import { toAutotaskDate } from "../autotask/dates.ts";
import { entity as entityDef } from "../autotask/entities.ts";
import { compact, f } from "../autotask/filter.ts";
import type { ToolContext } from "../context.ts";
import { bool, id, picklist, searchTerm, text, udfs } from "./args.ts";
import { createTool, getTool, notFound, searchTool, updateTool, writeOutput } from "./crud.ts";
import { defineTool, ToolError, type Tool } from "./define.ts";
import { present, presentOne, type Record_ } from "./format.ts";
import { actingResourceId } from "./lookups.ts";
import { activeValues, listValues } from "./picklists.ts";

const SITE = "CompanySiteConfigurations";

/** Address and contact fields shared by create and update, with the original's argument names. */
const addressFields = {
  phone: text(25).optional(),
  address1: text(128).optional(),
  address2: text(128).optional(),
  city: text(30).optional(),
  state: text(25).optional(),
  postalCode: text(10).optional(),
  webAddress: text(255).optional(),
  userDefinedFields: udfs().optional(),
};

/**
 * Billing, tax and template settings the original's newer update_company takes, by Autotask's field
 * names. purchaseOrderTemplateID is not a Companies field: accepted so old calls parse, then refused.
 */
const billingFields = {
  countryID: id().optional(),
  classification: picklist().optional(),
  billingAddress1: text().optional(),
  billingAddress2: text().optional(),
  billToAttention: text().optional(),
  billToAddressToUse: picklist().optional(),
  billToCity: text().optional(),
  billToState: text().optional(),
  billToZipCode: text().optional(),
  billToCountryID: id().optional(),
  billToCompanyLocationID: id().optional(),
  taxRegionID: id().optional(),
  taxID: text().optional(),
  isTaxExempt: bool().optional(),
  invoiceTemplateID: id().optional(),
  invoiceMethod: picklist().optional(),
  invoiceEmailMessageID: id().optional(),
  quoteTemplateID: id().optional(),
  quoteEmailMessageID: id().optional(),
  purchaseOrderTemplateID: id().optional(),
};

// ---------------------------------------------------------------------------------------------
// Site configurations: the values are UDFs whose names are tenant data, so every key is checked
// against the tenant's own UDF list before anything is sent.

function siteUdfs(ctx: ToolContext): Promise<UdfInfo[]> {
  return ctx.cache.memo(`udfs:${SITE}`, () => ctx.client.udfInfo(SITE));
}

/** Writable standard fields of a site configuration (companyID is its parent, not editable). */
const SITE_FIELDS = entityDef(SITE)
  .fields.filter((field) => !field.readOnly && field.type !== "udfs" && field.name !== "id" && field.name !== "companyID")
  .map((field) => field.name);

/** One configuration as a model reads it: every available setting by name, empty ones as null. */
function readableSite(row: Row, presented: Record_, available: UdfInfo[]): Record_ {
  const values = new Map(
    (Array.isArray(row.userDefinedFields) ? (row.userDefinedFields as Array<{ name: string; value: unknown }>) : []).map((udf) => [udf.name, udf.value]),
  );
  const settings: Record_ = {};
  for (const udf of available) settings[udf.name] = values.get(udf.name) ?? null;
  for (const [name, value] of values) if (!(name in settings)) settings[name] = value ?? null;
  const { userDefinedFields: _ignored, ...rest } = presented;
  return { ...rest, settings };
}

function describeUdf(udf: UdfInfo): Record_ {
  const values = udf.isPickList ? activeValues(udf.picklistValues ?? []).map((value) => value.value) : [];
  return {
    name: udf.name,
    type: udf.type ?? "string",
    ...(udf.description ? { description: udf.description } : {}),
    ...(values.length ? { allowedValues: values } : {}),
  };
}

function udfValue(udf: UdfInfo, value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "object") throw new ToolError(`${udf.name}: give a text, number or boolean value, not ${JSON.stringify(value)}.`);
  const type = (udf.type ?? "string").toLowerCase();
  const raw = String(value).trim();
  if (udf.isPickList && udf.picklistValues?.length) {
    const match = activeValues(udf.picklistValues).find((option) => option.value.toLowerCase() === raw.toLowerCase() || option.label.toLowerCase() === raw.toLowerCase());
    if (!match) throw new ToolError(`${udf.name} "${raw}" is not allowed on this tenant. Allowed: ${listValues(udf.picklistValues)}.`);
    return match.value;
  }
  if ((type === "double" || type === "decimal" || type === "integer") && !Number.isFinite(Number(raw))) {
    throw new ToolError(`${udf.name} must be a number, got ${JSON.stringify(value)}.`);
  }
  if (type === "datetime") {
    // Date UDFs hold a calendar day (Autotask shows them without a time): never shifted by a zone.
    const date = toAutotaskDate("date", raw);
    if (!date) throw new ToolError(`${udf.name} must be an ISO 8601 date (e.g. 2026-11-26), got ${JSON.stringify(value)}.`);
    return date;
  }
  return raw;
}

/** `updates` -> the PATCH body: standard fields by their real name, everything else as UDFs. */
function siteChanges(updates: Record<string, unknown>, available: UdfInfo[]): { body: Record<string, unknown>; changed: string[] } {
  const allowed = [...SITE_FIELDS, ...available.map((udf) => udf.name)];
  const body: Record<string, unknown> = {};
  const udfChanges = new Map<string, string | null>();
  const unknown: string[] = [];
  const setUdf = (name: string, value: unknown) => {
    const udf = available.find((candidate) => candidate.name.toLowerCase() === name.trim().toLowerCase() || candidate.label?.toLowerCase() === name.trim().toLowerCase());
    if (!udf) unknown.push(name);
    else udfChanges.set(udf.name, udfValue(udf, value));
  };
  for (const [key, value] of Object.entries(updates)) {
    if (key.toLowerCase() === "userdefinedfields") {
      // The original passed `updates` through as the body, so callers may send Autotask's own shape.
      const entries = Array.isArray(value)
        ? (value as Array<{ name?: unknown; value?: unknown }>).map((entry) => [String(entry?.name ?? ""), entry?.value] as const)
        : value && typeof value === "object"
          ? Object.entries(value as Record<string, unknown>)
          : undefined;
      if (!entries) throw new ToolError('updates.userDefinedFields must be [{name, value}] or {"<field name>": value}.');
      for (const [name, udfValue] of entries) setUdf(name, udfValue);
      continue;
    }
    const standard = SITE_FIELDS.find((name) => name.toLowerCase() === key.trim().toLowerCase());
    if (standard) body[standard] = value === null ? null : String(value);
    else setUdf(key, value);
  }
  if (unknown.length) {
    throw new ToolError(
      `Unknown site configuration field${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => `"${name}"`).join(", ")}. Allowed: ${allowed.join(", ")}. Nothing was changed.`,
    );
  }
  if (udfChanges.size) body.userDefinedFields = [...udfChanges].map(([name, value]) => ({ name, value }));
  const changed = [...Object.keys(body).filter((key) => key !== "userDefinedFields"), ...udfChanges.keys()];
  if (!changed.length) throw new ToolError(`updates is empty: pass at least one of ${allowed.join(", ")}.`);
  return { body, changed };
}

const row = z.record(z.string(), z.unknown());

const siteConfigTools: Tool[] = [
  defineTool({
    name: "autotask_get_company_site_configuration",
    title: "Get company site configuration",
    description:
      "A company's site configuration: its tenant-defined settings (ISP, firewall, Wi-Fi …) as `settings`, and `fields`, every setting defined.",
    toolset: "companies",
    category: "companies",
    input: z.object({ companyID: id() }),
    output: z.object({
      entity: z.string(),
      companyID: z.number(),
      companyName: z.string().optional(),
      items: z.array(row),
      fields: z.array(row),
      hint: z.string().optional(),
    }),
    annotations: { readOnly: true },
    async run(args, ctx) {
      const [{ items }, available] = await Promise.all([
        ctx.client.queryAll<Row>(SITE, { filter: [f.eq("companyID", args.companyID)] }, 100),
        siteUdfs(ctx),
      ]);
      if (items.length === 0) {
        const company = await ctx.client.get<Row>("Companies", args.companyID);
        if (!company) throw notFound("Company", args.companyID);
        return {
          entity: SITE,
          companyID: args.companyID,
          ...(typeof company.companyName === "string" ? { companyName: company.companyName } : {}),
          items: [],
          fields: available.map(describeUdf),
          hint: "This company has no site configuration record; Autotask creates one with the company (the API cannot create it).",
        };
      }
      const presented = await present(ctx, SITE, items);
      const configs = items.map((item, index) => readableSite(item, presented[index]!, available));
      const companyName = configs.find((config) => typeof config.companyName === "string")?.companyName as string | undefined;
      return {
        entity: SITE,
        companyID: args.companyID,
        ...(companyName ? { companyName } : {}),
        items: configs,
        fields: available.map(describeUdf),
      };
    },
  }),

  defineTool({
    name: "autotask_update_company_site_configuration",
    title: "Update company site configuration",
    description:
      "Changes settings of a site configuration (id and names: autotask_get_company_site_configuration).",
    toolset: "companies",
    category: "companies",
    input: z.object({
      id: id(),
      updates: z.record(z.string(), z.unknown()).describe('{"Primary ISP": "AT&T Fiber"}: setting names (any case) or locationName; null clears'),
    }),
    output: writeOutput,
    annotations: { readOnly: false, idempotent: true },
    async run(args, ctx) {
      const [existing, available] = await Promise.all([ctx.client.get<Row>(SITE, args.id), siteUdfs(ctx)]);
      if (!existing) throw notFound("Site configuration", args.id);
      const { body, changed } = siteChanges(args.updates, available);
      await ctx.client.update(SITE, { ...body, id: args.id }, existing.companyID as number);
      const after = (await ctx.client.get<Row>(SITE, args.id)) ?? existing;
      const item = readableSite(after, await presentOne(ctx, SITE, after), available);
      return { entity: SITE, id: args.id, updated: changed, message: `Updated site configuration ${args.id}: ${changed.join(", ")}`, item };
    },
  }),
];

// ---------------------------------------------------------------------------------------------

export const companyTools: Tool[] = [
  searchTool({
    name: "autotask_search_companies",
    title: "Search companies",
    description:
      "Finds companies (clients, prospects, vendors) by name: the source of companyID.",
    toolset: "companies",
    untrusted: true,
    category: "companies",
    entity: "Companies",
    args: {
      searchTerm: searchTerm().optional(),
      isActive: bool().optional(),
      companyType: picklist().optional(),
      ownerResourceID: id().optional(),
    },
    filters: (args) =>
      compact([
        args.searchTerm && f.contains("companyName", args.searchTerm.trim()),
        args.isActive !== undefined && f.eq("isActive", args.isActive),
        args.companyType !== undefined && f.eq("companyType", args.companyType),
        args.ownerResourceID !== undefined && f.eq("ownerResourceID", args.ownerResourceID),
      ]),
  }),

  getTool({
    name: "autotask_get_company",
    title: "Get company",
    description:
      "One company: address, phone, type, owner, classification, UDFs.",
    toolset: "companies",
    untrusted: true,
    category: "companies",
    entity: "Companies",
    idArg: "companyID",
    args: { includeRelated: bool("Add locations and active contact count (2 requests)").optional() },
    async shape(item, args, ctx) {
      if (!args.includeRelated) return item;
      const companyID = args.companyID as number;
      const [locations, activeContacts] = await Promise.all([
        ctx.client.queryAll<Row>("CompanyLocations", { filter: [f.eq("companyID", companyID)], includeFields: entityDef("CompanyLocations").summary }, 50),
        ctx.client.count("Contacts", [f.eq("companyID", companyID), f.eq("isActive", 1)]),
      ]);
      const rows = (await present(ctx, "CompanyLocations", locations.items)).map(({ companyID: _id, companyName: _name, ...location }) => location);
      return { ...item, locations: rows, activeContacts };
    },
  }),

  createTool({
    name: "autotask_create_company",
    title: "Create company",
    description:
      "Creates a company; Autotask requires phone. ownerResourceID defaults to you.",
    toolset: "companies",
    category: "companies",
    entity: "Companies",
    args: {
      companyName: text(100),
      companyType: picklist(),
      ...addressFields,
      ownerResourceID: id().optional(),
      isActive: bool().optional(),
    },
    async build(args, ctx) {
      if (!args.phone?.trim()) {
        throw new ToolError("Autotask requires phone to create a company: pass phone (the company's main number). Nothing was created.");
      }
      const ownerResourceID = args.ownerResourceID ?? (await actingResourceId(ctx));
      if (!ownerResourceID) {
        throw new ToolError("Autotask requires ownerResourceID (the account owner) and the API user has no resource record: pass ownerResourceID from autotask_search_resources.");
      }
      return { ...args, ownerResourceID, isActive: args.isActive ?? true };
    },
  }),

  updateTool({
    name: "autotask_update_company",
    title: "Update company",
    description:
      "Changes a company: name, phone, addresses, type, owner, billing, tax, templates, UDFs; isActive: false deactivates it.",
    toolset: "companies",
    category: "companies",
    entity: "Companies",
    idArg: "id",
    args: {
      companyName: text(100).optional(),
      ...addressFields,
      isActive: bool().optional(),
      companyType: picklist().optional(),
      ownerResourceID: id().optional(),
      ...billingFields,
    },
    build({ purchaseOrderTemplateID, ...args }) {
      if (purchaseOrderTemplateID !== undefined) {
        throw new ToolError("purchaseOrderTemplateID: Autotask companies have no purchase order template (it is chosen on each purchase order). Leave it out; nothing was changed.");
      }
      return args;
    },
  }),

  ...siteConfigTools,
];
