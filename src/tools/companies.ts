/**
 * Companies (Autotask "accounts"): search, one company in full, create, update, and the per-company
 * site configuration whose values live in tenant-defined user-defined fields.
 *
 * Autotask needs companyName, companyType, ownerResourceID and phone to create a company; the
 * original required only the first two. The owner defaults to the API user's resource, and a
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
import { apiUserResourceId } from "./lookups.ts";
import { activeValues, listValues } from "./picklists.ts";

const COMPANY_ID = "Company ID (from autotask_search_companies)";
const SITE = "CompanySiteConfigurations";

/** Address and contact fields shared by create and update, with the original's argument names. */
const addressFields = {
  phone: text("Main phone number", 25).optional(),
  address1: text("Street address, first line", 128).optional(),
  address2: text("Street address, second line", 128).optional(),
  city: text("City", 30).optional(),
  state: text("State, province or region", 25).optional(),
  postalCode: text("Postal / ZIP code", 10).optional(),
  webAddress: text("Web site, e.g. https://www.example.com", 255).optional(),
  userDefinedFields: udfs().optional(),
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
      "The site configuration record(s) of one company (usually one per site): the tenant-defined settings such as ISP, firewall or Wi-Fi details, shown as `settings` {field name: value} with empty fields as null, plus `fields`: every setting this tenant defines (type, allowed values). Call it before autotask_update_company_site_configuration to get the record id and the exact field names.",
    toolset: "companies",
    category: "companies",
    input: z.object({ companyId: id("Company ID", "from autotask_search_companies") }),
    output: z.object({
      entity: z.string(),
      companyId: z.number(),
      companyName: z.string().optional(),
      items: z.array(row),
      fields: z.array(row),
      hint: z.string().optional(),
    }),
    annotations: { readOnly: true },
    async run(args, ctx) {
      const [{ items }, available] = await Promise.all([
        ctx.client.queryAll<Row>(SITE, { filter: [f.eq("companyID", args.companyId)] }, 100),
        siteUdfs(ctx),
      ]);
      if (items.length === 0) {
        const company = await ctx.client.get<Row>("Companies", args.companyId);
        if (!company) throw notFound("Company", args.companyId);
        return {
          entity: SITE,
          companyId: args.companyId,
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
        companyId: args.companyId,
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
      'Changes settings on one site configuration record. `updates` maps field names to new values, e.g. {"Primary ISP": "AT&T Fiber 1G", "Wi-Fi SSID": "Acme-Staff"}; names are the tenant\'s setting names from autotask_get_company_site_configuration (case-insensitive) or locationName; null clears a value. Unknown names are refused with the allowed list, picklist settings are checked. Only the given settings change. Returns the record with its new settings.',
    toolset: "companies",
    category: "companies",
    input: z.object({
      id: id("Site configuration record ID", "the `id` of an item from autotask_get_company_site_configuration"),
      updates: z
        .record(z.string(), z.unknown())
        .describe('Settings to change as {"<field name>": value}; null clears a setting. Field names come from autotask_get_company_site_configuration'),
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
      "Finds companies (clients, prospects, vendors …) by name, in id order, with the owner's name and the company type's label. Use it to get a companyID for tickets, contacts and notes; autotask_get_company shows one company in full.",
    toolset: "companies",
    category: "companies",
    entity: "Companies",
    args: {
      searchTerm: searchTerm("the company name (contains)").optional(),
      isActive: bool("true: only active companies; false: only inactive ones; omit for both").optional(),
      companyType: picklist("Only this company type value (autotask_list_picklist Companies companyType)").optional(),
      ownerResourceID: id("Only companies owned by this resource", "from autotask_search_resources").optional(),
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
      "One company with every field that has a value (address, phone, type, owner, classification, user-defined fields), names next to ids. includeRelated: true adds its locations and how many active contacts it has (two more requests).",
    toolset: "companies",
    category: "companies",
    entity: "Companies",
    idArg: "companyId",
    idDescription: COMPANY_ID,
    args: { includeRelated: bool("Also list its locations and count its active contacts (default false)").optional() },
    async shape(item, args, ctx) {
      if (!args.includeRelated) return item;
      const companyId = args.companyId as number;
      const [locations, activeContacts] = await Promise.all([
        ctx.client.queryAll<Row>("CompanyLocations", { filter: [f.eq("companyID", companyId)], includeFields: entityDef("CompanyLocations").summary }, 50),
        ctx.client.count("Contacts", [f.eq("companyID", companyId), f.eq("isActive", 1)]),
      ]);
      const rows = (await present(ctx, "CompanyLocations", locations.items)).map(({ companyID: _id, companyName: _name, ...location }) => location);
      return { ...item, locations: rows, activeContacts };
    },
  }),

  createTool({
    name: "autotask_create_company",
    title: "Create company",
    description:
      "Creates a company. Autotask requires a phone number (refused without one) and an owner: ownerResourceID defaults to the API user's resource. companyType is checked against the tenant's values (autotask_list_picklist Companies companyType); isActive defaults to true. Autotask adds a primary location and a site configuration by itself. Returns the new company.",
    toolset: "companies",
    category: "companies",
    entity: "Companies",
    args: {
      companyName: text("Company name", 100),
      companyType: picklist("Company type value (autotask_list_picklist Companies companyType)"),
      ...addressFields,
      phone: text("Main phone number (Autotask requires it)", 25).optional(),
      ownerResourceID: id("Account owner", "from autotask_search_resources; default: the API user's resource").optional(),
      isActive: bool("Active (default true)").optional(),
    },
    async build(args, ctx) {
      if (!args.phone?.trim()) {
        throw new ToolError("Autotask requires phone to create a company: pass phone (the company's main number). Nothing was created.");
      }
      const ownerResourceID = args.ownerResourceID ?? (await apiUserResourceId(ctx));
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
      "Changes only the given fields of a company: name, phone, address, web site, type, owner, active flag, user-defined fields. Values are checked against the tenant before sending. Returns which fields changed.",
    toolset: "companies",
    category: "companies",
    entity: "Companies",
    idArg: "id",
    idDescription: COMPANY_ID,
    args: {
      companyName: text("New company name", 100).optional(),
      ...addressFields,
      isActive: bool("false deactivates the company, true reactivates it").optional(),
      companyType: picklist("Company type value (autotask_list_picklist Companies companyType)").optional(),
      ownerResourceID: id("New account owner", "from autotask_search_resources").optional(),
    },
    build: (args) => args,
  }),

  ...siteConfigTools,
];
