/**
 * The shapes of Autotask's successful answers, checked before anything uses them: what Autotask
 * did not say is not data. A 200 with an HTML page, `{"items": "not-an-array"}` or a create
 * answered `{}` becomes an "unexpected-answer" error that says what came back — never "no rows",
 * rows made of string characters, or an invented id 0.
 *
 * Shapes from the swagger models (docs: /work/shared/autotask-api/README.md §3–7). Objects are
 * loose: Autotask adds fields over time, and only what the client reads is checked.
 */
import { z } from "zod";

const row = z.looseObject({ id: z.number() });

/** POST {Entity}/query and its nextPageUrl: `{"items": [...], "pageDetails": {"nextPageUrl": …}}`. */
export const pageAnswer = z.looseObject({
  items: z.array(row),
  pageDetails: z.looseObject({ nextPageUrl: z.string().nullish() }).nullish(),
});

/** POST {Entity}/query/count: `{"queryCount": n}`. */
export const countAnswer = z.looseObject({ queryCount: z.number().int().nonnegative() });

/** GET {Entity}/{id}: `{"item": {...}}`, or `{"item": null}` for an id that does not exist. */
export const itemAnswer = z.looseObject({ item: row.nullable() });

/** POST / PATCH / DELETE: `{"itemId": n}`. */
export const itemIdAnswer = z.looseObject({ itemId: z.number().int() });

/** GET {Entity}/entityInformation/fields and …/userDefinedFields: `{"fields": [...]}`. */
export const fieldsAnswer = z.looseObject({ fields: z.array(z.looseObject({ name: z.string() })) });

/** GET {Entity}/entityInformation: `{"info": {...}}`. */
export const infoAnswer = z.looseObject({ info: z.looseObject({}) });

/** GET ThresholdInformation. */
export const thresholdAnswer = z.looseObject({
  externalRequestThreshold: z.number(),
  requestThresholdTimeframe: z.number(),
  currentTimeframeRequestCount: z.number(),
});

/** GET zoneInformation (no credentials): `{"zoneName", "url", "webUrl", "ci"}`. */
export const zoneAnswer = z.looseObject({
  zoneName: z.string().nullish(),
  url: z.string(),
  webUrl: z.string().nullish(),
  ci: z.number().int().nullish(),
});

/** "items: expected array, received string": the first thing that did not match, for the error text. */
export function firstMismatch(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unexpected shape";
  const path = issue.path.length ? issue.path.join(".") : "body";
  return `${path}: ${issue.message}`;
}

/** JSON.parse, or undefined when the text is not JSON (an HTML error page, say). */
export function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The host a Location header points at (relative locations resolve against `base`). */
export function hostOf(location: string | null, base: URL | string): string {
  if (!location) return "nowhere (no Location header)";
  try {
    return `"${new URL(location, base).host}"`;
  } catch {
    return "an invalid Location";
  }
}
