/** Response envelopes and the error value every layer throws (Autotask answers errors as {"errors":[...]}). */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(messages.join("; "));
  }
}

/** Validation and business-rule failures: Autotask uses 500 for nearly all of them. */
export function fail(...messages: string[]): never {
  throw new ApiError(500, messages);
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export function errorResponse(error: ApiError): Response {
  return json({ errors: error.messages }, error.status, error.headers);
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Autotask reads JSON keys case-insensitively (filter/Filter, maxRecords/MaxRecords …). */
export function lowerKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key.toLowerCase()] = v;
  return out;
}

export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

/** Emitted as Autotask does: YYYY-MM-DDTHH:mm:ss.fffZ (UTC). */
export function isoDate(date: Date | number): string {
  return new Date(date).toISOString();
}
