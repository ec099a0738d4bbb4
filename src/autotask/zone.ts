/**
 * Zone discovery. Every Autotask database lives in one zone (webservices5, webservices14 …); the
 * public zoneInformation endpoint maps an API user name to its zone's REST base. The answer rarely
 * changes, so it is cached per user name (bounded, with a TTL), and concurrent lookups for the same
 * user share one request.
 *
 * A lookup needs no secret, so whoever reaches a gateway can make this server ask about made-up
 * names. A failure is therefore remembered for a minute, and failed lookups are budgeted per
 * minute — per caller (a client address, an IPv6 one by its /64) and for the whole process —
 * except for names that resolved before: past the budget a lookup is refused without being sent.
 */
import { addressKey } from "../address.ts";
import { LruCache } from "../lru.ts";
import { hostOf, parseJson, zoneAnswer } from "./answers.ts";
import { AutotaskError, describeBody, errorMessages } from "./errors.ts";
import { loadOfetch } from "./fetch.ts";

export interface ZoneInfo {
  zoneName: string;
  /** REST base ending in `V1.0/`, e.g. `https://webservices5.autotask.net/ATServicesRest/V1.0/`. */
  apiUrl: string;
  webUrl?: string;
  /** The database's customer identifier (zone answer `ci`); absent for a configured API URL. */
  ci?: number;
  /** Whether apiUrl came from a zone lookup answer (else: AUTOTASK_API_URL / X-API-URL). */
  discovered: boolean;
}

/**
 * Accepts every spelling users paste — with or without trailing slash, with or without `V1.0`,
 * any case — and returns the base that entity paths are appended to (ending in `V1.0/`).
 */
export function normalizeApiUrl(input: string): string {
  const url = new URL(input.trim());
  let path = url.pathname.replace(/\/+$/, "");
  path = path.replace(/\/v1\.0$/i, "");
  if (!/\/atservicesrest$/i.test(path)) path = `${path}/ATServicesRest`;
  url.pathname = `${path}/V1.0/`;
  url.search = "";
  url.hash = "";
  return url.toString();
}

const ZONE_TTL_MS = 6 * 60 * 60 * 1000;
/** A failed lookup is answered from memory this long (a fixed typo is another name anyway). */
const FAILURE_TTL_MS = 60_000;
/** Failed lookups allowed per window, per caller and for the process. */
const FAILURE_BUDGET = { perCaller: 10, perProcess: 100, windowMs: 60_000 };
/** Names that resolved once are never refused by the budget, for this long. */
const KNOWN_NAME_MS = 7 * 24 * 60 * 60 * 1000;

export class ZoneResolver {
  private readonly cache = new LruCache<string, Promise<ZoneInfo>>(5000, ZONE_TTL_MS);
  private readonly known = new LruCache<string, true>(20_000, KNOWN_NAME_MS);
  /** Failure counts per budget key ("*" for the process), each in a window from its first failure. */
  private readonly failures = new LruCache<string, { start: number; count: number }>(10_000, FAILURE_BUDGET.windowMs);

  constructor(
    private readonly lookupUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /**
   * The zone of `username`. `caller`: who asks (a client address), for the failure budget; absent
   * for the server's own configured user. Throws AutotaskError: unknown-user, network …, or
   * rate-limited (with retryAfterSeconds) when the budget is spent and nothing was sent.
   */
  resolve(username: string, caller?: string): Promise<ZoneInfo> {
    const key = username.trim().toLowerCase();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const budgets = ["*", ...(caller === undefined ? [] : [`caller:${addressKey(caller)}`])];
    if (!this.known.get(key)) {
      const refusal = this.overBudget(budgets);
      if (refusal) return Promise.reject(refusal);
    }
    const pending: Promise<ZoneInfo> = this.lookup(username).then(
      (zone) => {
        this.known.set(key, true);
        return zone;
      },
      (error: unknown) => {
        this.cache.set(key, pending, FAILURE_TTL_MS);
        for (const budget of budgets) this.countFailure(budget);
        throw error;
      },
    );
    this.cache.set(key, pending);
    return pending;
  }

  private overBudget(budgets: string[]): AutotaskError | undefined {
    const now = Date.now();
    for (const budget of budgets) {
      const window = this.failures.get(budget);
      const max = budget === "*" ? FAILURE_BUDGET.perProcess : FAILURE_BUDGET.perCaller;
      if (!window || window.count < max) continue;
      const wait = Math.max(1, Math.ceil((window.start + FAILURE_BUDGET.windowMs - now) / 1000));
      return new AutotaskError(
        "rate-limited",
        `Too many zone lookups for unknown API users ${budget === "*" ? "on this server" : "from this address"} in the last minute: nothing was sent. Check the API user name (the API user's email-style user name) and try again in ${wait} seconds.`,
        { retryAfterSeconds: wait, operation: "zoneInformation" },
      );
    }
    return undefined;
  }

  private countFailure(budget: string): void {
    const window = this.failures.get(budget);
    if (window) window.count++;
    else this.failures.set(budget, { start: Date.now(), count: 1 });
  }

  /**
   * Asks zoneInformation. The answer only names a host: the transport checks that host against
   * the allowlist before any credentials go there. Redirects are not followed (an answer comes
   * from where we asked, or it is an error).
   */
  private async lookup(username: string): Promise<ZoneInfo> {
    const url = new URL(this.lookupUrl);
    url.searchParams.set("user", username);
    const context = { operation: "zoneInformation" };
    let response;
    try {
      const ofetch = await loadOfetch();
      response = await ofetch.raw<string, "text">(url.toString(), {
        timeout: this.timeoutMs,
        retry: 2,
        retryDelay: 300,
        retryStatusCodes: [429, 502, 503, 504],
        ignoreResponseError: true,
        responseType: "text",
        redirect: "manual",
      });
    } catch (error) {
      throw new AutotaskError("network", `Could not reach the Autotask zone lookup at ${url.origin}: ${(error as Error).message}`, context);
    }
    const answer = { contentType: response.headers.get("content-type") ?? "", text: response._data ?? "" };
    const json = parseJson(answer.text);
    if (response.status >= 300 && response.status < 400) {
      throw new AutotaskError("unexpected-answer", `The Autotask zone lookup at ${url.origin} answered HTTP ${response.status} (a redirect to ${hostOf(response.headers.get("location"), url)}); redirects are not followed.`, { status: response.status, ...context });
    }
    if (response.ok && json === undefined) {
      throw new AutotaskError("unexpected-answer", `The Autotask zone lookup at ${url.origin} answered with an unexpected body (${describeBody(answer)}).`, { status: response.status, ...context });
    }
    const parsed = zoneAnswer.safeParse(json);
    if (!response.ok || !parsed.success) {
      const said = errorMessages(json);
      throw new AutotaskError(
        "unknown-user",
        `Autotask could not find a zone for API user "${username}"${said.length ? `: ${said.join("; ")}` : ""}. Check the user name (the API user's email-style user name).`,
        { status: response.status, errors: said, ...context },
      );
    }
    const body = parsed.data;
    let apiUrl: string;
    try {
      // Older servers returned a doubled slash in the path; normalizeApiUrl repairs it.
      apiUrl = normalizeApiUrl(body.url.replace(/([^:])\/\/+/g, "$1/"));
    } catch {
      throw new AutotaskError("unexpected-answer", `The Autotask zone lookup answered a url that is not a URL (${describeBody(answer)}).`, { status: response.status, ...context });
    }
    return {
      zoneName: body.zoneName ?? "unknown",
      apiUrl,
      ...(body.webUrl ? { webUrl: body.webUrl } : {}),
      ...(typeof body.ci === "number" ? { ci: body.ci } : {}),
      discovered: true,
    };
  }
}
