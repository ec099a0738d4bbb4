/**
 * What holds for every tool, said once in the server's `instructions` rather than on each of the
 * ~540 arguments: the tool list is read in every conversation (bench/tools-list.ts measures it), so
 * each tool's description and arguments say only what these do not. An argument without a
 * description is one whose name, type and these rules say everything (test/registry.test.ts keeps
 * that rule). The date kinds are ../autotask/dates.ts's; paging is paging.ts's searchPage.
 */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./args.ts";

export const CONVENTIONS = [
  "Tools for Kaseya Autotask PSA: tickets, companies, contacts, time, projects, contracts, quotes, invoices. Conventions every tool follows:",
  "- Ids: an argument named <thing>ID, typed number, takes that record's id, from the matching search or list tool (companyID: autotask_search_companies; any …ResourceID: autotask_search_resources; phaseID: autotask_list_phases, of the same project; billingCodeID, the work type or material code: autotask_query BillingCodes); one that comes from elsewhere says so. A tool taking both `id` and a longer name (serviceCallID) takes either. Ticket ids also accept the ticket number (T20250103.0009). Role ids (…RoleID) are one of the resource's roles (autotask_get_resource); left out, the resource's default role.",
  "- entity (entityType) takes an entity name, plural or singular: Tickets, TimeEntries … userDefinedFields takes [{name, value}], the name being the UDF's label.",
  '- Picklist arguments (status, priority, queueID, publish, noteType …, typed number or text) take the tenant\'s value or its label ("In Progress"): autotask_list_picklist lists them. Never guess numbers.',
  "- Dates: arguments marked YYYY-MM-DD are calendar dates, taken as written and never shifted by a time zone; other date arguments are ISO 8601 date-times, UTC unless they carry an offset (a date alone is midnight UTC). Bounds (…After, …Before, …From, …To) include the value given (a whole day for a date alone) unless marked exclusive.",
  `- Searches: arguments are filters combined with AND (leave one out to not filter on it); searchTerm matches part of the name or title, case-insensitively, unless it says more. Rows come oldest first unless the tool says otherwise, with names next to ids and labels next to picklist values, ${DEFAULT_PAGE_SIZE} per page (pageSize up to ${MAX_PAGE_SIZE}); while page.hasMore, call again with page: page.nextPage. autotask_count counts without reading rows. Get tools return every field that has a value.`,
  "- Writes: values are checked against the tenant (fields, picklists, required fields) before anything is sent; updates change only the arguments given; deletes need confirm: true and cannot be undone. Note and attachment visibility (publish) defaults to internal only; pass publish to share with the customer.",
].join("\n");
