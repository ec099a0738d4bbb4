/** Companies (the MSP itself is id 0), their locations, site configurations, contacts, notes and to-dos. */
import type { Row } from "../schema.ts";
import { CITIES, CLIENT_COMPANIES, JOB_TITLES, STREETS, VENDOR_COMPANIES } from "./names.ts";
import { DAY, HOUR, contactOf, iso, midnight, pastMoment, personName, type Seed } from "./context.ts";

const TIERS = ["Gold", "Silver", "Bronze"] as const;
const BACKUPS = ["Datto BCDR", "Veeam to Wasabi", "Acronis Cyber Protect", "Azure Backup"];
const ISPS = ["Comcast Business 500/100", "AT&T Fiber 1G", "Lumen DIA 200M", "Spectrum Business 300/20"];
const FIREWALLS = ["FortiGate 60F", "Meraki MX68", "SonicWall TZ370", "WatchGuard T45"];
/** Type weights for the 30 clients: mostly customers, a few prospects, leads, one dead and one cancelled. */
const CLIENT_TYPES = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 2, 2, 4, 6, 1, 1];

export function seedCompanies(s: Seed): void {
  const { db, rng } = s;
  const company = (values: Record<string, unknown>, daysOld: number): Row => {
    const [city, state, zip] = rng.pick(CITIES);
    const created = s.now - daysOld * DAY;
    const row = db.insert("Companies", {
      phone: `(${rng.int(201, 989)}) 555-${String(rng.int(1000, 9999))}`,
      address1: `${rng.int(100, 9999)} ${rng.pick(STREETS)}`,
      city,
      state,
      postalCode: zip,
      countryID: 237,
      billToAddressToUse: 1,
      invoiceMethod: 1,
      isActive: true,
      isTaxExempt: false,
      isClientPortalActive: false,
      isEnabledForComanaged: false,
      isTaskFireActive: false,
      invoiceNonContractItemsToParentCompany: false,
      ownerResourceID: rng.pick(s.accountManagers),
      createDate: iso(created),
      createdByResourceID: s.managerId,
      lastActivityDate: iso(pastMoment(s, 0, 30)),
      lastTrackedModifiedDateTime: iso(pastMoment(s, 0, 60)),
      ...values,
    });
    const location = db.insert("CompanyLocations", {
      companyID: row.id,
      name: "Headquarters",
      isPrimary: true,
      isActive: true,
      isTaxExempt: false,
      overrideAccountTaxSettings: false,
      address1: row.address1,
      city: row.city,
      state: row.state,
      postalCode: row.postalCode,
      countryID: 237,
      phone: row.phone,
    });
    s.locationOf.set(row.id, location.id);
    db.insert("CompanySiteConfigurations", {
      companyID: row.id,
      locationName: "Headquarters",
      userDefinedFields: {
        "Primary ISP": rng.pick(ISPS),
        "Firewall Model": rng.pick(FIREWALLS),
        "Wi-Fi SSID": `${String(row.companyName).split(" ")[0]}-Staff`,
        "Backup Window": rng.pick(["22:00-02:00", "23:00-03:00", "01:00-05:00"]),
      },
    });
    return row;
  };

  company(
    { id: 0, companyName: db.tenant.label, companyType: 1, companyNumber: "0", webAddress: `https://www.${s.domain}`, ownerResourceID: s.managerId },
    3000,
  );
  db.startIdsAt("Companies", 174);
  CLIENT_COMPANIES.forEach(([name, segment], index) => {
    const type = CLIENT_TYPES[index] ?? 1;
    const tier = type === 1 ? rng.pick(TIERS) : null;
    const row = company(
      {
        companyName: name,
        companyType: type,
        companyNumber: `C${String(1000 + index)}`,
        marketSegmentID: segment,
        classification: type === 1 ? rng.pick([101, 101, 101, 102, 104]) : null,
        territoryID: rng.int(1, 3),
        isActive: type !== 4 && type !== 6,
        isClientPortalActive: type === 1 && rng.chance(0.5),
        webAddress: `https://www.${name.toLowerCase().replace(/[^a-z]+/g, "")}.example`,
        userDefinedFields: {
          "Customer Tier": tier,
          "Onboarding Date": type === 1 ? midnight(s.now - rng.int(60, 2000) * DAY) : null,
          "Backup Provider": type === 1 ? rng.pick(BACKUPS) : null,
        },
      },
      rng.int(30, 2500),
    );
    if (tier) s.tierOf.set(row.id, tier);
    s.clients.push(row);
    if (type === 1) s.customers.push(row);
  });
  for (const name of VENDOR_COMPANIES)
    company({ companyName: name, companyType: 7, classification: null, userDefinedFields: {} }, rng.int(500, 2500));

  // A couple of customers have a second site.
  for (const client of rng.sample(s.customers, 4))
    db.insert("CompanyLocations", {
      companyID: client.id,
      name: "Branch Office",
      isPrimary: false,
      isActive: true,
      isTaxExempt: false,
      overrideAccountTaxSettings: false,
      address1: `${rng.int(100, 999)} ${rng.pick(STREETS)}`,
      city: rng.pick(CITIES)[0],
      countryID: 237,
    });

  seedContacts(s);
  seedActivities(s);
}

function seedContacts(s: Seed): void {
  const { db, rng } = s;
  db.startIdsAt("Contacts", 30682901);
  for (const client of s.clients) {
    const count = client.companyType === 1 ? rng.int(3, 7) : rng.int(1, 2);
    const domain = String(client.webAddress).replace("https://www.", "");
    const list: Row[] = [];
    for (let i = 0; i < count; i++) {
      const { first, last } = personName(s);
      list.push(
        db.insert("Contacts", {
          companyID: client.id,
          companyLocationID: s.locationOf.get(client.id),
          firstName: first,
          lastName: last,
          title: i === 0 ? rng.pick(["Office Manager", "Owner", "Practice Manager"]) : rng.pick(JOB_TITLES),
          emailAddress: `${first}.${last}@${domain}`.toLowerCase().replace("'", ""),
          phone: String(client.phone),
          mobilePhone: rng.chance(0.6) ? `(555) 01${String(rng.int(10, 99))}-${String(rng.int(1000, 9999))}` : null,
          isActive: i > 0 && rng.chance(0.1) ? 0 : 1,
          primaryContact: i === 0,
          receivesEmailNotifications: true,
          isOptedOutFromBulkEmail: false,
          solicitationOptOut: false,
          surveyOptOut: rng.chance(0.1),
          countryID: 237,
          createDate: iso(pastMoment(s, 30, 900)),
          lastActivityDate: iso(pastMoment(s, 0, 60)),
          lastModifiedDate: iso(pastMoment(s, 0, 120)),
          userDefinedFields: {},
        }),
      );
    }
    s.contactsOf.set(client.id, list);
  }
  for (const [name, active] of [
    ["Newsletter", true],
    ["Key Decision Makers", true],
    ["Outage Notifications", true],
    ["2019 Holiday Mailing", false],
  ] as const)
    db.insert("ContactGroups", { name, isActive: active });
}

const NOTE_SUBJECTS = [
  "Quarterly business review",
  "Renewal discussion",
  "Follow-up on security assessment",
  "Budget planning for next year",
  "Check-in call",
  "Onboarding kickoff",
];

function seedActivities(s: Seed): void {
  const { db, rng } = s;
  for (let i = 0; i < 50; i++) {
    const client = rng.pick(s.clients);
    const start = pastMoment(s, 0, 200);
    db.insert("CompanyNotes", {
      companyID: client.id,
      contactID: contactOf(s, client.id),
      actionType: rng.pick([1, 2, 3, 4, 5, 6]),
      assignedResourceID: rng.pick([...s.accountManagers, s.managerId]),
      name: rng.pick(NOTE_SUBJECTS),
      note: "Discussed current service levels, upcoming projects and open tickets. Client happy overall.",
      startDateTime: iso(start),
      endDateTime: iso(start + HOUR / 2),
      completedDateTime: iso(start + HOUR / 2),
      createDateTime: iso(start),
      lastModifiedDate: iso(start + HOUR),
      userDefinedFields: {},
    });
  }
  for (let i = 0; i < 20; i++) {
    const client = rng.pick(s.customers);
    const start = s.now + rng.int(-20, 20) * DAY;
    const done = start < s.now && rng.chance(0.6);
    const created = Math.min(start, s.now) - rng.int(1, 10) * DAY;
    db.insert("CompanyToDos", {
      companyID: client.id,
      contactID: contactOf(s, client.id),
      actionType: rng.pick([1, 2, 4, 5]),
      assignedToResourceID: rng.pick(s.accountManagers),
      activityDescription: rng.pick(["Call about renewal", "Schedule QBR", "Send hardware quote", "Review backup report"]),
      startDateTime: midnight(start),
      endDateTime: iso(start - (start % DAY) + DAY - 1000),
      completedDate: done ? iso(start) : null,
      createDateTime: iso(created),
      creatorResourceID: s.managerId,
      lastModifiedDate: iso(created),
      userDefinedFields: {},
    });
  }
}
