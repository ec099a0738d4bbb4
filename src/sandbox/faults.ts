/** Injected faults: matched in injection order, each consumed `times` times (unlimited when absent). */
import { fail, isObject } from "./http.ts";
import type { Fault } from "./types.ts";

interface Armed {
  fault: Fault;
  pattern?: RegExp;
  remaining: number;
}

export class Faults {
  private armed: Armed[] = [];

  inject(fault: Fault): void {
    const path = fault.path;
    // Always case-insensitive; g/y would make test() stateful across requests.
    const flags = `${path instanceof RegExp ? path.flags.replace(/[giy]/g, "") : ""}i`;
    const pattern = path instanceof RegExp ? new RegExp(path.source, flags) : undefined;
    this.armed.push({ fault, pattern, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.armed = [];
  }

  /** The first live fault matching the request, with one use consumed. */
  take(method: string, pathname: string): Fault | undefined {
    const path = pathname.toLowerCase();
    const index = this.armed.findIndex(({ fault, pattern }) => {
      if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
      if (pattern) return pattern.test(pathname);
      return typeof fault.path !== "string" || path.includes(fault.path.toLowerCase());
    });
    const armed = this.armed[index];
    if (!armed) return undefined;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed.splice(index, 1);
    return armed.fault;
  }
}

/** A fault sent to POST /_sandbox/faults: JSON, with `path` a string or {"regex": "...", "flags"?: "..."}. */
export function faultFromJson(value: unknown): Fault {
  if (!isObject(value)) fail("A fault must be a JSON object.");
  const { path, ...rest } = value;
  const fault = { ...rest } as Fault;
  if (typeof path === "string") fault.path = path;
  else if (typeof path === "object" && path !== null && typeof (path as { regex?: unknown }).regex === "string") {
    const { regex, flags } = path as { regex: string; flags?: unknown };
    try {
      fault.path = new RegExp(regex, typeof flags === "string" ? flags : "");
    } catch (error) {
      fail(`Invalid fault path regex: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else if (path !== undefined) fail('A fault\'s path must be a string or {"regex": "..."}.');
  return fault;
}

/** Faults that answer by themselves; a fault with only delayMs (and headers) slows the normal answer instead. */
export function answers(fault: Fault): boolean {
  return fault.status !== undefined || fault.body !== undefined || fault.networkError === true;
}
