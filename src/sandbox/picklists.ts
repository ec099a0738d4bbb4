/**
 * Picklist values, keyed by "Entity.field". Values are tenant data in Autotask, so every tenant gets its
 * own copy (buildPicklists) and later tenants get a few extra custom values, letting tests see that
 * picklists are per tenant.
 *
 * Spec syntax, one entry per "|": `value=Label`, then optional `^parent` (dependent picklist), then
 * flags: `*` default, `!` inactive, `#` system value.
 */
import type { PicklistValue } from "./types.ts";

const QUEUES =
  "29682833=Client Portal|29683354=Level I Support*|29683355=Level II Support|29683356=Monitoring Alerts|29683357=Post Sale|29683358=Projects & Onboarding|29682969=Legacy Helpdesk!";
const SLAS = "1=Standard SLA*|2=Premium SLA|3=Best Effort|4=Legacy 24x7!";
const PERSON_TYPES = "1=Resource#|2=Contact#";
const NOTE_PUBLISH = "1=All Autotask Users*#|2=Internal Only#|4=Internal & Co-Managed#";
const ACTION_TYPES = "1=Phone Call|2=Meeting|3=Email|4=Quarterly Business Review|5=Site Visit|6=General Note*|7=Fax!";
const PERIOD_TYPES = "1=One-Time|2=Monthly*|3=Quarterly|4=Semi-Annual|5=Yearly";
const CHARGE_TYPES = "1=Operational*|2=Capitalized|3=Material|4=Expense";
const CHARGE_STATUSES =
  "1=Need to Order/Fulfill*|2=Ordered|3=Back Ordered|4=Received|5=Delivered/Shipped|6=Fulfilled|7=Cancelled!";
const THERMOMETER = "1=Freezing|2=Cold|3=Neutral|4=Warm|5=Hot";

/** Seeded as TicketCategories rows too, so the picklist and the entity agree. */
export const TICKET_CATEGORIES =
  "2=AEM Alert|3=Standard*#|4=Field Services|5=Change Management|6=Recurring Maintenance|7=RMA!";
/** Seeded as Departments rows too (Projects.department and BillingCodes.department point at them). */
export const DEPARTMENTS = "29683210=Service Desk*|29683211=Professional Services|29683212=Sales|29683213=Administration";

const SPECS: Record<string, string> = {
  "Companies.billToAddressToUse":
    "1=Use Company Address*|2=Use Parent Company Address|3=Use Parent Company Bill To Address|4=Use Other",
  "Companies.classification": "101=Managed Services Client|102=Break/Fix|103=Project Only|104=Key Account",
  "Companies.companyType": "1=Customer*#|2=Lead#|3=Prospect#|4=Dead#|6=Cancellation#|7=Vendor#|8=Partner#",
  "Companies.competitorID": "1=Local IT Contractor|2=Regional MSP|3=In-house IT|4=National MSP!",
  "Companies.invoiceMethod": "1=Email*|2=Print and Mail|3=Email and Print",
  "Companies.marketSegmentID":
    "1=Healthcare|2=Legal|3=Manufacturing|4=Financial Services|5=Education|6=Non-Profit|7=Construction|8=Retail",
  "Companies.territoryID": "1=Metro|2=Regional|3=Remote|4=International!",

  "Tickets.status":
    "1=New*#|5=Complete#|7=Waiting Customer|8=In Progress|9=Waiting Materials|10=Dispatched|11=Escalated|12=Waiting Vendor|13=On Hold|14=Customer Note Added|15=Change Order!",
  "Tickets.priority": "1=High|2=Medium*|3=Low|4=Critical",
  "Tickets.queueID": QUEUES,
  "Tickets.source": "-1=Client Portal#|1=Phone*|2=Email|4=Monitoring Alert|6=Walk-in|8=Web Form|11=Chat!|13=Verbal",
  "Tickets.ticketType": "1=Service Request*#|2=Incident#|3=Problem#|4=Change Request#|5=Alert#",
  "Tickets.ticketCategory": TICKET_CATEGORIES,
  "Tickets.issueType":
    "1=Hardware|2=Software|3=Network|4=Email & Collaboration|5=Security|6=User Administration|7=Printing|8=Telephony!",
  "Tickets.subIssueType":
    "101=Laptop/Desktop^1|102=Server^1|103=Peripheral^1|201=Microsoft 365 Apps^2|202=Line of Business App^2|203=Operating System^2|" +
    "301=Internet Outage^3|302=VPN^3|303=Wi-Fi^3|304=Firewall^3|401=Outlook/Exchange^4|402=Teams^4|403=SharePoint/OneDrive^4|" +
    "501=Phishing^5|502=Antivirus Alert^5|503=MFA^5|601=New Starter^6|602=Leaver^6|603=Password Reset^6|" +
    "701=Printer Offline^7|702=Scan to Email^7|703=Toner^7!|801=Desk Phone^8",
  "Tickets.serviceLevelAgreementID": SLAS,
  "Tickets.changeApprovalBoard": "1=CAB - Infrastructure|2=CAB - Applications",
  "Tickets.changeApprovalStatus": "1=Not Assigned*|2=Requested|3=Approved|4=Rejected",
  "Tickets.changeApprovalType": "1=All Must Approve|2=One Must Approve*",
  "Tickets.creatorType": PERSON_TYPES,
  "Tickets.lastActivityPersonType": PERSON_TYPES,
  "Tickets.currentServiceThermometerRating": THERMOMETER,
  "Tickets.previousServiceThermometerRating": THERMOMETER,
  "Tickets.monitorTypeID": "1=Datto RMM|2=Network Monitor|3=Third Party",
  "Tickets.rmaStatus": "1=Pending|2=Shipped|3=Received|4=Complete",
  "Tickets.rmaType": "1=Warranty Repair|2=Advance Replacement|3=Credit",

  "TicketNotes.noteType":
    "1=Task Summary*#|2=Detailed Description|3=Internal Log|4=Resolution|5=Customer Communication|13=Workflow Rule Action!#",
  "TicketNotes.publish": NOTE_PUBLISH,
  "TicketAttachments.attachmentType": "FILE_ATTACHMENT=File Attachment*#|URL=URL#|FOLDER_LINK=Folder Link#",
  "TicketAttachments.publish": "1=All Autotask Users*#|2=Internal Only#",
  "TicketNoteAttachments.attachmentType": "FILE_ATTACHMENT=File Attachment*#|URL=URL#|FOLDER_LINK=Folder Link#",
  "TicketNoteAttachments.publish": "1=All Autotask Users*#|2=Internal Only#",
  "TicketNoteAttachments.creatorType": PERSON_TYPES,

  "TimeEntries.timeEntryType":
    "1=Regular Time|2=Ticket Time*|3=Travel|6=Project Task Time|7=Service Call Time|9=Legacy Time!",
  "TimeEntries.billingApprovalLevelMostRecent": "0=Not Approved*|1=Level 1|2=Level 2|3=Level 3",

  "Projects.department": DEPARTMENTS,
  "Projects.projectType": "2=Proposal#|3=Template#|4=Internal#|5=Client*#|8=Baseline!#",
  "Projects.status": "0=Inactive#|1=New*#|2=Active|3=Waiting Customer|4=On Hold|5=Complete#|6=Cancelled",
  "Projects.lastActivityPersonType": PERSON_TYPES,
  "ProjectNotes.noteType": "1=Project Notes*#|2=Status Update|3=Issue|4=Risk|5=Decision",
  "ProjectNotes.publish": NOTE_PUBLISH,

  "Tasks.status": "1=New*#|5=Complete#|7=Waiting Customer|8=In Progress|13=On Hold",
  "Tasks.taskType": "1=Fixed Work*#|2=Fixed Duration#",
  "Tasks.priority": "1=High|2=Medium*|3=Low",
  "Tasks.priorityLabel": "1=High|2=Medium*|3=Low|4=Critical",
  "Tasks.taskCategoryID": "1=Standard*|2=Installation|3=Configuration|4=Documentation|5=Training",
  "Tasks.creatorType": PERSON_TYPES,
  "Tasks.lastActivityPersonType": PERSON_TYPES,

  "Resources.dateFormat": "MM/dd/yyyy=MM/dd/yyyy*|dd/MM/yyyy=dd/MM/yyyy|yyyy-MM-dd=yyyy-MM-dd",
  "Resources.emailTypeCode": "PRIMARY=Primary*|HOME=Home|WORK=Work",
  "Resources.gender": "M=Male|F=Female|X=Unspecified*",
  "Resources.licenseType": "1=Administrator#|2=Professional*#|3=Team Member#|4=Co-Managed#|7=API User#",
  "Resources.numberFormat": "X,XXX.XX=1,234.56*|X.XXX,XX=1.234,56",
  "Resources.payrollType": "1=Salaried*|2=Hourly|3=Contractor",
  "Resources.resourceType": "Employee=Employee*#|Contractor=Contractor#|Temporary=Temporary#",
  "Resources.suffix": "1=Jr.|2=Sr.|3=II|4=III",
  "Resources.timeFormat": "h:mm a=12-hour*|HH:mm=24-hour",
  "Resources.userType": "1=Administrator|2=Dispatcher|3=Technician*|4=Project Manager|5=API User (system)",

  "CompanyNotes.actionType": ACTION_TYPES,
  "CompanyToDos.actionType": ACTION_TYPES,

  "ConfigurationItems.configurationItemCategoryID":
    "1=Workstation*|2=Server|3=Network Device|4=Printer|5=Mobile Device|6=Software License",
  "ConfigurationItems.configurationItemType":
    "1=Desktop|2=Laptop*|3=Server|4=Firewall|5=Switch|6=Access Point|7=Printer|8=NAS|9=Phone|10=Legacy Device!",
  "ConfigurationItems.serviceLevelAgreementID": SLAS,
  "ConfigurationItems.lastActivityPersonType": PERSON_TYPES,

  "Contracts.billingPreference": "1=Manual|2=Immediate*|3=Timesheet",
  "Contracts.contractCategory": "1=Managed Services*|2=Block Hours|3=Support Agreement|4=Project|5=Internal",
  "Contracts.contractPeriodType": "1=Monthly*|2=Quarterly|3=Semi-Annual|4=Yearly",
  "Contracts.contractType":
    "1=Time & Materials#|3=Fixed Price#|4=Block Hours#|6=Retainer#|7=Recurring Service*#|8=Per Ticket#",
  "Contracts.serviceLevelAgreementID": SLAS,
  "Contracts.status": "0=Inactive#|1=Active*#",
  "ContractBlocks.paymentType": "1=Check|2=Credit Card|3=Bank Transfer|4=Invoice*",
  "ContractBlocks.status": "0=Inactive|1=Active*",

  "Quotes.approvalStatus": "1=Not Submitted*|2=Pending|3=Approved|4=Rejected",
  "Quotes.paymentType": "1=Credit Card|2=Check|3=Bank Transfer|4=Net 30*",
  "QuoteItems.quoteItemType":
    "1=Product*#|2=Cost#|3=Labor#|4=Expense#|6=Shipping#|11=Service#|12=Service Bundle#",
  "QuoteItems.periodType": PERIOD_TYPES,
  "QuoteItems.taxCategoryID": "1=Non-Taxable|2=Standard Tax*|3=Services",

  "Opportunities.lossReason": "1=Price|2=Went with Competitor|3=No Decision|4=Timing",
  "Opportunities.rating": "1=Hot|2=Warm*|3=Cold",
  "Opportunities.stage": "1=Qualification*|2=Needs Analysis|3=Proposal|4=Negotiation|5=Closed",
  "Opportunities.status": "0=Inactive#|1=Active*#|2=Lost#|3=Closed#|4=Implemented#",
  "Opportunities.winReason": "1=Price|2=Relationship|3=Service Quality|4=Product Fit",

  "ExpenseReports.status": "1=In Progress*#|2=Awaiting Approval#|3=Approved#|4=Rejected#|5=Paid#",
  "ExpenseItems.expenseCategory":
    "1=Mileage|2=Meals|3=Lodging|4=Airfare|5=Parts & Materials|6=Software|7=Other*|8=Entertainment!",
  "ExpenseItems.paymentType": "1=Company Card|2=Personal (Reimbursable)*|3=Cash|4=Company Account",

  "BillingItems.billingItemType":
    "1=Labor#|2=Labor Adjustment#|3=Project Cost#|4=Ticket Cost#|5=Contract Cost#|6=Operational Expense#|7=Recurring Contract Service#",
  "BillingItems.subType":
    "1=Time Entry|2=Ticket Charge|3=Project Charge|4=Contract Charge|5=Expense Item|6=Contract Service",
  "BillingItemApprovalLevels.approvalLevel": "1=Level 1*|2=Level 2|3=Level 3",

  "ServiceCalls.status": "1=New*#|2=Scheduled|3=Dispatched|4=Complete#|5=Cancelled",

  "Products.billingType": "1=Standard*|2=Recurring",
  "Products.periodType": PERIOD_TYPES,
  "Products.priceCostMethod": "1=Flat Price*|2=Markup from Cost|3=Markup Percentage",
  "Products.productCategory": "1=Hardware*|2=Software|3=Networking|4=Accessories|5=Licensing",
  "Services.periodType": PERIOD_TYPES,
  "Services.serviceLevelAgreementID": SLAS,
  "ServiceBundles.periodType": PERIOD_TYPES,
  "ServiceBundles.serviceLevelAgreementID": SLAS,

  "TicketCharges.chargeType": CHARGE_TYPES,
  "TicketCharges.status": CHARGE_STATUSES,
  "ContractCharges.chargeType": CHARGE_TYPES,
  "ContractCharges.status": CHARGE_STATUSES,
  "ProjectCharges.chargeType": CHARGE_TYPES,
  "ProjectCharges.status": CHARGE_STATUSES,

  "ResourceRoles.queueID": QUEUES,
  "BillingCodes.afterHoursWorkType": "1=Standard*|2=After Hours|3=Weekend|4=Holiday",
  "BillingCodes.billingCodeType": "0=Standard*#|1=Flat Rate#|2=Recurring Contract#",
  "BillingCodes.department": DEPARTMENTS,
  "BillingCodes.generalLedgerAccount":
    "4000=Service Revenue*|4100=Product Revenue|4200=Project Revenue|5000=Cost of Sales",
  "BillingCodes.useType": "1=Work Type*#|2=Material#|3=Expense#|4=Internal Time#",
  "TicketCategories.displayColorRGB": "1=Blue*|2=Green|3=Red|4=Orange|5=Purple",
  "Countries.addressFormatID": "1=United States*|2=United Kingdom|3=Europe|4=Australia",
};

/** Custom values that tenants after the first add (a real MSP's lists drift from the defaults). */
const LATER_TENANT_EXTRAS: Record<string, string> = {
  "Tickets.status": "16=Scheduled Onsite|17=Awaiting Change Approval",
  "Tickets.queueID": "29683359=Security Operations",
};

const ENTRY = /^(.+?)=(.+?)(?:\^([^*!#]+))?([*!#]*)$/;

export function parseSpec(spec: string): PicklistValue[] {
  return spec.split("|").map((entry, index) => {
    const match = ENTRY.exec(entry);
    if (!match) throw new Error(`Bad picklist entry "${entry}"`);
    const flags = match[4] ?? "";
    return {
      value: match[1] ?? "",
      label: match[2] ?? "",
      isDefaultValue: flags.includes("*"),
      sortOrder: index + 1,
      parentValue: match[3] ?? "",
      isActive: !flags.includes("!"),
      isSystem: flags.includes("#"),
    };
  });
}

/**
 * The stock value of a picklist entry by its label ("Tickets.status", "Complete" -> 5), for code
 * that means an entry by name (stock.ts); throws on a label the list does not have.
 */
export function stockValue(key: string, label: string): number {
  const spec = SPECS[key];
  const entry = spec === undefined ? undefined : parseSpec(spec).find((value) => value.label === label);
  if (!entry) throw new Error(`No picklist entry "${label}" in ${key}`);
  return Number(entry.value);
}

/** The field whose value selects the entries of a dependent picklist. */
export const PICKLIST_PARENTS: Record<string, string> = { "Tickets.subIssueType": "issueType" };

const known = new Set(Object.keys(SPECS).map((key) => key.toLowerCase()));

export function picklistKey(entityName: string, fieldName: string): string {
  return `${entityName}.${fieldName}`.toLowerCase();
}

export function hasPicklist(entityName: string, fieldName: string): boolean {
  return known.has(picklistKey(entityName, fieldName));
}

/** One tenant's picklists. `tenantIndex` > 0 adds the later tenants' custom values. */
export function buildPicklists(tenantIndex: number): Map<string, PicklistValue[]> {
  const lists = new Map<string, PicklistValue[]>();
  for (const [key, spec] of Object.entries(SPECS)) {
    const extra = tenantIndex > 0 ? LATER_TENANT_EXTRAS[key] : undefined;
    lists.set(key.toLowerCase(), parseSpec(extra ? `${spec}|${extra}` : spec));
  }
  return lists;
}
