/**
 * ofetch, loaded by the first request to Autotask rather than at start-up: loading it reads the
 * global `fetch`, which makes Node load its fetch implementation (undici, tens of milliseconds of
 * every start of the Node bundle) — work a server that has only answered initialize and the list
 * methods never needs.
 */
import type { ofetch } from "ofetch";

let loaded: Promise<typeof ofetch> | undefined;

export function loadOfetch(): Promise<typeof ofetch> {
  loaded ??= import("ofetch").then((module) => module.ofetch);
  return loaded;
}
