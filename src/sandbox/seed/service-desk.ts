/**
 * Service-desk cases the sweep tools look for, seeded after everything else (see index.ts):
 * - near-duplicate open tickets: the same issue reported twice within hours, same company and queue;
 * - open tickets whose latest note came from the customer (a contact), one where a workflow rule's
 *   note followed the customer's (not a real note: the customer still waits), and one the desk answered;
 * - files on ticket notes: a screenshot (PNG), a vendor quote (PDF) and a log export (text);
 * - an inactive resource-role assignment (a role a technician no longer works under).
 */
import type { Row } from "../schema.ts";
import { QUEUE, TICKET_STATUS } from "../stock.ts";
import { DAY, HOUR, iso, type Seed } from "./context.ts";

const { LEVEL_I, MONITORING } = QUEUE;
const { NEW, WAITING_CUSTOMER, IN_PROGRESS, CUSTOMER_NOTE_ADDED } = TICKET_STATUS;
/** TicketNotes.noteType "Workflow Rule Action": written by Autotask's workflow rules, not by a person. */
const WORKFLOW_RULE_ACTION = 13;

/** A 16×16 PNG of an error dialog (blue title bar, red exclamation mark): real image bytes. */
const ERROR_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAKklEQVR42mNgiFpFGqK9hoqKig9EA6Biamg4IScHRyNGwyAMJRrENEkAAGfmD08qGY8gAAAAAElFTkSuQmCC";

/** A one-page PDF showing `lines` in Helvetica, with a correct cross-reference table. */
function onePagePdf(lines: string[]): string {
  const text = `BT /F1 11 Tf 50 760 Td 14 TL ${lines.map((line) => `(${line.replace(/[()\\]/g, "\\$&")}) '`).join(" ")} ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = objects.map((body, index) => {
    const offset = pdf.length;
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  return `${pdf}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

const contactName = (contact: Row) => `${String(contact.firstName)} ${String(contact.lastName)}`;

export function seedServiceDesk(s: Seed): void {
  const clients = s.customers.filter((c) => (s.contactsOf.get(c.id) ?? []).filter((p) => p.isActive === 1).length >= 2);
  const [dupA, dupB, ...rest] = clients;
  if (!dupA || !dupB || rest.length < 4) throw new Error("seed: too few customers with two active contacts");
  seedDuplicates(s, dupA, dupB);
  seedAwaitingResponse(s, rest.slice(0, 4));
  seedNoteAttachments(s);
  seedPastRole(s);
}

/** An open ticket of a customer, filled in the way seedTickets fills its tickets. */
function openTicket(s: Seed, company: Row, contact: Row, createdAt: number, values: Record<string, unknown>): Row {
  const { db } = s;
  const createdIso = iso(createdAt);
  const tier = s.tierOf.get(company.id) ?? null;
  const row = db.insert("Tickets", {
    ticketNumber: db.nextNumber("T", createdIso),
    companyID: company.id,
    companyLocationID: s.locationOf.get(company.id) ?? null,
    contactID: contact.id,
    priority: 2,
    source: 2,
    ticketType: 2,
    ticketCategory: 3,
    serviceLevelAgreementID: tier === "Gold" ? 2 : 1,
    contractID: s.managedContractOf.get(company.id) ?? null,
    estimatedHours: 0,
    hoursToBeScheduled: 0,
    dueDateTime: iso(createdAt + 24 * HOUR),
    firstResponseDueDateTime: iso(createdAt + HOUR),
    resolvedDueDateTime: iso(createdAt + 48 * HOUR),
    createDate: createdIso,
    creatorResourceID: s.db.apiUserResourceId,
    creatorType: 1,
    lastActivityDate: createdIso,
    lastActivityResourceID: s.db.apiUserResourceId,
    lastActivityPersonType: 1,
    lastTrackedModificationDateTime: createdIso,
    userDefinedFields: { "Customer Tier": tier, "Root Cause": null, "Customer Satisfaction": null },
    ...values,
  });
  s.tickets.push(row);
  return row;
}

function assignTo(s: Seed, tech: Row, at: number): Record<string, unknown> {
  return {
    assignedResourceID: tech.id,
    assignedResourceRoleID: s.rolesOf.get(tech.id)?.[0] ?? null,
    firstResponseDateTime: iso(at),
    firstResponseAssignedResourceID: tech.id,
  };
}

/** Two pairs: an email problem reported by two users of one company, and a monitoring alert raised twice. */
function seedDuplicates(s: Seed, first: Row, second: Row): void {
  const [alice, bob] = (s.contactsOf.get(first.id) ?? []).filter((c) => c.isActive === 1);
  const tech = s.techs[1]!;
  const morning = s.now - 6 * HOUR;
  openTicket(s, first, alice!, morning, {
    title: "Outlook keeps asking for password",
    description: "Outlook prompts for my password every few minutes since this morning, even after I type it in.",
    status: IN_PROGRESS,
    queueID: LEVEL_I,
    issueType: 4,
    subIssueType: 401,
    ...assignTo(s, tech, morning + 20 * 60_000),
    lastActivityDate: iso(morning + 20 * 60_000),
    lastActivityResourceID: tech.id,
  });
  openTicket(s, first, bob!, morning + 3 * HOUR, {
    title: "Outlook keeps asking for my password",
    description: "Outlook keeps popping up a password box; typing the password does not help.",
    status: NEW,
    queueID: LEVEL_I,
    issueType: 4,
    subIssueType: 401,
  });

  const contact = (s.contactsOf.get(second.id) ?? []).find((c) => c.isActive === 1)!;
  const alertAt = s.now - 2 * DAY - 5 * HOUR;
  for (const [offset, status] of [
    [0, IN_PROGRESS],
    [40 * 60_000, NEW],
  ] as const)
    openTicket(s, second, contact, alertAt + offset, {
      title: "RMM alert: server offline",
      description: `Monitoring lost contact with ${String(second.companyName).split(" ")[0]}-SRV-01.`,
      status,
      queueID: MONITORING,
      source: 4,
      ticketType: 5,
      ticketCategory: 2,
      issueType: 1,
      subIssueType: 102,
      priority: 1,
      ...(status === IN_PROGRESS
        ? { ...assignTo(s, tech, alertAt + 15 * 60_000), lastActivityDate: iso(alertAt + 15 * 60_000), lastActivityResourceID: tech.id }
        : {}),
    });
}

interface Conversation {
  title: string;
  status: number;
  /** Who wrote each note, oldest first, and what. */
  notes: ReadonlyArray<readonly ["staff" | "customer" | "workflow", string]>;
}

const CONVERSATIONS: readonly Conversation[] = [
  {
    title: "Printer offline on 2nd floor",
    status: CUSTOMER_NOTE_ADDED,
    notes: [
      ["staff", "Restarted the print spooler remotely; please try printing again and let us know."],
      ["customer", "Still offline this morning. The printer screen shows an error, screenshot attached."],
    ],
  },
  {
    title: "Shared mailbox access for reception",
    status: IN_PROGRESS,
    notes: [
      ["staff", "Access granted to the reception mailbox; it can take up to an hour to appear in Outlook."],
      ["customer", "It has been a day and the mailbox still does not show up for Maria. Can you check?"],
    ],
  },
  {
    title: "VPN drops every hour",
    status: WAITING_CUSTOMER,
    notes: [
      ["staff", "Updated the VPN client to the latest version. Could you tell us if the drops continue?"],
      ["customer", "It dropped twice again after lunch, same as before."],
      ["workflow", "Workflow rule \"Customer replied\": the assigned resource was notified by email."],
    ],
  },
  {
    title: "Scan to email not working",
    status: WAITING_CUSTOMER,
    notes: [
      ["customer", "Scans from the copier never arrive in our inboxes."],
      ["staff", "Updated the SMTP password on the copier. Please send a test scan and confirm it arrives."],
    ],
  },
];

/**
 * Three tickets where the customer wrote last (waiting for us; on one a workflow rule's note came
 * after the customer's) and one where the desk did (answered).
 */
function seedAwaitingResponse(s: Seed, companies: Row[]): void {
  const { db } = s;
  CONVERSATIONS.forEach((conversation, index) => {
    const company = companies[index]!;
    const contact = (s.contactsOf.get(company.id) ?? []).find((c) => c.isActive === 1)!;
    const tech = s.techs[(index + 2) % s.techs.length]!;
    const createdAt = s.now - (index + 2) * DAY - 3 * HOUR;
    const ticket = openTicket(s, company, contact, createdAt, {
      title: conversation.title,
      description: `${conversation.title}, reported by ${contactName(contact)}.`,
      status: conversation.status,
      queueID: LEVEL_I,
      ...assignTo(s, tech, createdAt + 30 * 60_000),
    });
    conversation.notes.forEach(([author, text], n) => {
      const at = iso(createdAt + (n + 1) * 5 * HOUR);
      const fromCustomer = author === "customer";
      if (author === "workflow") {
        // A workflow rule writes as no one, internally; it is no activity of a person on the ticket.
        db.insert("TicketNotes", {
          ticketID: ticket.id,
          title: "Workflow rule: Customer replied",
          description: text,
          noteType: WORKFLOW_RULE_ACTION,
          publish: 2,
          creatorResourceID: null,
          createdByContactID: null,
          createDateTime: at,
          lastActivityDate: at,
          userDefinedFields: {},
        });
        return;
      }
      db.insert("TicketNotes", {
        ticketID: ticket.id,
        title: fromCustomer ? `Reply from ${contactName(contact)}` : "Update",
        description: text,
        noteType: 5,
        publish: 1,
        creatorResourceID: fromCustomer ? null : tech.id,
        createdByContactID: fromCustomer ? contact.id : null,
        createDateTime: at,
        lastActivityDate: at,
        userDefinedFields: {},
      });
      Object.assign(ticket, {
        lastActivityDate: at,
        lastActivityResourceID: fromCustomer ? null : tech.id,
        lastActivityPersonType: fromCustomer ? 2 : 1,
        lastCustomerVisibleActivityDateTime: at,
        lastTrackedModificationDateTime: at,
      });
    });
  });
}

/** Files on notes: the customer's screenshot on the first waiting ticket, and three on recent staff notes. */
function seedNoteAttachments(s: Seed): void {
  const { db, rng } = s;
  db.startIdsAt("TicketNoteAttachments", 31000001);
  const notes = [...db.table("TicketNotes").values()];
  const attach = (note: Row, title: string, fullPath: string, contentType: string, bytes: Buffer, publish: number) => {
    const byContact = note.createdByContactID != null;
    db.insert("TicketNoteAttachments", {
      parentID: note.id,
      title,
      fullPath,
      attachmentType: "FILE_ATTACHMENT",
      contentType,
      data: bytes.toString("base64"),
      fileSize: bytes.length,
      publish,
      attachDate: note.createDateTime,
      attachedByResourceID: byContact ? null : note.creatorResourceID,
      attachedByContactID: byContact ? note.createdByContactID : null,
      creatorType: byContact ? 2 : 1,
      parentType: null,
      isTaskAttachment: false,
    });
  };
  const png = Buffer.from(ERROR_PNG_BASE64, "base64");
  const fromCustomer = notes.find((note) => note.createdByContactID != null)!;
  attach(fromCustomer, "Printer error screenshot", "printer-error.png", "image/png", png, 1);

  const recentTickets = new Set(s.tickets.slice(-150).map((t) => t.id));
  const staffNotes = notes.filter((note) => note.creatorResourceID != null && recentTickets.has(Number(note.ticketID)));
  const [quoteNote, logNote, screenNote] = rng.sample(staffNotes, 3);
  const quote = onePagePdf(["Northwind IT Supply - Quote Q-20418", "Dell Latitude 5440 x2   USD 2,498.00", "WD19S dock x2   USD 398.00", "Valid 30 days"]);
  attach(quoteNote!, "Vendor quote", "vendor-quote.pdf", "application/pdf", Buffer.from(quote, "latin1"), 2);
  const log = "Log Name: System\nSource: Service Control Manager\nEvent ID: 7031\nLevel: Error\nThe Print Spooler service terminated unexpectedly.\n";
  attach(logNote!, "Event log export", "event-log-export.txt", "text/plain", Buffer.from(log, "utf8"), 2);
  attach(screenNote!, "Error screenshot", "error-screenshot.png", "image/png", png, 1);
}

/** A technician who used to work under the (now legacy) field role: the assignment is kept, inactive. */
function seedPastRole(s: Seed): void {
  const { db } = s;
  const legacy = [...db.table("Roles").values()].find((role) => role.isActive === false)!;
  const tech = s.techs.find((t) => t.id !== s.managerId && !(s.rolesOf.get(t.id) ?? []).includes(legacy.id))!;
  const current = [...db.table("ResourceRoles").values()].find((link) => link.resourceID === tech.id)!;
  db.insert("ResourceRoles", { resourceID: tech.id, roleID: legacy.id, departmentID: current.departmentID, queueID: null, isActive: false });
}
