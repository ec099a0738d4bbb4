/**
 * `X-Gateway-S2S`: proof that a request came through the operator's own gateway, for servers that
 * must not be reachable around it (CONDUIT_S2S_SECRET, the original server's variable). The value
 * is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t=<unix seconds>" keyed with the secret>` — the
 * format of the original's sibling servers (s2s-verify.ts) — accepted within 300 seconds of this
 * server's clock either way. Several `v1=` entries may be given (a gateway rotating its secret);
 * one matching is enough. Comparison is constant-time (node:crypto timingSafeEqual).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const S2S_HEADER = "X-Gateway-S2S";
export const S2S_MAX_SKEW_SECONDS = 300;

/**
 * Why a request is refused, or undefined when `header` carries a valid signature made with `secret`
 * within the skew window around `nowMs`. The reasons name the header, never the secret.
 */
export function s2sRefusal(header: string | null, secret: string, nowMs = Date.now()): string | undefined {
  if (!header?.trim()) return `Unauthorized: this server requires an ${S2S_HEADER} signature from its gateway`;
  const parts = header.split(",").map((part) => part.trim().split("="));
  const t = parts.find(([key]) => key === "t")?.[1];
  const signatures = parts.filter(([key, value]) => key === "v1" && value !== undefined && /^[0-9a-f]{64}$/i.test(value)).map(([, value]) => value!);
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) {
    return `Unauthorized: ${S2S_HEADER} must be t=<unix seconds>,v1=<hex HMAC-SHA256 of "t=<unix seconds>">`;
  }
  if (Math.abs(nowMs / 1000 - Number(t)) > S2S_MAX_SKEW_SECONDS) {
    return `Unauthorized: the ${S2S_HEADER} timestamp is more than ${S2S_MAX_SKEW_SECONDS} seconds from this server's clock`;
  }
  const expected = hmac(secret, t);
  // Every entry is compared, so the time taken does not say which one (or whether any) matched.
  const matched = signatures.map((signature) => timingSafeEqual(Buffer.from(signature, "hex"), expected)).includes(true);
  return matched ? undefined : `Unauthorized: the ${S2S_HEADER} signature does not match`;
}

function hmac(secret: string, t: string): Buffer {
  return createHmac("sha256", secret).update(`t=${t}`).digest();
}
