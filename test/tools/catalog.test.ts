/**
 * Catalog tools (products, services, service bundles, configuration items) through the real CLI
 * over stdio against the sandbox: rows and names the user sees, and the filters Autotask received.
 */
import { describe, expect, test } from "bun:test";
import { queryFilters, useSandboxSession } from "../helpers/mcp.ts";

type Rec = Record<string, any>;
const ctx = useSandboxSession();

const ids = (rows: Rec[]) => rows.map((row) => row.id);

/** The filter of the last query sent to an entity since the previous call (there must be one). */
function filterSent(entity: string): unknown[] {
  const filters = queryFilters(ctx.requests(), entity);
  expect(filters.length).toBeGreaterThan(0);
  return filters.at(-1) as unknown[];
}

describe.each([
  { entity: "Products", search: "autotask_search_products", get: "autotask_get_product", idArg: "productId", term: "dell", label: ["productCategory", "productCategoryLabel"] },
  { entity: "Services", search: "autotask_search_services", get: "autotask_get_service", idArg: "serviceId", term: "managed", label: ["periodType", "periodTypeLabel"] },
  { entity: "ServiceBundles", search: "autotask_search_service_bundles", get: "autotask_get_service_bundle", idArg: "serviceBundleId", term: "bundle", label: ["periodType", "periodTypeLabel"] },
])("$entity", ({ entity, search, get, idArg, term, label }) => {
  test("search applies searchTerm (name contains) and isActive", async () => {
    const active = await ctx.ok(search, { searchTerm: term, isActive: true });
    const filter = filterSent(entity);
    expect(filter).toContainEqual({ op: "contains", field: "name", value: term });
    expect(filter).toContainEqual({ op: "eq", field: "isActive", value: true });
    const expected = ctx.store()
      .all(entity)
      .filter((row) => String(row.name).toLowerCase().includes(term) && row.isActive === true);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(active.items)).toEqual(ids(expected));
    expect(active.items[0].unitPrice).toBe(expected[0]!.unitPrice);

    const inactive = await ctx.ok(search, { isActive: false });
    expect(filterSent(entity)).toEqual([{ op: "eq", field: "isActive", value: false }]);
    expect(ids(inactive.items)).toEqual(ids(ctx.store().all(entity).filter((row) => row.isActive === false)));
    expect(inactive.items.length).toBeGreaterThan(0);
  });

  test("search pages; get shows one record with picklist labels; unknown ids are reported", async () => {
    const page = await ctx.ok(search, { pageSize: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.page).toMatchObject({ hasMore: true, nextPage: 2 });

    const row = ctx.store().all(entity)[0]!;
    const got = await ctx.ok(get, { [idArg]: row.id });
    expect(got.item).toMatchObject({ id: row.id, name: row.name });
    const [field, key] = label as [string, string];
    const tenantLabel = ctx.store().picklist(entity, field).find((v) => v.value === String(row[field]))!.label;
    expect(got.item[key]).toBe(tenantLabel);
    expect(await ctx.fail(get, { [idArg]: 999_999 })).toContain("999999 was not found");
  });
});

describe("configuration items", () => {
  const cis = () => ctx.store().all("ConfigurationItems");

  test("searchTerm matches reference title, serial number and reference number", async () => {
    const ci = cis()[7]!;
    const bySerial = await ctx.ok("autotask_search_configuration_items", { searchTerm: String(ci.serialNumber) });
    expect(filterSent("ConfigurationItems")).toEqual([
      {
        op: "or",
        items: [
          { op: "contains", field: "referenceTitle", value: ci.serialNumber },
          { op: "contains", field: "serialNumber", value: ci.serialNumber },
          { op: "contains", field: "referenceNumber", value: ci.serialNumber },
        ],
      },
    ]);
    expect(ids(bySerial.items)).toEqual([ci.id]);
    const byAsset = await ctx.ok("autotask_search_configuration_items", { searchTerm: String(ci.referenceNumber) });
    expect(ids(byAsset.items)).toEqual([ci.id]);
    const byTitle = await ctx.ok("autotask_search_configuration_items", { searchTerm: String(ci.referenceTitle).toLowerCase() });
    expect(ids(byTitle.items)).toContain(ci.id);
    const row = byTitle.items.find((item: Rec) => item.id === ci.id);
    expect(row.companyName).toBe(ctx.store().get("Companies", Number(ci.companyID))!.companyName);
    expect(row.productName).toBe(ctx.store().get("Products", Number(ci.productID))!.name);
  });

  test("companyID, isActive, productID and contactID filters are sent and applied", async () => {
    const ci = cis().find((row) => row.contactID != null)!;
    const result = await ctx.ok("autotask_search_configuration_items", { companyID: ci.companyID, isActive: ci.isActive, productID: ci.productID, contactID: ci.contactID, pageSize: 200 });
    const filter = filterSent("ConfigurationItems");
    expect(filter).toContainEqual({ op: "eq", field: "companyID", value: ci.companyID });
    expect(filter).toContainEqual({ op: "eq", field: "isActive", value: ci.isActive });
    expect(filter).toContainEqual({ op: "eq", field: "productID", value: ci.productID });
    expect(filter).toContainEqual({ op: "eq", field: "contactID", value: ci.contactID });
    const expected = cis().filter((row) => row.companyID === ci.companyID && row.isActive === ci.isActive && row.productID === ci.productID && row.contactID === ci.contactID);
    expect(ids(result.items)).toEqual(ids(expected));

    const inactive = await ctx.ok("autotask_search_configuration_items", { companyID: ci.companyID, isActive: false, pageSize: 200 });
    expect(ids(inactive.items)).toEqual(ids(cis().filter((row) => row.companyID === ci.companyID && row.isActive === false)));
    expect(await ctx.fail("autotask_search_configuration_items", { pageSize: 5000 })).toContain("pageSize");
  });

  test("get_configuration_item shows the device with names and labels", async () => {
    const ci = cis().find((row) => row.contactID != null && row.rmmDeviceAuditHostname != null)!;
    const got = await ctx.ok("autotask_get_configuration_item", { configurationItemId: ci.id });
    const contact = ctx.store().get("Contacts", Number(ci.contactID))!;
    expect(got.item).toMatchObject({
      id: ci.id,
      referenceTitle: ci.referenceTitle,
      rmmDeviceAuditHostname: ci.rmmDeviceAuditHostname,
      companyName: ctx.store().get("Companies", Number(ci.companyID))!.companyName,
      contactName: `${contact.firstName} ${contact.lastName}`,
      configurationItemTypeLabel: ctx.store().picklist("ConfigurationItems", "configurationItemType").find((v) => v.value === String(ci.configurationItemType))!.label,
    });
    expect(got.item.notes).toBeUndefined();
    expect(await ctx.fail("autotask_get_configuration_item", { configurationItemId: 999_999 })).toContain("ConfigurationItem 999999 was not found");
  });
});
