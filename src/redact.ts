/**
 * Secret redaction for everything that may reach a log line or an error message.
 *
 * Three nets, because secrets arrive in three shapes: object keys that name a secret
 * (`secret`, `X-API-Secret`, `ApiIntegrationCode`, `authorization` …), text that carries one
 * (`Secret: abc`, `"secret":"abc"`, `Bearer abc`, `?token=abc`, the hosted mode's own tokens
 * `atmcp_at_…`), and known secret values that turn up anywhere (the configured secret inside an
 * upstream error text, say).
 */
export const REDACTED = "[REDACTED]";

const SECRET_KEY =
  /^(x-)?(api-?)?(secret|password|passwd|pwd|token|access-?token|refresh-?token|authorization|cookie|set-cookie|integration-?code|apiintegrationcode|api-?key-?secret|client-?secret|encryption-?key)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/_/g, "-"));
}

// `Secret: value`, `ApiIntegrationCode=value`, `"secret":"value"`, `Authorization: Bearer value`.
const SECRET_TEXT = [
  // Key-like spellings only: "integration code: …" in prose (Autotask's own error texts) is not a key.
  /((?:x-api-)?secret|password|apiintegrationcode|integration[_-]?code|x-integration-code|token)(["']?\s*[:=]\s*["']?)([^\s"'&,;}]+)/gi,
  /(authorization["']?\s*[:=]\s*["']?(?:bearer|basic)\s+)([^\s"',;}]+)/gi,
  /(\bbearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi,
  // The hosted mode's tokens and one-time links (hosted/: invite, access, refresh, authorization
  // code), by their prefix. Client ids (atmcp_client_…) are public and stay readable.
  /\batmcp_(?:inv|at|rt|code)_[A-Za-z0-9_-]+/g,
];

/** Very short values would redact ordinary words; real secrets and integration codes are long. */
const MIN_SECRET_LENGTH = 6;

function maskText(text: string, knownSecrets: readonly string[]): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * `value` with every known secret value masked inside its strings — and nothing else changed: a
 * tool result keeps its shape and its data (a ticket saying "password: reset" stays as written).
 * What needs no change is returned as is, so a large result is not copied.
 */
export function maskValues<T>(value: T, knownSecrets: readonly string[]): T {
  const secrets = knownSecrets.filter((secret) => secret && secret.length >= MIN_SECRET_LENGTH);
  return secrets.length ? (maskDeep(value, secrets) as T) : value;
}

function maskDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return maskText(value, secrets);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => maskDeep(item, secrets));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  const entries = Object.entries(value);
  let out: Record<string, unknown> | undefined; // a copy only once something changes
  entries.forEach(([key, item], index) => {
    const masked = maskDeep(item, secrets);
    const maskedKey = maskText(key, secrets);
    if (!out && (masked !== item || maskedKey !== key)) out = Object.fromEntries(entries.slice(0, index));
    if (out) out[maskedKey] = masked;
  });
  return out ?? value;
}

export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = maskText(text, knownSecrets);
  out = out.replace(SECRET_TEXT[0]!, (_m, key: string, sep: string, value: string) =>
    value === REDACTED ? `${key}${sep}${value}` : `${key}${sep}${REDACTED}`,
  );
  out = out.replace(SECRET_TEXT[1]!, (_m, prefix: string) => `${prefix}${REDACTED}`);
  out = out.replace(SECRET_TEXT[2]!, (_m, prefix: string) => `${prefix}${REDACTED}`);
  out = out.replace(SECRET_TEXT[3]!, REDACTED);
  return out;
}

/** Paths whose last segment is a one-time secret: /invite/<token> (hosted/account.ts). */
const SECRET_PATH = /^(\/invite\/)[^/]+/i;

/**
 * A request path as a log line may show it: a token-bearing segment (`/invite/<token>`) replaced
 * by [REDACTED] whatever it holds, and any secret text masked (redactText).
 */
export function redactPath(path: string): string {
  return redactText(path.replace(SECRET_PATH, `$1${REDACTED}`));
}

/** Deep copy of `value` with secret-named keys masked and strings cleaned. Handles Headers and cycles. */
export function redact(value: unknown, knownSecrets: readonly string[] = [], seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactText(value, knownSecrets);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (value instanceof Headers) {
    return redact(Object.fromEntries(value.entries()), knownSecrets, seen);
  }
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message, knownSecrets) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, knownSecrets, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redact(item, knownSecrets, seen);
  }
  return out;
}
