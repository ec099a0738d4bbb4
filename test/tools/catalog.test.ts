/**
 * Catalog tools (products, services, service bundles, configuration items) through the real CLI
 * over stdio against the sandbox: rows and names the user sees, and the filters Autotask received.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { RequestLogEntry } from "../../src/sandbox/index.ts";
import { sandboxSession } from "../helpers/mcp.ts";

let env: Awaited<ReturnType<typeof sandboxSession>>;
type Rec = Record<string, any>;

beforeAll(async () => {
  env = await sandboxSession();
}, 30_000);
afterAll(async () => {
  await env?.close();
});

const ok = (name: string, args: Rec = {}) => env.session.ok<Rec>(name, args);
const fail = (name: string, args: Rec = {}) => env.session.fail(name, args);
const store = () => env.sandbox.store();
const ids = (rows: Rec[]) => rows.map((row) => row.id);

/** The filter of the last query sent to an entity since the previous call. */
function filterSent(entity: string): unknown[] {
  const requests: RequestLogEntry[] = env.requests();
  const query = requests.filter((r) => r.method === "POST" && new RegExp(`/V1\\.0/${entity}/query$`, "i").test(r.path)).at(-1);
  expect(query).toBeDefined();
  return (query!.body as Rec).filter as unknown[];
}

describe.each([
  { entity: "Products", search: "autotask_search_products", get: "autotask_get_product", idArg: "productId", term: "dell", label: ["productCategory", "productCategoryLabel"] },
  { entity: "Services", search: "autotask_search_services", get: "autotask_get_service", idArg: "serviceId", term: "managed", label: ["periodType", "periodTypeLabel"] },
  { entity: "ServiceBundles", search: "autotask_search_service_bundles", get: "autotask_get_service_bundle", idArg: "serviceBundleId", term: "bundle", label: ["periodType", "periodTypeLabel"] },
])("$entity", ({ entity, search, get, idArg, term, label }) => {
  test("search applies searchTerm (name contains) and isActive", async () => {
    env.requests();
    const active = await ok(search, { searchTerm: term, isActive: true });
    const filter = filterSent(entity);
    expect(filter).toContainEqual({ op: "contains", field: "name", value: term });
    expect(filter).toContainEqual({ op: "eq", field: "isActive", value: true });
    const expected = store()
      .all(entity)
      .filter((row) => String(row.name).toLowerCase().includes(term) && row.isActive === true);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(active.items)).toEqual(ids(expected));
    expect(active.items[0].unitPrice).toBe(expected[0]!.unitPrice);

    const inactive = await ok(search, { isActive: false });
    expect(filterSent(entity)).toEqual([{ op: "eq", field: "isActive", value: false }]);
    expect(ids(inactive.items)).toEqual(ids(store().all(entity).filter((row) => row.isActive === false)));
    expect(inactive.items.length).toBeGreaterThan(0);
  });

  test("search pages; get shows one record with picklist labels; unknown ids are reported", async () => {
    const page = await ok(search, { pageSize: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.page).toMatchObject({ hasMore: true, nextPage: 2 });

    const row = store().all(entity)[0]!;
    const got = await ok(get, { [idArg]: row.id });
    expect(got.item).toMatchObject({ id: row.id, name: row.name });
    const [field, key] = label as [string, string];
    const tenantLabel = store().picklist(entity, field).find((v) => v.value === String(row[field]))!.label;
    expect(got.item[key]).toBe(tenantLabel);
    expect(await fail(get, { [idArg]: 999_999 })).toContain("999999 was not found");
  });
});

describe("configuration items", () => {
  const cis = () => store().all("ConfigurationItems");

  test("searchTerm matches reference title, serial number and reference number", async () => {
    const ci = cis()[7]!;
    env.requests();
    const bySerial = await ok("autotask_search_configuration_items", { searchTerm: String(ci.serialNumber) });
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
    const byAsset = await ok("autotask_search_configuration_items", { searchTerm: String(ci.referenceNumber) });
    expect(ids(byAsset.items)).toEqual([ci.id]);
    const byTitle = await ok("autotask_search_configuration_items", { searchTerm: String(ci.referenceTitle).toLowerCase() });
    expect(ids(byTitle.items)).toContain(ci.id);
    const row = byTitle.items.find((item: Rec) => item.id === ci.id);
    expect(row.companyName).toBe(store().get("Companies", Number(ci.companyID))!.companyName);
    expect(row.productName).toBe(store().get("Products", Number(ci.productID))!.name);
  });

  test("companyID, isActive, productID and contactID filters are sent and applied", async () => {
    const ci = cis().find((row) => row.contactID != null)!;
    env.requests();
    const result = await ok("autotask_search_configuration_items", { companyID: ci.companyID, isActive: ci.isActive, productID: ci.productID, contactID: ci.contactID, pageSize: 200 });
    const filter = filterSent("ConfigurationItems");
    expect(filter).toContainEqual({ op: "eq", field: "companyID", value: ci.companyID });
    expect(filter).toContainEqual({ op: "eq", field: "isActive", value: ci.isActive });
    expect(filter).toContainEqual({ op: "eq", field: "productID", value: ci.productID });
    expect(filter).toContainEqual({ op: "eq", field: "contactID", value: ci.contactID });
    const expected = cis().filter((row) => row.companyID === ci.companyID && row.isActive === ci.isActive && row.productID === ci.productID && row.contactID === ci.contactID);
    expect(ids(result.items)).toEqual(ids(expected));

    const inactive = await ok("autotask_search_configuration_items", { companyID: ci.companyID, isActive: false, pageSize: 200 });
    expect(ids(inactive.items)).toEqual(ids(cis().filter((row) => row.companyID === ci.companyID && row.isActive === false)));
    expect(await fail("autotask_search_configuration_items", { pageSize: 5000 })).toContain("pageSize");
  });

  test("get_configuration_item shows the device with names and labels", async () => {
    const ci = cis().find((row) => row.contactID != null && row.rmmDeviceAuditHostname != null)!;
    const got = await ok("autotask_get_configuration_item", { configurationItemId: ci.id });
    const contact = store().get("Contacts", Number(ci.contactID))!;
    expect(got.item).toMatchObject({
      id: ci.id,
      referenceTitle: ci.referenceTitle,
      rmmDeviceAuditHostname: ci.rmmDeviceAuditHostname,
      companyName: store().get("Companies", Number(ci.companyID))!.companyName,
      contactName: `${contact.firstName} ${contact.lastName}`,
      configurationItemTypeLabel: store().picklist("ConfigurationItems", "configurationItemType").find((v) => v.value === String(ci.configurationItemType))!.label,
    });
    expect(got.item.notes).toBeUndefined();
    expect(await fail("autotask_get_configuration_item", { configurationItemId: 999_999 })).toContain("ConfigurationItem 999999 was not found");
  });
});
