/**
 * The arguments the original's newest lines added to writes and searches, through the real CLI over
 * stdio against the sandbox: update_contact (address, primary flag, UDFs, both id spellings),
 * update_opportunity (all 30), update_company's billing/tax/template fields, the configuration item
 * filters, ticket roles by name — and the original's spellings of renamed arguments.
 */
import { describe, expect, test } from "bun:test";
import { allTools } from "../../src/tools/index.ts";
import { queryFilters, sent, useSandboxSession, writes } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();

const patchBody = (path: RegExp) => sent(ctx.requests(), "PATCH", path).at(-1)?.body as Row | undefined;

describe("autotask_update_contact", () => {
  const contact = () => ctx.store().all("Contacts").find((c) => c.isActive === 1 && c.addressLine === null)!;

  test("the original's `id`, address, primary flag, a boolean isActive and UDFs reach Autotask through the company", async () => {
    const target = contact();
    const out = await ctx.ok("autotask_update_contact", {
      id: target.id,
      addressLine: "12 Harbour Road",
      addressLine1: "Suite 4",
      city: "Madison",
      state: "WI",
      zipCode: "53703",
      countryID: 237,
      primaryContact: true,
      isActive: false,
      userDefinedFields: [{ name: "Preferred Channel", value: "Teams" }],
    });
    expect(patchBody(new RegExp(`^Companies/${target.companyID}/Contacts$`, "i"))).toEqual({
      id: target.id,
      addressLine: "12 Harbour Road",
      addressLine1: "Suite 4",
      city: "Madison",
      state: "WI",
      zipCode: "53703",
      countryID: 237,
      primaryContact: true,
      isActive: 0,
      userDefinedFields: [{ name: "Preferred Channel", value: "Teams" }],
    });
    expect(out.updated).toContain("userDefinedFields");
    const stored = ctx.store().get("Contacts", target.id as number)!;
    expect(stored).toMatchObject({ addressLine: "12 Harbour Road", zipCode: "53703", isActive: 0, primaryContact: true });
    expect(stored.userDefinedFields).toContainEqual({ name: "Preferred Channel", value: "Teams" });
  });

  test("contactId (this server's earlier spelling) and contactID work too; isActive takes 1/0 or true/false; conflicts and gaps are refused", async () => {
    const target = ctx.store().all("Contacts").filter((c) => c.isActive === 1).at(-1)!;
    await ctx.ok("autotask_update_contact", { contactId: target.id, isActive: true, title: "Office Manager" });
    expect(patchBody(/^Companies\/\d+\/Contacts$/i)).toEqual({ id: target.id, isActive: 1, title: "Office Manager" });
    await ctx.ok("autotask_update_contact", { contactID: target.id, isActive: 1 });
    expect(patchBody(/^Companies\/\d+\/Contacts$/i)).toEqual({ id: target.id, isActive: 1 });

    expect(await ctx.fail("autotask_update_contact", { id: target.id, contactID: Number(target.id) + 1, city: "X" })).toContain("name different records");
    expect(await ctx.fail("autotask_update_contact", { city: "X" })).toContain("one of id or contactID is required");
    expect(await ctx.fail("autotask_update_contact", { id: target.id, isActive: 2 })).toContain("must be 1 (active) or 0 (inactive)");
    expect(await ctx.fail("autotask_update_contact", { id: target.id, userDefinedFields: [{ name: "Shoe Size", value: "9" }] })).toContain("Shoe Size");
    expect(writes(ctx.requests()).length).toBe(1); // only the unknown UDF reached Autotask, and was refused there
  });
});

describe("autotask_update_opportunity", () => {
  test("stage, status and loss reason by label, revenue by period, close date and UDFs, under opportunityId", async () => {
    const opportunity = ctx.store().all("Opportunities").find((o) => o.status === ctx.valueOf("Opportunities", "status", "Active"))!;
    const out = await ctx.ok("autotask_update_opportunity", {
      opportunityId: opportunity.id,
      status: "Lost",
      stage: "Negotiation",
      lossReason: "Went with Competitor",
      lossReasonDetail: "Cheaper bundle from a competitor",
      probability: 0,
      projectedCloseDate: "2027-01-15T23:30:00-08:00",
      monthlyRevenue: 450,
      monthlyCost: 210,
      totalAmountMonths: 24,
      nextStep: "Revisit at renewal",
      userDefinedFields: [{ name: "Lead Source Detail", value: "QBR" }],
    });
    expect(patchBody(/^Opportunities$/i)).toEqual({
      id: opportunity.id,
      status: ctx.valueOf("Opportunities", "status", "Lost"),
      stage: ctx.valueOf("Opportunities", "stage", "Negotiation"),
      lossReason: ctx.valueOf("Opportunities", "lossReason", "Went with Competitor"),
      lossReasonDetail: "Cheaper bundle from a competitor",
      probability: 0,
      projectedCloseDate: "2027-01-15T00:00:00", // the day as written, in Autotask's date format
      monthlyRevenue: 450,
      monthlyCost: 210,
      totalAmountMonths: 24,
      nextStep: "Revisit at renewal",
      userDefinedFields: [{ name: "Lead Source Detail", value: "QBR" }],
    });
    expect(out.message).toStartWith(`Updated Opportunity ${opportunity.id}`);
    expect(ctx.store().get("Opportunities", opportunity.id as number)).toMatchObject({ status: ctx.valueOf("Opportunities", "status", "Lost"), monthlyRevenue: 450 });
  });

  test("bad values are refused with what is allowed, before anything is sent", async () => {
    const id = ctx.store().all("Opportunities")[0]!.id;
    expect(await ctx.fail("autotask_update_opportunity", { opportunityID: id, probability: 150 })).toContain("probability: must be at most 100, got number 150");
    const error = await ctx.fail("autotask_update_opportunity", { opportunityID: id, winReason: "Luck" });
    expect(error).toContain('"Luck" is not a winReason label');
    expect(error).toContain("2 Relationship");
    expect(await ctx.fail("autotask_update_opportunity", { opportunityID: id })).toContain("Nothing to update");
    expect(writes(ctx.requests())).toEqual([]);
  });
});

describe("autotask_update_company", () => {
  test("billing address, tax and invoice settings (picklists by label) reach Autotask", async () => {
    const company = ctx.store().all("Companies").find((c) => Number(c.id) > 0 && c.isTaxExempt === false)!;
    await ctx.ok("autotask_update_company", {
      id: company.id,
      billingAddress1: "PO Box 12",
      billToCity: "Madison",
      billToState: "WI",
      billToZipCode: "53701",
      billToCountryID: 237,
      billToAttention: "Accounts Payable",
      billToAddressToUse: 2,
      invoiceMethod: "Email and Print",
      classification: "Key Account",
      taxID: "US-99-1234567",
      isTaxExempt: true,
    });
    expect(patchBody(/^Companies$/i)).toEqual({
      id: company.id,
      billingAddress1: "PO Box 12",
      billToCity: "Madison",
      billToState: "WI",
      billToZipCode: "53701",
      billToCountryID: 237,
      billToAttention: "Accounts Payable",
      billToAddressToUse: 2,
      invoiceMethod: ctx.valueOf("Companies", "invoiceMethod", "Email and Print"),
      classification: ctx.valueOf("Companies", "classification", "Key Account"),
      taxID: "US-99-1234567",
      isTaxExempt: true,
    });
    expect(ctx.store().get("Companies", company.id as number)).toMatchObject({ billToCity: "Madison", isTaxExempt: true, taxID: "US-99-1234567" });
  });

  test("purchaseOrderTemplateID, which Autotask companies do not have, is refused with what to do, and nothing is sent", async () => {
    const id = ctx.store().all("Companies")[2]!.id;
    const error = await ctx.fail("autotask_update_company", { id, purchaseOrderTemplateID: 3, taxID: "X" });
    expect(error).toContain("purchaseOrderTemplateID: Autotask companies have no purchase order template");
    expect(error).toContain("nothing was changed");
    expect(writes(ctx.requests())).toEqual([]);
  });
});

test("search_configuration_items filters by type and category, by label", async () => {
  const laptop = ctx.valueOf("ConfigurationItems", "configurationItemType", "Laptop");
  const workstation = ctx.valueOf("ConfigurationItems", "configurationItemCategoryID", "Workstation");
  const out = await ctx.ok("autotask_search_configuration_items", { configurationItemType: "Laptop", configurationItemCategoryID: "Workstation", pageSize: 500 });
  expect(queryFilters(ctx.requests(), "ConfigurationItems").at(-1)).toEqual([
    { op: "eq", field: "configurationItemType", value: laptop },
    { op: "eq", field: "configurationItemCategoryID", value: workstation },
  ]);
  const expected = ctx.store().all("ConfigurationItems").filter((ci) => ci.configurationItemType === laptop && ci.configurationItemCategoryID === workstation);
  expect(expected.length).toBeGreaterThan(0);
  expect(out.items.map((ci: Row) => ci.id)).toEqual(expected.map((ci) => ci.id));
  expect(out.items[0].configurationItemTypeLabel).toBe("Laptop");
});

describe("a ticket's role by name (assignedResourceRoleName)", () => {
  /** An active resource with two active roles, and the one that is not its default. */
  const twoRoles = () => {
    const links = ctx.store().all("ResourceRoles").filter((l) => l.isActive);
    const resource = ctx.store().all("Resources").find((r) => r.isActive && links.filter((l) => l.resourceID === r.id).length === 2)!;
    const other = links.find((l) => l.resourceID === resource.id && l.roleID !== resource.defaultServiceDeskRoleID)!;
    return { resource, roleID: other.roleID as number, roleName: String(ctx.store().get("Roles", other.roleID as number)!.name) };
  };

  test("create_ticket looks the name up among the assigned resource's roles", async () => {
    const { resource, roleID, roleName } = twoRoles();
    const company = ctx.store().all("Companies").find((c) => Number(c.id) > 0)!;
    const out = await ctx.ok("autotask_create_ticket", { companyID: company.id, title: "Role by name", description: "Needs a Level II look", assignedResourceID: resource.id, assignedResourceRoleName: roleName.toUpperCase() });
    expect(sent(ctx.requests(), "POST", /^Tickets$/i)[0]!.body).toMatchObject({ assignedResourceID: resource.id, assignedResourceRoleID: roleID });
    expect(out.item.assignedResourceRoleName).toBe(roleName);
  });

  test("update_ticket takes the ticket's own primary resource when only the role name is given", async () => {
    const { resource, roleID, roleName } = twoRoles();
    const ticket = ctx.store().all("Tickets").find((t) => t.assignedResourceID === resource.id && t.assignedResourceRoleID !== roleID)!;
    await ctx.ok("autotask_update_ticket", { ticketId: ticket.id, assignedResourceRoleName: roleName });
    const requests = ctx.requests();
    expect(sent(requests, "GET", new RegExp(`^Tickets/${ticket.id}$`, "i")).length).toBe(1);
    expect(sent(requests, "PATCH", /^Tickets$/i)[0]!.body).toEqual({ id: ticket.id, assignedResourceRoleID: roleID });
  });

  test("a name the resource does not work under, a contradicting role id, or no resource at all is refused, nothing sent", async () => {
    const { resource, roleID, roleName } = twoRoles();
    const ticket = ctx.store().all("Tickets").find((t) => t.assignedResourceID === resource.id)!;
    const unknown = await ctx.fail("autotask_update_ticket", { ticketID: ticket.id, assignedResourceRoleName: "Astronaut" });
    expect(unknown).toContain(`assignedResourceRoleName: "Astronaut" is not one of resource ${resource.id}'s roles`);
    expect(unknown).toContain(`${roleID} ${roleName}`);
    const contradicting = await ctx.fail("autotask_update_ticket", { ticketID: ticket.id, assignedResourceRoleID: resource.defaultServiceDeskRoleID, assignedResourceRoleName: roleName });
    expect(contradicting).toContain("name different roles");
    const unassigned = ctx.store().all("Tickets").find((t) => t.assignedResourceID === null)!;
    expect(await ctx.fail("autotask_update_ticket", { ticketID: unassigned.id, assignedResourceRoleName: roleName })).toContain(`ticket ${unassigned.id} has no primary resource`);
    expect(writes(ctx.requests())).toEqual([]);
  });
});

describe("one spelling per argument: Autotask's …ID", () => {
  test("no argument is listed as …Id (the original's companyId and friends reach …ID at run time)", () => {
    const spelledId = allTools().flatMap((tool) => Object.keys(tool.input.shape).filter((name) => /[a-z]Id$/.test(name)).map((name) => `${tool.name}.${name}`));
    expect(spelledId).toEqual([]);
  });

  test("the original's spellings still work", async () => {
    const company = ctx.store().all("Companies").find((c) => Number(c.id) > 0)!;
    expect((await ctx.ok("autotask_get_company", { companyId: company.id })).item.id).toBe(company.id);
    expect((await ctx.ok("autotask_get_company_site_configuration", { companyId: company.id })).companyID).toBe(company.id);
    const opportunity = ctx.store().all("Opportunities")[0]!;
    const quotes = await ctx.ok("autotask_search_quotes", { opportunityId: opportunity.id, companyId: opportunity.companyID });
    expect(queryFilters(ctx.requests(), "Quotes").at(-1)).toEqual(expect.arrayContaining([{ op: "eq", field: "opportunityID", value: opportunity.id }]));
    expect(quotes.entity).toBe("Quotes");
    const entry = ctx.store().all("TimeEntries")[0]!;
    const time = await ctx.ok("autotask_search_time_entries", { resourceId: entry.resourceID, pageSize: 500 });
    const ofResource = ctx.store().all("TimeEntries").filter((e) => e.resourceID === entry.resourceID).map((e) => e.id);
    expect(time.items.map((row: Row) => row.id)).toEqual(ofResource.slice(0, 500));
  });
});
