/** User-defined fields of the seeded tenants. Autotask matches UDFs by name and returns values as strings. */
import { parseSpec } from "./picklists.ts";
import type { PicklistValue } from "./types.ts";

export interface UdfDef {
  name: string;
  /** dataType as in field metadata: string, double or datetime. */
  type: "string" | "double" | "datetime";
  description: string;
  length: number;
  picklist?: PicklistValue[];
}

const TIERS = parseSpec("Gold=Gold|Silver=Silver|Bronze=Bronze*");

const UDFS: Record<string, UdfDef[]> = {
  Companies: [
    { name: "Customer Tier", type: "string", description: "Support tier sold to the client", length: 100, picklist: TIERS },
    { name: "Onboarding Date", type: "datetime", description: "Date the client went live", length: 0 },
    { name: "Backup Provider", type: "string", description: "Where the client's backups go", length: 100 },
  ],
  Tickets: [
    { name: "Customer Tier", type: "string", description: "Copied from the company at creation", length: 100, picklist: TIERS },
    { name: "Root Cause", type: "string", description: "Filled in when the ticket is resolved", length: 255 },
    { name: "Customer Satisfaction", type: "double", description: "Survey score 1-5", length: 0 },
  ],
  Contacts: [{ name: "Preferred Channel", type: "string", description: "How the contact likes to be reached", length: 50, picklist: parseSpec("Email=Email*|Phone=Phone|Teams=Teams") }],
  Opportunities: [{ name: "Lead Source Detail", type: "string", description: "Campaign or referrer", length: 255 }],
  CompanySiteConfigurations: [
    { name: "Primary ISP", type: "string", description: "Internet provider and circuit", length: 255 },
    { name: "Firewall Model", type: "string", description: "Edge firewall", length: 255 },
    { name: "Wi-Fi SSID", type: "string", description: "Staff wireless network", length: 100 },
    { name: "Backup Window", type: "string", description: "When server backups run", length: 100 },
  ],
};

export function udfsFor(entityName: string): UdfDef[] {
  return UDFS[entityName] ?? [];
}

export function findUdf(entityName: string, name: string): UdfDef | undefined {
  const wanted = name.toLowerCase();
  return udfsFor(entityName).find((u) => u.name.toLowerCase() === wanted);
}
