/** The general query layer, field metadata, resources and prompts, through the real CLI over stdio. */
import { describe, expect, test } from "bun:test";
import { apiPath, queryFilters, useSandboxSession } from "../helpers/mcp.ts";

type Row = Record<string, any>;
const ctx = useSandboxSession();

const statusValue = (label: string) => ctx.valueOf("Tickets", "status", label);

describe("autotask_query", () => {
  test("nested and/or, labels for picklist values, UDFs — sent as Autotask filters and applied", async () => {
    const result = await ctx.ok("autotask_query", {
      entity: "ticket",
      filter: [
        { op: "or", items: [{ op: "eq", field: "status", value: "In Progress" }, { op: "eq", field: "Status", value: "Waiting Customer" }] },
        { op: "eq", field: "Customer Tier", value: "Gold", udf: true },
      ],
      includeFields: ["ticketNumber", "status", "companyID"],
      pageSize: 500,
    });
    expect(queryFilters(ctx.requests(), "Tickets").at(-1)).toEqual([
      { op: "or", items: [{ op: "eq", field: "status", value: statusValue("In Progress") }, { op: "eq", field: "status", value: statusValue("Waiting Customer") }] },
      { op: "eq", field: "Customer Tier", value: "Gold", udf: true },
    ]);
    const expected = ctx.store()
      .all("Tickets")
      .filter((t) => [statusValue("In Progress"), statusValue("Waiting Customer")].includes(t.status as number))
      .filter((t) => (t.userDefinedFields as Row[]).some((u) => u.name === "Customer Tier" && u.value === "Gold"));
    expect(result.items.map((row: Row) => row.id)).toEqual(expected.map((t) => t.id));
    expect(Object.keys(result.items[0]).sort()).toEqual(["companyID", "companyName", "id", "status", "statusLabel", "ticketNumber", "userDefinedFields"].sort());
  });

  test("unknown fields and labels are refused before any request, with suggestions", async () => {
    expect(await ctx.fail("autotask_query", { entity: "Tickets", filter: [{ op: "eq", field: "colour", value: "red" }] })).toContain('Tickets has no field "colour"');
    expect(await ctx.fail("autotask_query", { entity: "Tickets", filter: [{ op: "eq", field: "status", value: "Closed-ish" }] })).toMatch(/not a status label\. Allowed: .*Complete/);
    expect(await ctx.fail("autotask_query", { entity: "Widgets" })).toContain("Unknown entity");
    expect(await ctx.fail("autotask_query", { entity: "Tickets", filter: [{ op: "ne", field: "status", value: 5 }] })).toContain("filter");
    expect(ctx.requests().filter((r) => apiPath(r) === "Tickets/query")).toHaveLength(0);
  });

  test("paging past 500 rows follows Autotask's next page", async () => {
    const total = ctx.store().count("Tickets");
    const result = await ctx.ok("autotask_query", { entity: "Tickets", includeFields: ["id"], page: 2, pageSize: 500 });
    expect(result.items).toHaveLength(total - 500);
    expect(result.page).toMatchObject({ page: 2, hasMore: false, total });
    expect(ctx.requests().some((r) => /query\/next/i.test(r.path))).toBe(true);
  });
});

describe("counts, records and metadata", () => {
  test("autotask_count answers with one request", async () => {
    const open = ctx.store().all("Tickets").filter((t) => t.status !== statusValue("Complete")).length;
    expect(await ctx.ok("autotask_count", { entity: "Tickets", filter: [{ op: "noteq", field: "status", value: "Complete" }] })).toEqual({ entity: "Tickets", count: open });
    const requests = ctx.requests();
    expect(requests.filter((r) => apiPath(r) === "Tickets/query/count")).toHaveLength(1);
    expect(requests.some((r) => apiPath(r) === "Tickets/query")).toBe(false);
  });

  test("autotask_get_entity returns any record in full with names", async () => {
    const contact = ctx.store().all("Contacts")[0]!;
    const { entity, item } = await ctx.ok("autotask_get_entity", { entity: "Contacts", id: contact.id });
    expect(entity).toBe("Contacts");
    expect(item.firstName).toBe(contact.firstName);
    expect(item.companyName).toBe(ctx.store().get("Companies", contact.companyID as number)!.companyName);
  });

  test("autotask_describe_entity shows fields, required flags, picklists and UDFs from the tenant", async () => {
    const result = await ctx.ok("autotask_describe_entity", { entity: "Tickets" });
    expect(result.operations).toContain("create");
    const byName = new Map(result.fields.map((field: Row) => [field.name, field]));
    expect((byName.get("title") as Row).required).toBe(true);
    expect((byName.get("status") as Row).picklist).toContain(`${statusValue("Complete")}=Complete`);
    expect((byName.get("companyID") as Row).reference).toBe("Company");
    expect((byName.get("Customer Tier") as Row).udf).toBe(true);
  });

  test("autotask_list_picklist and autotask_get_field_info read the tenant's values", async () => {
    const publish = await ctx.ok("autotask_list_picklist", { entity: "TicketNotes", field: "publish" });
    expect(publish.values.map((v: Row) => v.label)).toEqual(ctx.store().picklist("TicketNotes", "publish").sort((a, b) => a.sortOrder - b.sortOrder).map((v) => v.label));
    expect(await ctx.fail("autotask_list_picklist", { entity: "Tickets", field: "title" })).toContain("not a picklist");
    const info = await ctx.ok("autotask_get_field_info", { entityType: "Ticket", fieldName: "priority" });
    expect(info.fields).toHaveLength(1);
    expect(info.fields[0].picklist.length).toBeGreaterThan(2);
  });

  test("autotask_get_api_usage reports the threshold counters", async () => {
    const usage = await ctx.ok("autotask_get_api_usage");
    expect(usage.threshold).toBe(10000);
    expect(usage.used).toBeGreaterThan(0);
    expect(usage.advice).toBeString();
  });
});

describe("resources and prompts of the original", () => {
  test("lists and reads autotask:// resources", async () => {
    const { resources } = await ctx.session.client.listResources();
    // The ui:// views are listed too (test/ui/resources.test.ts).
    expect(resources.map((r) => r.uri).filter((uri) => uri.startsWith("autotask://")).sort()).toEqual(["autotask://companies", "autotask://contacts", "autotask://tickets", "autotask://time-entries"]);
    const { resourceTemplates } = await ctx.session.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain("autotask://tickets/{id}");
    const read = async (uri: string) => JSON.parse(((await ctx.session.client.readResource({ uri })).contents[0] as { text: string }).text);
    ctx.requests();
    const tickets = await read("autotask://tickets");
    const newest = [...ctx.store().all("Tickets")].sort((a, b) => String(b.createDate).localeCompare(String(a.createDate)) || Number(b.id) - Number(a.id))[0]!;
    expect(tickets).toHaveLength(25);
    expect(tickets[0].id).toBe(newest.id);
    // Recent rows only: a few counts and one short query, never a walk through the whole table.
    const reads = ctx.requests();
    expect(reads.some((r) => /query\/next/i.test(r.path))).toBe(false);
    expect(reads.filter((r) => apiPath(r) === "Tickets/query")).toHaveLength(1);
    const one = await read(`autotask://companies/${newest.companyID}`);
    expect(one.id).toBe(newest.companyID);
    await expect(ctx.session.client.readResource({ uri: "autotask://nope" })).rejects.toThrow(/Unknown resource/);
  });

  test("lists and renders the four prompts", async () => {
    const { prompts } = await ctx.session.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(["escalation_summary", "new_ticket_draft", "ticket_queue_review", "weekly_sla_report"]);
    const prompt = await ctx.session.client.getPrompt({ name: "escalation_summary", arguments: { ticketId: "1234" } });
    expect((prompt.messages[0]!.content as { text: string }).text).toContain("ticket 1234");
    await expect(ctx.session.client.getPrompt({ name: "escalation_summary", arguments: {} })).rejects.toThrow(/ticketId/);
  });
});
