/** The MSP's own setup: countries, departments, roles, billing codes, ticket categories, staff. */
import { DEPARTMENTS, TICKET_CATEGORIES, parseSpec } from "../picklists.ts";
import { QUEUE } from "../stock.ts";
import { DAY, iso, midnight, type Seed } from "./context.ts";

const COUNTRIES: readonly (readonly [number, string, string, number])[] = [
  [13, "AU", "Australia", 4],
  [38, "CA", "Canada", 1],
  [81, "DE", "Germany", 3],
  [102, "IE", "Ireland", 2],
  [151, "NL", "Netherlands", 3],
  [155, "NZ", "New Zealand", 4],
  [236, "GB", "United Kingdom", 2],
  [237, "US", "United States", 1],
];

/** [name, hourly rate, active] */
const ROLES: readonly (readonly [string, number, boolean])[] = [
  ["Help Desk Technician", 95, true],
  ["Level II Technician", 125, true],
  ["Senior Engineer", 165, true],
  ["Network Engineer", 155, true],
  ["Project Manager", 145, true],
  ["Service Desk Manager", 135, true],
  ["Account Manager", 120, true],
  ["Field Technician (legacy)", 90, false],
];

/** [first, last, title, role indexes, department index, active] */
const STAFF: readonly (readonly [string, string, string, number[], number, boolean])[] = [
  ["Dana", "Whitfield", "Service Desk Manager", [5, 1], 0, true],
  ["Marcus", "Reyes", "Help Desk Technician", [0], 0, true],
  ["Jenna", "Kowalczyk", "Help Desk Technician", [0], 0, true],
  ["Tyler", "Brooks", "Help Desk Technician", [0, 1], 0, true],
  ["Aisha", "Rahman", "Level II Technician", [1, 0], 0, true],
  ["Ben", "Carter", "Level II Technician", [1], 0, true],
  ["Sofia", "Lindqvist", "Senior Engineer", [2, 1], 1, true],
  ["Raj", "Malhotra", "Network Engineer", [3, 2], 1, true],
  ["Hannah", "Osei", "Project Manager", [4], 1, true],
  ["Greg", "Novak", "Project Manager", [4, 2], 1, true],
  ["Lauren", "Pike", "Account Manager", [6], 2, true],
  ["Chris", "Donnelly", "Account Manager", [6], 2, true],
  ["Paula", "Meier", "Operations Director", [5], 3, true],
  ["Kevin", "Doyle", "Field Technician", [7, 0], 0, false],
];

export function seedOrg(s: Seed): void {
  const { db } = s;
  for (const [id, code, name, format] of COUNTRIES)
    db.insert("Countries", {
      id,
      countryCode: code,
      name,
      displayName: name,
      addressFormatID: format,
      isActive: true,
      isDefaultCountry: id === 237,
    });

  for (const { value, label } of parseSpec(DEPARTMENTS))
    db.insert("Departments", {
      id: Number(value),
      name: label,
      description: `${label} department`,
      number: `D${value.slice(-2)}`,
      primaryLocationID: 1,
    });
  const departments = parseSpec(DEPARTMENTS).map((d) => Number(d.value));

  db.startIdsAt("Roles", 29683461);
  const roleIds = ROLES.map(
    ([name, rate, active]) =>
      db.insert("Roles", {
        name,
        description: `${name} billing role`,
        hourlyRate: rate,
        hourlyFactor: 1,
        isActive: active,
        isExcludedFromNewContracts: !active,
        isSystemRole: false,
        roleType: 1,
      }).id,
  );

  db.startIdsAt("BillingCodes", 29682801);
  const code = (name: string, useType: number, price: number, extra: Record<string, unknown> = {}) =>
    db.insert("BillingCodes", {
      name,
      description: name,
      useType,
      billingCodeType: 0,
      afterHoursWorkType: 1,
      department: departments[0],
      generalLedgerAccount: useType === 2 ? 4100 : 4000,
      isActive: true,
      isExcludedFromNewContracts: false,
      unitPrice: price,
      unitCost: Math.round(price * 0.4),
      markupRate: 0,
      ...extra,
    }).id;
  s.billingCodes = {
    remote: code("Remote Support", 1, 125),
    onsite: code("Onsite Support", 1, 150),
    afterHours: code("After Hours Support", 1, 190, { afterHoursWorkType: 2 }),
    project: code("Project Labor", 1, 145, { department: departments[1], generalLedgerAccount: 4200 }),
    travel: code("Travel", 1, 75),
    internal: code("Internal Admin", 4, 0, { department: departments[3] }),
    training: code("Training", 4, 0, { department: departments[3] }),
    hardware: code("Hardware", 2, 0, { generalLedgerAccount: 4100 }),
    software: code("Software Licensing", 2, 0, { generalLedgerAccount: 4100 }),
    mileage: code("Mileage", 3, 0.65),
  };
  code("Legacy Block Time", 1, 110, { isActive: false });

  for (const { value, label, isDefaultValue, isActive } of parseSpec(TICKET_CATEGORIES))
    db.insert("TicketCategories", {
      id: Number(value),
      name: label,
      nickname: label.replace(/[^A-Za-z]/g, "").slice(0, 10),
      isActive,
      isApiOnly: false,
      isGlobalDefault: isDefaultValue,
      displayColorRGB: (Number(value) % 5) + 1,
    });

  seedStaff(s, roleIds, departments);
}

function seedStaff(s: Seed, roleIds: number[], departments: number[]): void {
  const { db, rng } = s;
  db.startIdsAt("Resources", 29682885);
  const resource = (values: Record<string, unknown>) =>
    db.insert("Resources", {
      resourceType: "Employee",
      dateFormat: "MM/dd/yyyy",
      timeFormat: "h:mm a",
      numberFormat: "X,XXX.XX",
      emailTypeCode: "PRIMARY",
      locationID: 1,
      payrollType: 1,
      ...values,
    });
  const link = (resourceId: number, roleIndexes: number[], departmentIndex: number) => {
    const roles = roleIndexes.map((i) => roleIds[i] ?? roleIds[0]!);
    s.rolesOf.set(resourceId, roles);
    for (const roleID of roles)
      db.insert("ResourceRoles", {
        resourceID: resourceId,
        roleID,
        departmentID: departments[departmentIndex] ?? departments[0],
        queueID: departmentIndex === 0 ? QUEUE.LEVEL_I : null,
        isActive: true,
      });
    return roles[0];
  };

  const api = resource({
    firstName: "API",
    lastName: "User",
    email: db.tenant.username,
    userName: db.tenant.username,
    title: "API User (autotask-mcp)",
    initials: "AU",
    isActive: true,
    licenseType: 7,
    userType: 5,
    hireDate: midnight(s.now - 400 * DAY),
    internalCost: 0,
  });
  db.apiUserResourceId = api.id;
  api.defaultServiceDeskRoleID = link(api.id, [0], 0);

  for (const [first, last, title, roles, department, active] of STAFF) {
    const row = resource({
      firstName: first,
      lastName: last,
      email: `${first}.${last}@${s.domain}`.toLowerCase(),
      userName: `${first[0]}${last}`.toLowerCase(),
      title,
      initials: `${first[0]}${last[0]}`,
      isActive: active,
      licenseType: title.includes("Manager") || title.includes("Director") ? 1 : 2,
      userType: title.includes("Project") ? 4 : title.includes("Manager") ? 2 : 3,
      officePhone: `(303) 555-01${String(rng.int(10, 99))}`,
      officeExtension: String(rng.int(200, 299)),
      mobilePhone: `(720) 555-0${String(rng.int(100, 199))}`,
      hireDate: iso(s.now - rng.int(200, 3000) * DAY - (s.now % DAY)),
      internalCost: rng.int(35, 70),
      travelAvailabilityPct: `${rng.pick([0, 25, 50])}%`,
    });
    row.defaultServiceDeskRoleID = link(row.id, roles, department);
    if (!active) continue;
    if (title.includes("Account")) s.accountManagers.push(row.id);
    else if (title.includes("Project")) s.projectManagers.push(row.id);
    else if (title === "Service Desk Manager") s.managerId = row.id;
    if (!title.includes("Account") && !title.includes("Director")) s.techs.push(row);
  }
}

/**
 * People whose names break "first word + rest" matching, as MSP staff and clients have them: two
 * first names, a last name with an apostrophe (typographic, as Word and Outlook type it), a hyphen,
 * a two-word last name. Seeded last, so the rest of the seed is unchanged.
 */
export function seedNamesakes(s: Seed): void {
  const { db } = s;
  const staff: Array<[string, string, string]> = [
    ["Mary Ann", "O'Neil", "Finance Director"],
    ["Emeka", "Anders", "Help Desk Technician"],
    ["Anne-Marie", "Dubois-Laurent", "Help Desk Technician"],
  ];
  const roleId = [...db.table("Roles").values()][0]!.id;
  for (const [first, last, title] of staff) {
    const row = db.insert("Resources", {
      firstName: first,
      lastName: last,
      email: `${first}.${last}@${s.domain}`.toLowerCase().replace(/[' ]/g, ""),
      userName: `${first[0]}${last}`.toLowerCase().replace(/[' -]/g, ""),
      title,
      initials: `${first[0]}${last[0]}`,
      resourceType: "Employee",
      isActive: true,
      licenseType: 2,
      userType: 3,
      locationID: 1,
      payrollType: 1,
      hireDate: iso(s.now - 500 * DAY - (s.now % DAY)),
      internalCost: 40,
      defaultServiceDeskRoleID: roleId,
    });
    db.insert("ResourceRoles", { resourceID: row.id, roleID: roleId, departmentID: [...db.table("Departments").values()][0]!.id, queueID: null, isActive: true });
  }
  const client = s.clients[0]!;
  const domain = String(client.webAddress).replace("https://www.", "");
  for (const [first, last] of [
    ["Mary Ann", "O’Neil"],
    ["Emeka", "Anders"],
    ["Jean-Luc", "Van der Berg"],
  ] as const) {
    db.insert("Contacts", {
      companyID: client.id,
      companyLocationID: s.locationOf.get(client.id),
      firstName: first,
      lastName: last,
      title: "Office Manager",
      emailAddress: `${first}.${last}@${domain}`.toLowerCase().replace(/[’ ]/g, ""),
      phone: String(client.phone),
      isActive: 1,
      primaryContact: false,
      receivesEmailNotifications: true,
      isOptedOutFromBulkEmail: false,
      solicitationOptOut: false,
      surveyOptOut: false,
      countryID: 237,
      createDate: iso(s.now - 90 * DAY),
      userDefinedFields: {},
    });
  }
}
