/** ~650 tickets (more than one query page) with notes, attachments, checklists, charges and secondary resources. */
import type { Row } from "../schema.ts";
import { QUEUE, TICKET_STATUS } from "../stock.ts";
import { NOTE_TEXTS, TICKET_TITLES } from "./names.ts";
import { DAY, HOUR, contactOf, iso, midnight, productLine, recentBiasedMoment, roleOf, type Seed } from "./context.ts";

const TICKET_COUNT = 650;
const { NEW, COMPLETE, IN_PROGRESS, WAITING_CUSTOMER, DISPATCHED, ESCALATED, WAITING_MATERIALS, WAITING_VENDOR, ON_HOLD } = TICKET_STATUS;
const OPEN_STATUSES = [
  [NEW, 5],
  [IN_PROGRESS, 6],
  [WAITING_CUSTOMER, 3],
  [DISPATCHED, 2],
  [ESCALATED, 1],
  [WAITING_MATERIALS, 1],
  [WAITING_VENDOR, 1],
  [ON_HOLD, 1],
] as const;
const DUE_HOURS: Record<number, number> = { 4: 4, 1: 8, 2: 24, 3: 72 };
const ROOT_CAUSES = ["User error", "Hardware failure", "Vendor outage", "Configuration change", "Software bug"];

export function seedTickets(s: Seed): void {
  const { db, rng } = s;
  const created = Array.from({ length: TICKET_COUNT }, () => recentBiasedMoment(s)).sort((a, b) => a - b);
  db.startIdsAt("Tickets", 10001);
  for (const createdAt of created) {
    const internal = rng.chance(0.06);
    const company = internal ? undefined : rng.pick(s.customers);
    const companyID = company?.id ?? 0;
    const [title, issueType, subIssueType] = rng.pick(TICKET_TITLES);
    const alert = title.startsWith("RMM alert");
    const ageDays = (s.now - createdAt) / DAY;
    const status: number =
      ageDays > 21 ? (rng.chance(0.94) ? COMPLETE : rng.pick([WAITING_CUSTOMER, ON_HOLD, WAITING_VENDOR])) : ageDays > 3 && rng.chance(0.55) ? COMPLETE : rng.weighted(OPEN_STATUSES);
    const priority = rng.weighted([
      [2, 50],
      [3, 25],
      [1, 20],
      [4, 5],
    ] as const);
    const assigned = !(status === NEW && rng.chance(0.6)) && rng.chance(0.9);
    const tech = assigned ? rng.pick(s.techs) : undefined;
    const createdIso = iso(createdAt);
    const completedAt =
      status === COMPLETE ? Math.min(s.now - 60_000, createdAt + rng.int(1, Math.max(2, Math.min(ageDays * 24, 96))) * HOUR) : undefined;
    const lastActivity = completedAt ?? Math.min(s.now - 60_000, createdAt + rng.next() * Math.min(ageDays, 5) * DAY);
    const creator = rng.chance(0.7) ? rng.pick(s.techs).id : db.apiUserResourceId;
    const row = db.insert("Tickets", {
      ticketNumber: db.nextNumber("T", createdIso),
      title,
      description: `${title}. Reported by ${company ? "the client" : "internal staff"}; see notes for troubleshooting.`,
      companyID,
      companyLocationID: company ? s.locationOf.get(companyID) : null,
      contactID: company && rng.chance(0.85) ? contactOf(s, companyID) : null,
      status,
      priority,
      queueID: alert ? QUEUE.MONITORING : rng.weighted([[QUEUE.LEVEL_I, 6], [QUEUE.LEVEL_II, 2], [QUEUE.CLIENT_PORTAL, 2], [QUEUE.POST_SALE, 1]] as const),
      source: alert ? 4 : rng.pick([1, 2, 2, -1, 8]),
      ticketType: alert ? 5 : issueType === 6 ? 1 : rng.pick([1, 2, 2]),
      ticketCategory: alert ? 2 : 3,
      issueType,
      subIssueType,
      serviceLevelAgreementID: company ? (s.tierOf.get(companyID) === "Gold" ? 2 : 1) : 3,
      assignedResourceID: tech?.id ?? null,
      assignedResourceRoleID: tech ? roleOf(s, tech.id) : null,
      contractID: company && rng.chance(0.7) ? (s.managedContractOf.get(companyID) ?? null) : null,
      estimatedHours: rng.pick([0, 0.5, 1, 2, 4]),
      hoursToBeScheduled: 0,
      dueDateTime: iso(createdAt + (DUE_HOURS[priority] ?? 24) * HOUR),
      firstResponseDueDateTime: iso(createdAt + HOUR),
      firstResponseDateTime: assigned ? iso(Math.min(lastActivity, createdAt + rng.int(5, 90) * 60_000)) : null,
      firstResponseAssignedResourceID: tech?.id ?? null,
      resolvedDueDateTime: iso(createdAt + (DUE_HOURS[priority] ?? 24) * 2 * HOUR),
      resolvedDateTime: completedAt ? iso(completedAt) : null,
      completedDate: completedAt ? iso(completedAt) : null,
      completedByResourceID: completedAt ? (tech?.id ?? s.managerId) : null,
      resolution: completedAt ? "Resolved; user confirmed." : null,
      createDate: createdIso,
      creatorResourceID: creator,
      creatorType: 1,
      lastActivityDate: iso(lastActivity),
      lastActivityResourceID: tech?.id ?? creator,
      lastActivityPersonType: 1,
      lastTrackedModificationDateTime: iso(lastActivity),
      serviceLevelAgreementHasBeenMet: completedAt ? rng.chance(0.9) : null,
      userDefinedFields: {
        "Customer Tier": s.tierOf.get(companyID) ?? null,
        "Root Cause": completedAt && rng.chance(0.6) ? rng.pick(ROOT_CAUSES) : null,
        "Customer Satisfaction": completedAt && rng.chance(0.3) ? String(rng.int(3, 5)) : null,
      },
    });
    s.tickets.push(row);
  }
  seedTicketChildren(s);
}

function between(s: Seed, ticket: Row): number {
  const start = Date.parse(String(ticket.createDate));
  const end = Date.parse(String(ticket.lastActivityDate));
  return Math.round(start + s.rng.next() * Math.max(0, end - start));
}

function seedTicketChildren(s: Seed): void {
  const { db, rng } = s;
  db.startIdsAt("TicketNotes", 55001);
  for (const ticket of s.tickets) {
    const notes = rng.weighted([
      [0, 2],
      [1, 4],
      [2, 3],
      [3, 1],
    ] as const);
    for (let i = 0; i < notes; i++) {
      const at = iso(between(s, ticket));
      db.insert("TicketNotes", {
        ticketID: ticket.id,
        title: rng.pick(["Update", "Troubleshooting", "Called user", "Internal note", "Resolution"]),
        description: rng.pick(NOTE_TEXTS),
        noteType: rng.weighted([[1, 5], [3, 2], [5, 2], [4, 1]] as const),
        publish: rng.weighted([[1, 5], [2, 4], [4, 1]] as const),
        creatorResourceID: ticket.assignedResourceID ?? s.managerId,
        createDateTime: at,
        lastActivityDate: at,
        userDefinedFields: {},
      });
    }
  }

  const recent = s.tickets.slice(-150);
  const files: readonly (readonly [string, string, string])[] = [
    ["ipconfig.txt", "text/plain", "Windows IP Configuration\n\n   IPv4 Address. . . : 10.0.4.23\n   Default Gateway . : 10.0.4.1\n"],
    ["vpn-client.log", "text/plain", "2024-05-01 09:12:03 Tunnel down: peer timeout\n2024-05-01 09:12:08 Reconnecting\n"],
    ["error-screenshot.png", "image/png", "\u0089PNG\r\n\u001a\n"],
    ["quote-request.csv", "text/csv", "item,qty\nDell Latitude 5440,2\nDock WD19,2\n"],
  ];
  for (const ticket of rng.sample(recent, 12)) {
    const [fullPath, , content] = rng.pick(files);
    const data = Buffer.from(content, "latin1").toString("base64");
    db.insert("TicketAttachments", {
      parentID: ticket.id,
      parentType: 4,
      title: fullPath.replace(/\.\w+$/, "").replace(/-/g, " "),
      fullPath,
      attachmentType: "FILE_ATTACHMENT",
      contentType: files.find(([name]) => name === fullPath)?.[1] ?? "application/octet-stream",
      data,
      fileSize: Buffer.byteLength(content, "latin1"),
      publish: rng.pick([1, 2]),
      attachDate: iso(between(s, ticket)),
      attachedByResourceID: ticket.assignedResourceID ?? s.managerId,
      isTaskAttachment: false,
    });
  }
  const linked = rng.pick(recent);
  db.insert("TicketAttachments", {
    parentID: linked.id,
    parentType: 4,
    title: "Vendor knowledge base article",
    fullPath: "https://support.example.com/kb/12345",
    attachmentType: "URL",
    contentType: "text/html",
    fileSize: 0,
    publish: 1,
    attachDate: iso(between(s, linked)),
    attachedByResourceID: s.managerId,
    isTaskAttachment: false,
  });

  const steps = ["Create user account", "Assign Microsoft 365 licence", "Image laptop", "Enrol in Intune", "Deliver and walk through"];
  for (const ticket of s.tickets.filter((t) => t.issueType === 6 && t.subIssueType === 601).slice(-10)) {
    const done = ticket.status === COMPLETE ? steps.length : rng.int(0, steps.length - 1);
    steps.forEach((itemName, index) =>
      db.insert("TicketChecklistItems", {
        ticketID: ticket.id,
        itemName,
        position: index + 1,
        isCompleted: index < done,
        isImportant: index === 0,
        completedDateTime: index < done ? ticket.lastActivityDate : null,
        completedByResourceID: index < done ? (ticket.assignedResourceID ?? s.managerId) : null,
        userDefinedFields: {},
      }),
    );
  }

  const hardware = s.products.filter((p) => Number(p.productCategory) !== 5);
  for (const ticket of rng.sample(s.tickets.filter((t) => t.companyID !== 0), 30)) {
    const product = rng.pick(hardware);
    const quantity = rng.int(1, 3);
    const at = iso(between(s, ticket));
    db.insert("TicketCharges", {
      ticketID: ticket.id,
      ...productLine(product, quantity),
      description: `Supplied ${String(product.name)}`,
      chargeType: rng.pick([1, 3]),
      datePurchased: midnight(Date.parse(at)),
      isBillableToCompany: rng.chance(0.85),
      isBilled: false,
      status: ticket.status === COMPLETE ? 6 : rng.pick([1, 2, 4]),
      billingCodeID: s.billingCodes.hardware,
      createDate: at,
      creatorResourceID: ticket.assignedResourceID ?? s.managerId,
      statusLastModifiedBy: ticket.assignedResourceID ?? s.managerId,
      statusLastModifiedDate: at,
      userDefinedFields: {},
    });
  }

  for (const ticket of rng.sample(s.tickets.filter((t) => t.assignedResourceID !== null && t.status !== COMPLETE), 25)) {
    const other = rng.pick(s.techs.filter((t) => t.id !== ticket.assignedResourceID));
    db.insert("TicketSecondaryResources", { ticketID: ticket.id, resourceID: other.id, roleID: roleOf(s, other.id) });
  }
}
