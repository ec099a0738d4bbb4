/**
 * The sandbox entities issue 11's tools need, over real HTTP as a client calls them: recurring
 * service lines and their unit rows, ticket history (read-only, queried by ticket only, written by
 * the sandbox when a ticket changes), note attachments, secondary resources and resource roles.
 * Their seeded data is checked in sandbox-seed.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_SANDBOX_TENANT, startSandbox, type Sandbox } from "../src/sandbox/index.ts";
import { callApi, headersFor, type ApiInit, type Json } from "./helpers/sandbox-api.ts";

const RECURRING_SERVICE = 7;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let sandbox: Sandbox;

const api = (path: string, init?: ApiInit) => callApi(sandbox, path, init);
const store = () => sandbox.store();
const items = async (path: string, filter: unknown[]) => (await api(path, { body: { filter } })).body.items as Json[];
const byTicket = (ticketID: unknown) => [{ op: "eq", field: "ticketID", value: ticketID }];
const history = (ticketID: unknown) => items("TicketHistory/query", byTicket(ticketID));
const ids = (rows: Json[]) => rows.map((row) => row.id);

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.stop());

/** A Recurring Service contract in effect that has no line of `entity` yet. */
function recurringContractWithout(entity: string): Json {
  const lines = store().all(entity);
  return store()
    .all("Contracts")
    .find((c) => c.contractType === RECURRING_SERVICE && c.status === 1 && Date.parse(String(c.endDate)) > Date.now() && !lines.some((l) => l.contractID === c.id))!;
}

describe("recurring service lines", () => {
  test("service and bundle unit rows are queried at their root and under their contract, and never written", async () => {
    const line = store().all("ContractServices")[0]!;
    const rows = await items("ContractServiceUnits/query", [{ op: "eq", field: "contractID", value: line.contractID }]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.contractID === line.contractID)).toBe(true);
    expect(ids((await api(`Contracts/${line.contractID}/ServiceUnits`)).body.items)).toEqual(ids(rows));
    const one = rows[0]!;
    expect((await api(`ContractServiceUnits/${one.id}`)).body.item).toEqual(one);
    expect((await api(`Contracts/${line.contractID}/ServiceUnits/${one.id}`)).body.item).toEqual(one);
    const counted = await api("ContractServiceUnits/query/count", { body: { filter: [{ op: "eq", field: "contractID", value: line.contractID }] } });
    expect(counted.body).toEqual({ queryCount: rows.length });

    const bundle = store().all("ContractServiceBundles")[0]!;
    const bundleRows = (await api(`Contracts/${bundle.contractID}/ServiceBundleUnits`)).body.items as Json[];
    expect(bundleRows.some((row) => row.contractServiceBundleID === bundle.id && row.serviceBundleID === bundle.serviceBundleID)).toBe(true);
    const viaQuery = await items("ContractServiceBundleUnits/query", [{ op: "eq", field: "contractServiceBundleID", value: bundle.id }]);
    expect(viaQuery.length).toBeGreaterThan(0);

    const body = { contractID: line.contractID, units: 1 };
    for (const [path, method] of [
      ["ContractServiceUnits", "POST"],
      ["ContractServiceUnits", "PATCH"],
      [`Contracts/${line.contractID}/ServiceUnits`, "POST"],
      [`Contracts/${bundle.contractID}/ServiceBundleUnits`, "PATCH"],
      [`ContractServiceUnits/${one.id}`, "DELETE"],
    ] as const) {
      const refused = await api(path, { method, body: method === "DELETE" ? undefined : body });
      expect(refused.status).toBe(405);
    }
    expect(store().get("ContractServiceUnits", one.id)).toEqual(one);
  });

  test("contract service bundles: created and updated through the contract's URL, on Recurring Service contracts only", async () => {
    const contract = recurringContractWithout("ContractServiceBundles");
    const bundle = store().all("ServiceBundles").find((b) => b.isActive)!;
    const path = `Contracts/${contract.id}/ServiceBundles`;

    const missing = await api(path, { body: { serviceBundleID: bundle.id } });
    expect(missing.status).toBe(500);
    expect(missing.body.errors).toEqual(["Missing Required Field: unitPrice"]);
    const created = await api(path, { body: { serviceBundleID: bundle.id, unitPrice: 99, invoiceDescription: "Essentials" } });
    expect(created.status).toBe(200);
    const id = created.body.itemId as number;
    expect(store().get("ContractServiceBundles", id)).toMatchObject({ contractID: contract.id, serviceBundleID: bundle.id, unitPrice: 99, adjustedPrice: null });
    expect(sandbox.requests.at(-1)).toMatchObject({ method: "POST", path: `/ATServicesRest/V1.0/${path}`, entity: "ContractServiceBundles", status: 200 });
    expect((await api(`${path}/${id}`)).body.item).toMatchObject({ id, contractID: contract.id, unitPrice: 99 });
    expect(ids(await items("ContractServiceBundles/query", [{ op: "eq", field: "contractID", value: contract.id }]))).toEqual([id]);

    const again = await api(path, { body: { serviceBundleID: bundle.id, unitPrice: 99 } });
    expect(again.body.errors).toEqual([`Service bundle ${bundle.id} is already on contract ${contract.id}.`]);
    const block = store().all("Contracts").find((c) => c.contractType === 4)!;
    const wrongType = await api(`Contracts/${block.id}/ServiceBundles`, { body: { serviceBundleID: bundle.id, unitPrice: 99 } });
    expect(wrongType.status).toBe(500);
    expect(wrongType.body.errors[0]).toContain(`Contract ${block.id} is not a Recurring Service contract (contractType 4)`);
    const unknown = await api(path, { body: { serviceBundleID: 999999, unitPrice: 1 } });
    expect(unknown.body.errors).toEqual(["ServiceBundle 999999 (serviceBundleID) does not exist or access is denied."]);
    expect((await api("ContractServiceBundles", { body: { contractID: contract.id, serviceBundleID: bundle.id, unitPrice: 1 } })).status).toBe(405);

    const patched = await api(path, { method: "PATCH", body: { id, adjustedPrice: 89.5, invoiceDescription: "Essentials (loyalty price)" } });
    expect(patched.body).toEqual({ itemId: id });
    expect(store().get("ContractServiceBundles", id)).toMatchObject({ unitPrice: 99, adjustedPrice: 89.5, invoiceDescription: "Essentials (loyalty price)" });
    const refused = await api(path, { method: "PATCH", body: { id, unitPrice: 120 } });
    expect(refused.status).toBe(500);
    expect(refused.body.errors[0]).toStartWith("unitPrice cannot be changed on an existing ContractServiceBundle; only adjustedPrice");
    expect(store().get("ContractServiceBundles", id)!.unitPrice).toBe(99);
    expect((await api(`${path}/${id}`, { method: "DELETE" })).status).toBe(405);
    expect(store().get("ContractServiceBundles", id)).toBeDefined();
  });

  test("contract services: added to Recurring Service contracts only; an update may change the price and invoice text, not the service", async () => {
    const contract = store().all("Contracts").find((c) => c.contractType === RECURRING_SERVICE && c.status === 1)!;
    const taken = new Set(store().all("ContractServices").filter((l) => l.contractID === contract.id).map((l) => l.serviceID));
    const [service, other] = store().all("Services").filter((s) => s.isActive && !taken.has(s.id));
    const path = `Contracts/${contract.id}/Services`;
    const created = await api(path, { body: { serviceID: service!.id, unitPrice: 50, unitCost: 20 } });
    expect(created.status).toBe(200);
    const id = created.body.itemId as number;

    const timeAndMaterials = store().all("Contracts").find((c) => c.contractType === 1)!;
    const wrongType = await api(`Contracts/${timeAndMaterials.id}/Services`, { body: { serviceID: service!.id, unitPrice: 50 } });
    expect(wrongType.body.errors[0]).toContain("is not a Recurring Service contract (contractType 1)");

    expect((await api(path, { method: "PATCH", body: { id, unitPrice: 45, invoiceDescription: "Managed endpoints" } })).body).toEqual({ itemId: id });
    expect(store().get("ContractServices", id)).toMatchObject({ serviceID: service!.id, unitPrice: 45, unitCost: 20, invoiceDescription: "Managed endpoints" });
    for (const [field, value] of [
      ["serviceID", other!.id],
      ["unitCost", 25],
    ] as const) {
      const refused = await api(path, { method: "PATCH", body: { id, [field]: value } });
      expect(refused.status).toBe(500);
      expect(refused.body.errors[0]).toStartWith(`${field} cannot be changed on an existing ContractService`);
    }
    expect(store().get("ContractServices", id)).toMatchObject({ serviceID: service!.id, unitCost: 20 });
  });
});

describe("contracts", () => {
  test("a contract is created with its required fields; the time-reporting flag is 0 or 1 and the contact the company's", async () => {
    const [company, other] = store().all("Companies").filter((c) => c.companyType === 1 && c.id !== 0);
    const contact = store().all("Contacts").find((c) => c.companyID === company!.id)!;
    const stranger = store().all("Contacts").find((c) => c.companyID === other!.id)!;
    const body = {
      companyID: company!.id,
      contactID: contact.id,
      contractName: "Managed Print",
      contractType: RECURRING_SERVICE,
      status: 1,
      startDate: "2026-03-10T22:30:00-05:00",
      endDate: "2027-03-09",
      timeReportingRequiresStartAndStopTimes: 0,
    };
    const missing = await api("Contracts", { body: { ...body, timeReportingRequiresStartAndStopTimes: undefined } });
    expect(missing.body.errors).toEqual(["Missing Required Field: timeReportingRequiresStartAndStopTimes"]);
    const notAFlag = await api("Contracts", { body: { ...body, timeReportingRequiresStartAndStopTimes: 2 } });
    expect(notAFlag.body.errors).toEqual(["Value 2 is not a valid value for timeReportingRequiresStartAndStopTimes (0 or 1)"]);
    const foreignContact = await api("Contracts", { body: { ...body, contactID: stranger.id } });
    expect(foreignContact.body.errors).toEqual([`Contact ${String(stranger.id)} does not belong to company ${String(company!.id)}.`]);
    const created = await api("Contracts", { body });
    expect(created.status).toBe(200);
    // Calendar dates are kept as written, at midnight: the 10th stays the 10th.
    expect((await api(`Contracts/${created.body.itemId}`)).body.item).toMatchObject({
      contractName: "Managed Print",
      startDate: "2026-03-10T00:00:00.000Z",
      endDate: "2027-03-09T00:00:00.000Z",
    });
  });
});

describe("ticket history", () => {
  test("is read with exactly one ticketID-equals filter, like Autotask; anything else is refused", async () => {
    const ticket = store().all("Tickets")[0]!;
    const rows = await history(ticket.id);
    expect(rows[0]).toMatchObject({ ticketID: ticket.id, action: "Created", detail: "Ticket created", date: ticket.createDate });
    const search = encodeURIComponent(JSON.stringify({ filter: [{ op: "EQ", field: "TicketID", value: String(ticket.id) }] }));
    expect((await api(`TicketHistory/query?search=${search}`)).body.items).toEqual(rows);
    expect((await api("TicketHistory/query/count", { body: { filter: byTicket(ticket.id) } })).body).toEqual({ queryCount: rows.length });
    expect((await api(`TicketHistory/${rows[0]!.id}`)).body.item).toEqual(rows[0]);
    expect((await api("TicketHistory/entityInformation")).body.info).toMatchObject({
      name: "TicketHistory",
      canQuery: true,
      canCreate: false,
      canUpdate: false,
      canDelete: false,
    });

    for (const filter of [
      [{ op: "exist", field: "id" }],
      [...byTicket(ticket.id), { op: "eq", field: "action", value: "Created" }],
      [{ op: "in", field: "ticketID", value: [ticket.id] }],
      [{ op: "gt", field: "ticketID", value: 0 }],
      [{ op: "eq", field: "resourceID", value: ticket.creatorResourceID }],
      [{ op: "and", items: byTicket(ticket.id) }],
    ]) {
      const refused = await api("TicketHistory/query", { body: { filter } });
      expect(refused.status).toBe(500);
      expect(refused.body.errors[0]).toStartWith("TicketHistory can only be queried with a single filter: ticketID equals one ticket id");
    }
    const unknown = await api("TicketHistory/query", { body: { filter: byTicket(999999999) } });
    expect(unknown.body).toEqual({ errors: ["Ticket 999999999 does not exist or access is denied."] });
    for (const [path, method] of [
      ["TicketHistory", "POST"],
      ["TicketHistory", "PATCH"],
      [`TicketHistory/${rows[0]!.id}`, "DELETE"],
    ] as const)
      expect((await api(path, { method, body: method === "DELETE" ? undefined : { ticketID: ticket.id, action: "x" } })).status).toBe(405);
  });

  test("a PATCH of a ticket writes one row per changed field, worded with labels and names, attributed to the caller", async () => {
    const ticket = store().all("Tickets").find((t) => t.status === 1 && t.priority === 2 && t.assignedResourceID === null && t.companyID !== 0)!;
    const link = store().all("ResourceRoles").find((l) => l.isActive && l.resourceID !== store().apiUserResourceId && store().get("Resources", l.resourceID as number)!.isActive)!;
    const tech = store().get("Resources", link.resourceID as number)!;
    const impersonated = headersFor(DEFAULT_SANDBOX_TENANT, { ImpersonationResourceId: String(tech.id) });
    const before = (await history(ticket.id)).length;

    const title = "Email not syncing on any device";
    const patched = await api("Tickets", { method: "PATCH", headers: impersonated, body: { id: ticket.id, status: 8, priority: 1, title } });
    expect(patched.status).toBe(200);
    const added = (await history(ticket.id)).slice(before);
    expect(added.map((row) => [row.action, row.detail])).toEqual([
      ["Title Changed", `Title changed from "${String(ticket.title)}" to "${title}"`],
      ["Status Changed", "Status changed from New to In Progress"],
      ["Priority Changed", "Priority changed from Medium to High"],
    ]);
    expect(added.every((row) => row.resourceID === tech.id && row.ticketID === ticket.id)).toBe(true);
    expect(Math.abs(Date.parse(added[0]!.date) - Date.now())).toBeLessThan(60_000);

    // Sending the same values again changes nothing, so adds nothing.
    await api("Tickets", { method: "PATCH", body: { id: ticket.id, status: 8, priority: 1, title } });
    expect(await history(ticket.id)).toHaveLength(before + 3);

    await api("Tickets", { method: "PATCH", body: { id: ticket.id, assignedResourceID: tech.id, assignedResourceRoleID: link.roleID } });
    expect((await history(ticket.id)).at(-1)).toMatchObject({
      action: "Primary Resource Changed",
      detail: `Primary Resource changed from (none) to ${String(tech.firstName)} ${String(tech.lastName)}`,
      resourceID: store().apiUserResourceId,
    });

    const created = await api("Tickets", { body: { companyID: ticket.companyID, title: "Monitor flickering", status: 1, priority: 2 } });
    expect((await history(created.body.itemId)).map((row) => [row.action, row.detail])).toEqual([["Created", "Ticket created"]]);
  });
});

describe("ticket note attachments", () => {
  const seededPng = () => String(store().all("TicketNoteAttachments").find((a) => a.contentType === "image/png")!.data);

  test("are uploaded through the note's URL; the bytes come back only from the single-item GET", async () => {
    const [note, otherNote] = store().all("TicketNotes").slice(-40);
    const path = `TicketNotes/${note!.id}/Attachments`;
    const png = seededPng();
    const created = await api(path, {
      body: { attachmentType: "FILE_ATTACHMENT", title: "Screenshot", fullPath: "screen.PNG", publish: 2, data: png, contentType: "text/html", fileSize: 1 },
    });
    expect(created.status).toBe(200);
    const id = created.body.itemId as number;
    expect(sandbox.requests.at(-1)).toMatchObject({ method: "POST", path: `/ATServicesRest/V1.0/${path}`, entity: "TicketNoteAttachments" });

    const listed = ((await api(path)).body.items as Json[]).find((item) => item.id === id);
    expect(listed).toMatchObject({
      parentID: note!.id,
      title: "Screenshot",
      contentType: "image/png",
      fileSize: Buffer.from(png, "base64").length,
      publish: 2,
      creatorType: 1,
      attachedByResourceID: store().apiUserResourceId,
      data: null,
    });
    const single = (await api(`${path}/${id}`)).body.item;
    expect(single.data).toBe(png);
    expect([...Buffer.from(single.data, "base64").subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect((await api(`TicketNoteAttachments/${id}`)).body.item.data).toBeNull();
    expect((await items("TicketNoteAttachments/query", [{ op: "eq", field: "parentID", value: note!.id }]))[0]!.data).toBeNull();
    expect((await api(`TicketNotes/${otherNote!.id}/Attachments/${id}`)).body).toEqual({ item: null });

    expect((await api("TicketNoteAttachments", { body: { parentID: note!.id, attachmentType: "URL", title: "x", fullPath: "https://x.example", publish: 1 } })).status).toBe(405);
    expect((await api(`TicketNoteAttachments/${id}`, { method: "DELETE" })).status).toBe(405);
    expect((await api(`${path}/${id}`, { method: "DELETE" })).body).toEqual({ itemId: id });
    expect(store().get("TicketNoteAttachments", id)).toBeUndefined();
  });

  test("bad base64, oversize files, bad picklist values, missing fields and unknown notes are refused, storing nothing", async () => {
    const note = store().all("TicketNotes")[0]!;
    const path = `TicketNotes/${note.id}/Attachments`;
    const file = { attachmentType: "FILE_ATTACHMENT", title: "notes", fullPath: "notes.txt", publish: 1 };
    const before = store().count("TicketNoteAttachments");
    const oversize = "A".repeat(8_388_612); // 6,291,459 bytes: three over 6 MiB
    for (const [body, error] of [
      [{ ...file, data: "not base64!" }, "data is not valid base64."],
      [{ ...file, data: "QUJDRA" }, "data is not valid base64."],
      [{ ...file, data: oversize }, "The attachment is 6291459 bytes; the limit is 6291456."],
      [file, "Missing Required Field: data (a FILE_ATTACHMENT needs base64 data)"],
      [{ ...file, data: "QUJD", publish: 4 }, "Value 4 is not a valid value for publish"],
      [{ ...file, data: "QUJD", attachmentType: "LINK" }, "Value LINK is not a valid value for attachmentType"],
      [{ title: "notes", fullPath: "notes.txt", publish: 1, data: "QUJD" }, "Missing Required Field: attachmentType"],
    ] as const) {
      const refused = await api(path, { body });
      expect(refused.status).toBe(500);
      expect(refused.body.errors).toEqual([error]);
    }
    const orphan = await api("TicketNotes/999999999/Attachments", { body: { ...file, data: "QUJD" } });
    expect(orphan.body.errors).toEqual(["TicketNote with id 999999999 does not exist or access is denied."]);
    expect(store().count("TicketNoteAttachments")).toBe(before);
    const bySize = await api("TicketNoteAttachments/query", { body: { filter: [{ op: "gt", field: "fileSize", value: 0 }] } });
    expect(bySize.body.errors).toEqual(["The fileSize field of the TicketNoteAttachment entity cannot be queried."]);
  });
});

describe("ticket secondary resources and resource roles", () => {
  test("secondary resources are added and removed through the ticket's URL, under a role the resource holds", async () => {
    const taken = store().all("TicketSecondaryResources");
    const ticket = store().all("Tickets").find((t) => t.status !== 5 && t.assignedResourceID !== null && !taken.some((l) => l.ticketID === t.id))!;
    const link = store()
      .all("ResourceRoles")
      .find((l) => l.isActive && l.resourceID !== ticket.assignedResourceID && l.resourceID !== store().apiUserResourceId && store().get("Resources", l.resourceID as number)!.isActive)!;
    const path = `Tickets/${ticket.id}/SecondaryResources`;
    const created = await api(path, { body: { resourceID: link.resourceID, roleID: link.roleID } });
    expect(created.status).toBe(200);
    const id = created.body.itemId as number;
    expect((await api(path)).body.items).toEqual([{ id, resourceID: link.resourceID, roleID: link.roleID, ticketID: ticket.id, userDefinedFields: [] }]);
    expect(ids(await items("TicketSecondaryResources/query", byTicket(ticket.id)))).toEqual([id]);

    const again = await api(path, { body: { resourceID: link.resourceID, roleID: link.roleID } });
    expect(again.body.errors).toEqual(["That resource and role are already on the ticket."]);
    const past = store().all("ResourceRoles").find((l) => l.isActive === false)!;
    const inactiveRole = await api(path, { body: { resourceID: past.resourceID, roleID: past.roleID } });
    expect(inactiveRole.body.errors[0]).toContain(`is not assigned to role ${String(past.roleID)}`);
    expect((await api("TicketSecondaryResources", { body: { ticketID: ticket.id, resourceID: link.resourceID, roleID: link.roleID } })).status).toBe(405);

    expect((await api(`TicketSecondaryResources/${id}`, { method: "DELETE" })).status).toBe(405);
    expect((await api(`${path}/${id}`, { method: "DELETE" })).body).toEqual({ itemId: id });
    expect((await api(path)).body.items).toEqual([]);
  });

  test("resource roles are searched by resource, role and isActive, the seeded past assignment included, and never written", async () => {
    const inactive = await items("ResourceRoles/query", [{ op: "eq", field: "isActive", value: false }]);
    expect(inactive.length).toBeGreaterThan(0);
    const past = inactive[0]!;
    expect(store().get("Roles", past.roleID)!.isActive).toBe(false);
    expect(store().get("Resources", past.resourceID)!.isActive).toBe(true);
    const ofResource = (await api(`Resources/${past.resourceID}/Roles`)).body.items as Json[];
    expect(ofResource.map((l) => l.isActive)).toContain(true);
    expect(ids(ofResource)).toContain(past.id);
    const byRole = await items("ResourceRoles/query", [{ op: "eq", field: "roleID", value: past.roleID }, { op: "eq", field: "isActive", value: true }]);
    expect(ids(byRole)).toEqual(ids(store().all("ResourceRoles").filter((l) => l.roleID === past.roleID && l.isActive === true)));
    expect((await api(`Resources/${past.resourceID}/Roles`, { body: { roleID: past.roleID, isActive: true } })).status).toBe(405);
  });
});
