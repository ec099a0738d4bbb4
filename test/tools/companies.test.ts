/**
 * Companies, site configurations, contacts, resources and the ticket picklist tools, through the
 * real CLI over stdio against the sandbox: what the user sees and what reached Autotask.
 */
import { describe, expect, test } from "bun:test";
import type { RequestLogEntry } from "../../src/sandbox/index.ts";
import { apiPath, queryFilters, useSandboxSession } from "../helpers/mcp.ts";

type Rec = Record<string, any>;
const ctx = useSandboxSession();

/** A request's method and path below V1.0 (e.g. "POST Companies/query"). */
const routeOf = (r: RequestLogEntry) => `${r.method} ${apiPath(r)}`;
const routes = (requests: RequestLogEntry[]) => requests.map(routeOf);
/** The filter of the (last) query sent to an entity (there must be one). */
function filterSent(requests: RequestLogEntry[], entity: string): unknown[] {
  const filters = queryFilters(requests, entity);
  expect(filters.length).toBeGreaterThan(0);
  return filters.at(-1) as unknown[];
}

const clients = () => ctx.store().all("Companies").filter((c) => Number(c.id) >= 174);

describe("companies", () => {
  test("search applies searchTerm and isActive, shows owner names and type labels", async () => {
    const result = await ctx.ok("autotask_search_companies", { searchTerm: "dental", isActive: true });
    const filter = filterSent(ctx.requests(), "Companies");
    expect(filter).toContainEqual({ op: "contains", field: "companyName", value: "dental" });
    expect(filter).toContainEqual({ op: "eq", field: "isActive", value: true });
    const expected = ctx.store()
      .all("Companies")
      .filter((c) => /dental/i.test(String(c.companyName)) && c.isActive === true);
    expect(result.items.map((c: Rec) => c.id)).toEqual(expected.map((c) => c.id));
    const first = result.items[0];
    expect(first.companyName).toBe("Acme Dental Group");
    const customerLabel = ctx.store().picklist("Companies", "companyType").find((v) => v.value === String(first.companyType))!.label;
    expect(first.companyTypeLabel).toBe(customerLabel);
    const owner = ctx.store().get("Resources", first.ownerResourceID)!;
    expect(first.ownerResourceName).toBe(`${owner.firstName} ${owner.lastName}`);
  });

  test("search isActive false returns only inactive companies; companyType and owner filters apply", async () => {
    const inactive = await ctx.ok("autotask_search_companies", { isActive: false });
    const expectedInactive = ctx.store().all("Companies").filter((c) => c.isActive === false);
    expect(expectedInactive.length).toBeGreaterThan(0);
    expect(inactive.items.map((c: Rec) => c.id)).toEqual(expectedInactive.map((c) => c.id));
    expect(inactive.items.every((c: Rec) => c.isActive === false)).toBe(true);
    expect(inactive.page).toMatchObject({ hasMore: false, total: expectedInactive.length });

    const vendorType = Number(ctx.store().all("Companies").find((c) => c.companyName === "Pax8")!.companyType);
    const owner = Number(clients()[0]!.ownerResourceID);
    ctx.requests();
    const filtered = await ctx.ok("autotask_search_companies", { companyType: vendorType, ownerResourceID: owner });
    const filter = filterSent(ctx.requests(), "Companies");
    expect(filter).toContainEqual({ op: "eq", field: "companyType", value: vendorType });
    expect(filter).toContainEqual({ op: "eq", field: "ownerResourceID", value: owner });
    const expected = ctx.store().all("Companies").filter((c) => c.companyType === vendorType && c.ownerResourceID === owner);
    expect(filtered.items.map((c: Rec) => c.id)).toEqual(expected.map((c) => c.id));
  });

  test("search pages with hasMore and nextPage", async () => {
    const first = await ctx.ok("autotask_search_companies", { pageSize: 5 });
    expect(first.items).toHaveLength(5);
    expect(first.page).toMatchObject({ page: 1, pageSize: 5, hasMore: true, nextPage: 2 });
    expect(first.hint).toContain("page: 2");
    const second = await ctx.ok("autotask_search_companies", { pageSize: 5, page: 2 });
    expect(second.items[0].id).toBeGreaterThan(first.items[4].id);
  });

  test("get_company shows the record and, on request, locations and active contacts", async () => {
    const company = clients()[0]!;
    const plain = await ctx.ok("autotask_get_company", { companyId: company.id });
    expect(plain.item).toMatchObject({ id: company.id, companyName: company.companyName });
    expect(plain.item.locations).toBeUndefined();
    expect(routes(ctx.requests())).toContain(`GET Companies/${company.id}`);

    const full = await ctx.ok("autotask_get_company", { companyId: company.id, includeRelated: true });
    const activeContacts = ctx.store().all("Contacts").filter((c) => c.companyID === company.id && c.isActive === 1).length;
    expect(full.item.activeContacts).toBe(activeContacts);
    expect(full.item.locations.map((l: Rec) => l.name)).toContain("Headquarters");
    expect(routes(ctx.requests())).toContain("POST Contacts/query/count");

    expect(await ctx.fail("autotask_get_company", { companyId: 999_999 })).toContain("Company 999999 was not found");
  });

  test("create_company refuses a missing phone and a bad companyType before sending", async () => {
    const noPhone = await ctx.fail("autotask_create_company", { companyName: "No Phone Ltd", companyType: 1 });
    expect(noPhone).toContain("phone");
    const badType = await ctx.fail("autotask_create_company", { companyName: "Bad Type Ltd", companyType: 99, phone: "555-0100" });
    expect(badType).toContain("companyType 99 is not a valid value");
    for (const value of ctx.store().picklist("Companies", "companyType").filter((v) => v.isActive)) expect(badType).toContain(`${value.value} ${value.label}`);
    expect(routes(ctx.requests())).not.toContain("POST Companies");
  });

  test("create_company defaults the owner to the API user and isActive to true", async () => {
    const type = Number(ctx.store().picklist("Companies", "companyType").find((v) => v.isDefaultValue)!.value);
    const created = await ctx.ok("autotask_create_company", { companyName: "Zeta Test Co", companyType: type, phone: "(303) 555-0199", city: "Denver" });
    const create = ctx.requests().find((r) => routeOf(r) === "POST Companies")!;
    expect(create.body).toMatchObject({ companyName: "Zeta Test Co", companyType: type, phone: "(303) 555-0199", city: "Denver", isActive: true, ownerResourceID: ctx.store().apiUserResourceId });
    expect(created.message).toContain(`Created Company ${created.id}`);
    expect(created.item).toMatchObject({ companyName: "Zeta Test Co", ownerResourceName: "API User", isActive: true });
    expect(ctx.store().get("Companies", created.id)).toMatchObject({ ownerResourceID: ctx.store().apiUserResourceId, isActive: true });
  });

  test("update_company sends only the given fields", async () => {
    const company = clients()[1]!;
    const updated = await ctx.ok("autotask_update_company", { id: company.id, phone: "(720) 555-0123", city: "Boulder" });
    const patch = ctx.requests().find((r) => routeOf(r) === "PATCH Companies")!;
    expect(patch.body).toEqual({ id: company.id, phone: "(720) 555-0123", city: "Boulder" });
    expect(updated.updated).toEqual(["phone", "city"]);
    expect(ctx.store().get("Companies", Number(company.id))).toMatchObject({ phone: "(720) 555-0123", city: "Boulder", companyName: company.companyName });
    expect(await ctx.fail("autotask_update_company", { id: company.id })).toContain("Nothing to update");
  });
});

describe("company site configurations", () => {
  test("get shows every setting by name and the tenant's field list", async () => {
    const company = clients()[2]!;
    const result = await ctx.ok("autotask_get_company_site_configuration", { companyId: company.id });
    expect(filterSent(ctx.requests(), "CompanySiteConfigurations")).toEqual([{ op: "eq", field: "companyID", value: company.id }]);
    const config = ctx.store().all("CompanySiteConfigurations").find((c) => c.companyID === company.id)!;
    expect(result.companyName).toBe(company.companyName);
    expect(result.items).toHaveLength(1);
    expect(result.items[0].id).toBe(config.id);
    const isp = (config.userDefinedFields as Rec[]).find((u) => u.name === "Primary ISP")!.value;
    expect(result.items[0].settings["Primary ISP"]).toBe(isp);
    expect(Object.keys(result.items[0].settings)).toEqual(["Primary ISP", "Firewall Model", "Wi-Fi SSID", "Backup Window"]);
    expect(result.fields.map((field: Rec) => field.name)).toEqual(["Primary ISP", "Firewall Model", "Wi-Fi SSID", "Backup Window"]);
    expect(await ctx.fail("autotask_get_company_site_configuration", { companyId: 999_999 })).toContain("Company 999999 was not found");
  });

  test("update maps keys to UDF names and real fields and writes through the company", async () => {
    const company = clients()[3]!;
    const config = ctx.store().all("CompanySiteConfigurations").find((c) => c.companyID === company.id)!;
    const result = await ctx.ok("autotask_update_company_site_configuration", {
      id: config.id,
      updates: { "primary isp": "Lumen DIA 1G", "Wi-Fi SSID": null, locationName: "Main Office" },
    });
    const patch = ctx.requests().find((r) => r.method === "PATCH")!;
    expect(routeOf(patch)).toBe(`PATCH Companies/${company.id}/SiteConfigurations`);
    expect(patch.body).toEqual({
      id: config.id,
      locationName: "Main Office",
      userDefinedFields: [
        { name: "Primary ISP", value: "Lumen DIA 1G" },
        { name: "Wi-Fi SSID", value: null },
      ],
    });
    expect(result.updated).toEqual(["locationName", "Primary ISP", "Wi-Fi SSID"]);
    expect(result.item.settings).toMatchObject({ "Primary ISP": "Lumen DIA 1G", "Wi-Fi SSID": null });
    const after = ctx.store().get("CompanySiteConfigurations", Number(config.id))!;
    expect(after.locationName).toBe("Main Office");
    expect((after.userDefinedFields as Rec[]).find((u) => u.name === "Primary ISP")!.value).toBe("Lumen DIA 1G");
    expect((after.userDefinedFields as Rec[]).find((u) => u.name === "Firewall Model")!.value).not.toBeNull();
  });

  test("update refuses unknown keys, empty updates and unknown ids", async () => {
    const config = ctx.store().all("CompanySiteConfigurations")[5]!;
    const unknown = await ctx.fail("autotask_update_company_site_configuration", { id: config.id, updates: { "Router Password": "x" } });
    expect(unknown).toContain('"Router Password"');
    expect(unknown).toContain("Allowed: locationName, Primary ISP, Firewall Model, Wi-Fi SSID, Backup Window");
    expect(await ctx.fail("autotask_update_company_site_configuration", { id: config.id, updates: {} })).toContain("updates is empty");
    expect(routes(ctx.requests()).some((route) => route.startsWith("PATCH"))).toBe(false);
    expect(await ctx.fail("autotask_update_company_site_configuration", { id: 999_999, updates: { "Primary ISP": "x" } })).toContain("was not found");
  });
});

describe("contacts", () => {
  test("a full name matches first + last name", async () => {
    const contact = ctx.store().all("Contacts")[3]!;
    const result = await ctx.ok("autotask_search_contacts", { searchTerm: `${contact.firstName} ${contact.lastName}` });
    const filter = filterSent(ctx.requests(), "Contacts") as Rec[];
    expect(JSON.stringify(filter)).toContain(`{"op":"beginsWith","field":"firstName","value":"${contact.firstName}"}`);
    expect(JSON.stringify(filter)).toContain(`{"op":"beginsWith","field":"lastName","value":"${contact.lastName}"}`);
    expect(result.items.map((c: Rec) => c.id)).toContain(contact.id);
    const row = result.items.find((c: Rec) => c.id === contact.id);
    expect(row.companyName).toBe(ctx.store().get("Companies", Number(contact.companyID))!.companyName);
  });

  test("companyID and isActive (a number) filter the results", async () => {
    const inactive = ctx.store().all("Contacts").find((c) => c.isActive === 0)!;
    const result = await ctx.ok("autotask_search_contacts", { companyID: inactive.companyID, isActive: 0 });
    const filter = filterSent(ctx.requests(), "Contacts");
    expect(filter).toContainEqual({ op: "eq", field: "companyID", value: inactive.companyID });
    expect(filter).toContainEqual({ op: "eq", field: "isActive", value: 0 });
    const expected = ctx.store().all("Contacts").filter((c) => c.companyID === inactive.companyID && c.isActive === 0);
    expect(result.items.map((c: Rec) => c.id)).toEqual(expected.map((c) => c.id));
    const byEmail = await ctx.ok("autotask_search_contacts", { searchTerm: String(inactive.emailAddress).split("@")[1] });
    expect(byEmail.items.map((c: Rec) => c.id)).toContain(inactive.id);
    expect(await ctx.fail("autotask_search_contacts", { isActive: 2 })).toContain("must be 1 (active) or 0 (inactive)");
  });

  test("create goes through the company URL and defaults isActive to 1", async () => {
    const company = clients()[4]!;
    const created = await ctx.ok("autotask_create_contact", { companyID: company.id, firstName: "Ada", lastName: "Lovelace", emailAddress: "ada@example.com", title: "CTO" });
    const create = ctx.requests().find((r) => r.method === "POST" && !routeOf(r).endsWith("/query"))!;
    expect(routeOf(create)).toBe(`POST Companies/${company.id}/Contacts`);
    expect(create.body).toMatchObject({ companyID: company.id, firstName: "Ada", lastName: "Lovelace", emailAddress: "ada@example.com", title: "CTO", isActive: 1 });
    expect(created.item).toMatchObject({ firstName: "Ada", companyName: company.companyName, isActive: 1 });

    const found = await ctx.ok("autotask_search_contacts", { searchTerm: "Ada Lovelace", companyID: company.id });
    expect(found.items.map((c: Rec) => c.id)).toEqual([created.id]);
    expect(await ctx.fail("autotask_create_contact", { companyID: 999_999, firstName: "A", lastName: "B" })).toContain("999999");
  });

  test("get and update a contact (the update goes through the company URL)", async () => {
    const contact = ctx.store().all("Contacts")[10]!;
    const got = await ctx.ok("autotask_get_contact", { contactId: contact.id });
    expect(got.item).toMatchObject({ id: contact.id, firstName: contact.firstName, companyName: ctx.store().get("Companies", Number(contact.companyID))!.companyName });
    ctx.requests();
    const updated = await ctx.ok("autotask_update_contact", { contactId: contact.id, title: "Head of IT", isActive: 0 });
    const patch = ctx.requests().find((r) => r.method === "PATCH")!;
    expect(routeOf(patch)).toBe(`PATCH Companies/${contact.companyID}/Contacts`);
    expect(patch.body).toEqual({ id: contact.id, title: "Head of IT", isActive: 0 });
    expect(updated.updated).toEqual(["title", "isActive"]);
    expect(ctx.store().get("Contacts", Number(contact.id))).toMatchObject({ title: "Head of IT", isActive: 0 });
    expect(await ctx.fail("autotask_get_contact", { contactId: 999_999 })).toContain("Contact 999999 was not found");
    expect(await ctx.fail("autotask_update_contact", { contactId: 999_999, title: "x" })).toContain("999999");
  });
});

describe("resources", () => {
  test("search by full name, isActive and resourceType", async () => {
    const dana = await ctx.ok("autotask_search_resources", { searchTerm: "Dana Whitfield" });
    expect(dana.items.map((r: Rec) => `${r.firstName} ${r.lastName}`)).toEqual(["Dana Whitfield"]);
    expect(JSON.stringify(filterSent(ctx.requests(), "Resources"))).toContain('"field":"userName"');
    expect(dana.items[0].defaultServiceDeskRoleName).toBe("Service Desk Manager");

    const inactive = await ctx.ok("autotask_search_resources", { isActive: false });
    expect(inactive.items.map((r: Rec) => r.lastName)).toEqual(ctx.store().all("Resources").filter((r) => r.isActive === false).map((r) => r.lastName));

    const types = [...ctx.store().picklist("Resources", "resourceType")].sort((a, b) => a.sortOrder - b.sortOrder);
    ctx.requests();
    const employees = await ctx.ok("autotask_search_resources", { resourceType: 1, isActive: true });
    expect(filterSent(ctx.requests(), "Resources")).toContainEqual({ op: "eq", field: "resourceType", value: types[0]!.value });
    expect(employees.items.length).toBe(ctx.store().all("Resources").filter((r) => r.isActive === true && r.resourceType === types[0]!.value).length);
    const bad = await ctx.fail("autotask_search_resources", { resourceType: 9 });
    expect(bad).toContain("resourceType 9 is not a resource type");
    expect(bad).toContain(`1 = ${types[0]!.label}`);
  });

  test("get_resource adds its roles with role, department and queue names", async () => {
    const tyler = ctx.store().all("Resources").find((r) => r.lastName === "Brooks")!;
    const result = await ctx.ok("autotask_get_resource", { resourceId: tyler.id });
    expect(result.item).toMatchObject({ id: tyler.id, firstName: "Tyler" });
    const links = ctx.store().all("ResourceRoles").filter((r) => r.resourceID === tyler.id);
    expect(result.item.roles).toHaveLength(links.length);
    expect(result.item.roles.map((r: Rec) => r.roleName).sort()).toEqual(["Help Desk Technician", "Level II Technician"]);
    expect(result.item.roles[0].departmentName).toBe("Service Desk");
    const queueLabel = ctx.store().picklist("ResourceRoles", "queueID").find((q) => q.value === String(links[0]!.queueID))!.label;
    expect(result.item.roles[0].queueName).toBe(queueLabel);
    expect(await ctx.fail("autotask_get_resource", { resourceId: 999_999 })).toContain("Resource 999999 was not found");
  });

  test("queues, statuses and priorities come from the tenant's ticket picklists (one metadata request)", async () => {
    const queues = await ctx.ok("autotask_list_queues");
    const statuses = await ctx.ok("autotask_list_ticket_statuses");
    const priorities = await ctx.ok("autotask_list_ticket_priorities");
    expect(routes(ctx.requests()).filter((route) => route === "GET Tickets/entityInformation/fields").length).toBeLessThanOrEqual(1);
    for (const [result, field] of [[queues, "queueID"], [statuses, "status"], [priorities, "priority"]] as const) {
      const tenant = ctx.store().picklist("Tickets", field);
      expect(result.field).toBe(field);
      expect(result.count).toBe(tenant.length);
      const byValue = new Map(result.values.map((v: Rec) => [String(v.value), v]));
      for (const value of tenant) expect(byValue.get(value.value)).toEqual({ value: Number(value.value), label: value.label, isDefault: value.isDefaultValue, isActive: value.isActive });
      const defaults = tenant.filter((v) => v.isDefaultValue && v.isActive);
      if (defaults.length) expect(result.hint).toContain(defaults[0]!.label);
    }
    // inactive values come last
    expect(queues.values.at(-1).isActive).toBe(false);
    expect(queues.values.slice(0, -1).every((v: Rec) => v.isActive)).toBe(true);
  });
});
