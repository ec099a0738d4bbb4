/**
 * Finding people — contacts and resources — by the names people use: "Mary Ann O'Neil" (two first
 * names), "Anders, Emeka" (last name first), "Anne-Marie Smith", "O’Neil" with a typographic
 * apostrophe, or an email address. Autotask stores first and last name apart, so every way of
 * splitting the words is tried — in one `or` filter, one request, not one request per split.
 */
import type { Row } from "../autotask/client.ts";
import { f, type Filter } from "../autotask/filter.ts";

export interface PersonFields {
  first: string;
  last: string;
  /** Email and user-name fields, matched by `contains`. */
  handles: string[];
}

export const CONTACT_NAME: PersonFields = { first: "firstName", last: "lastName", handles: ["emailAddress"] };
export const RESOURCE_NAME: PersonFields = { first: "firstName", last: "lastName", handles: ["email", "userName"] };

const APOSTROPHES = /['’‘`]/g;

/** The term as typed, and with the other apostrophe, since stored names use either. */
function spellings(term: string): string[] {
  if (!/['’‘`]/.test(term)) return [term];
  return [...new Set([term, term.replace(APOSTROPHES, "'"), term.replace(APOSTROPHES, "’")])];
}

/** The (first, last) pairs a name can mean: every split of its words, and "Last, First". */
export function nameSplits(term: string): Array<[string, string]> {
  const comma = term.indexOf(",");
  if (comma > 0) {
    const last = term.slice(0, comma).trim();
    const first = term.slice(comma + 1).trim();
    return first && last ? [[first, last]] : [];
  }
  const words = term.split(/\s+/).filter(Boolean);
  const splits: Array<[string, string]> = [];
  for (let i = 1; i < words.length; i++) splits.push([words.slice(0, i).join(" "), words.slice(i).join(" ")]);
  return splits;
}

/**
 * One filter matching a person by name or handle: each first/last split (first name begins with,
 * last name begins with), and the whole term inside first name, last name or a handle.
 */
export function personFilter(term: string, fields: PersonFields): Filter {
  const conditions: Filter[] = [];
  for (const spelling of spellings(term.trim().replace(/\s+/g, " "))) {
    for (const [first, last] of nameSplits(spelling)) conditions.push(f.and(f.beginsWith(fields.first, first), f.beginsWith(fields.last, last)));
    if (!spelling.includes(",")) {
      for (const field of [fields.first, fields.last, ...fields.handles]) conditions.push(f.contains(field, spelling));
    }
  }
  return conditions.length === 1 ? conditions[0]! : f.or(...conditions);
}

const fold = (text: unknown) => String(text ?? "").trim().replace(APOSTROPHES, "'").replace(/\s+/g, " ").toLowerCase();

/**
 * The candidates that match `term` exactly — a handle, or the full name in either order — else
 * all candidates. Used to pick one person out of what personFilter found ("Ada" finds Adam too).
 */
export function exactMatches(term: string, rows: Row[], fields: PersonFields): Row[] {
  const wanted = fold(term);
  const splits = nameSplits(fold(term));
  const exact = rows.filter(
    (row) =>
      fields.handles.some((field) => fold(row[field]) === wanted) ||
      splits.some(([first, last]) => fold(row[fields.first]) === first && fold(row[fields.last]) === last),
  );
  return exact.length > 0 ? exact : rows;
}
