/**
 * Configuration: ONE zod schema for every setting, read from the environment with CLI flags on top.
 *
 * Each variable is validated on its own so that a bad value stops start-up with one line that names
 * the variable and says what is allowed (`AUTH_MODE must be env, gateway or oauth, got "bogus"`).
 * Empty strings count as unset: Claude Desktop configs often carry `"AUTOTASK_API_URL": ""`.
 */
import { z } from "zod";
import { TOOLSET_NAMES, type Toolset } from "./tools/toolsets.ts";
import { DEFAULT_BRAND, parseHexColor, parseLogoDataUrl, type Brand } from "./ui/brand.ts";

export const DEFAULT_ZONE_LOOKUP_URL = "https://webservices.autotask.net/ATServicesRest/V1.0/zoneInformation";

type Env = Record<string, string | undefined>;

/** A refused value as the error line quotes it; long ones (a logo data URL) are cut short. */
const quoted = (value: unknown) => {
  const text = String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
};

/**
 * One variable: unset gives `fallback`; a set value goes through `parse`, and when that returns
 * undefined the variable is refused with "must be <allowed>, got "<value>"".
 */
function setting<T, F = T>(fallback: F, allowed: string, parse: (raw: string) => T | undefined) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | F => {
      if (raw === undefined) return fallback;
      const value = parse(raw);
      if (value !== undefined) return value;
      ctx.addIssue({ code: "custom", message: `must be ${allowed}, got ${quoted(raw)}` });
      return z.NEVER;
    });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  const allowed = `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`;
  return setting<T[number]>(fallback, allowed, (raw) => values.find((value) => value === raw.toLowerCase()) as T[number] | undefined);
}

const TRUE = ["true", "1", "yes", "on"];
const FALSE = ["false", "0", "no", "off"];

/** true/false/1/0/yes/no/on/off in any case; undefined for anything else. Also used for X-MCP-Readonly. */
export function parseBool(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  return TRUE.includes(value) ? true : FALSE.includes(value) ? false : undefined;
}

const bool = (fallback: boolean) => setting(fallback, "true or false", parseBool);

const int = (fallback: number, min: number, max: number, what = "a whole number") =>
  setting(fallback, `${what} from ${min} to ${max}`, (raw) => {
    const value = Number(raw);
    return /^\d+$/.test(raw) && value >= min && value <= max ? value : undefined;
  });

const httpUrl = () =>
  setting(undefined, "an http(s) URL", (raw) => {
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    return url && (url.protocol === "https:" || url.protocol === "http:") ? url.toString() : undefined;
  });

const text = () => z.string().optional();

/** REDIS_URL: redis://, rediss:// (TLS) or their valkey spellings, as Bun's Redis client takes them. */
const redisUrl = () =>
  setting(undefined, "a redis:// or rediss:// URL such as redis://redis:6379", (raw) =>
    URL.canParse(raw) && /^(redis|rediss|valkey|valkeys):$/.test(new URL(raw).protocol) && new URL(raw).host !== "" ? raw : undefined,
  );

/** An http(s) origin without path, query or user info (MCP_PUBLIC_URL): what OAuth metadata is built from. */
const origin = () =>
  setting(undefined, "an http(s) origin such as https://mcp.example.com (no path)", (raw) => {
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    const plain = url && (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !url.search && !url.hash;
    return plain && url.pathname === "/" ? url.origin : undefined;
  });

/** Paths the HTTP server answers itself; the MCP path must not shadow them. */
const RESERVED_PATHS = /^\/(health|ready|authorize|token|register|revoke|account|invite|hosted|\.well-known)(\/|$)/;

const mcpPath = () =>
  setting("/v1/autotask/mcp", "a path such as /v1/autotask/mcp (not /health, /ready, /authorize … or /.well-known)", (raw) => {
    const path = raw.length > 1 ? raw.replace(/\/+$/, "") : raw;
    return /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$/.test(path) && !path.includes("//") && !RESERVED_PATHS.test(path) ? path : undefined;
  });

const splitList = (raw: string) =>
  raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

const list = () => setting(undefined, "a comma list", splitList);

/** "all" or a comma list of known toolsets, any case; undefined when a name is unknown. Also used for X-MCP-Toolsets. */
export function parseToolsets(raw: string): Toolset[] | "all" | undefined {
  if (raw.trim().toLowerCase() === "all") return "all";
  const names = [...new Set(splitList(raw.toLowerCase()))];
  return names.length > 0 && names.every((name) => (TOOLSET_NAMES as string[]).includes(name)) ? (names as Toolset[]) : undefined;
}

const toolsets = () => setting<Toolset[] | "all">("all", `"all" or a comma list of ${TOOLSET_NAMES.join(", ")}`, parseToolsets);

// Branding of the MCP Apps views (src/ui/brand.ts): shapes that cannot carry markup or load anything.
const parseBrandName = (raw: string) => (raw.length <= 60 && !/\p{Cc}/u.test(raw) ? raw : undefined);
const brandName = () => setting(undefined, "a name of at most 60 characters without control characters", parseBrandName);
const hexColor = () => setting(undefined, "a hex colour such as #1f5fbf", parseHexColor);
const logo = () => setting(undefined, "a data URL of a png, jpeg, gif, webp or svg+xml image in base64, at most 64 KB (data:image/png;base64,…)", parseLogoDataUrl);

/** Autotask resource ids are positive 32-bit integers. */
export const MAX_RESOURCE_ID = 2 ** 31 - 1;

/** A resource id to act as (ImpersonationResourceId). */
const resourceId = () => int(0, 1, MAX_RESOURCE_ID, "a resource id");

/** Every setting, keyed by its environment variable. */
const envSchema = z.object({
  AUTH_MODE: oneOf(["env", "gateway", "oauth"], "env"),
  AUTOTASK_USERNAME: text(),
  AUTOTASK_SECRET: text(),
  AUTOTASK_INTEGRATION_CODE: text(),
  AUTOTASK_API_URL: httpUrl(),
  AUTOTASK_IMPERSONATION_RESOURCE_ID: resourceId(),
  AUTOTASK_ZONE_LOOKUP_URL: httpUrl().transform((url) => url ?? DEFAULT_ZONE_LOOKUP_URL),
  AUTOTASK_ALLOWED_API_HOSTS: list().transform((hosts) => hosts ?? ["*.autotask.net"]),
  AUTOTASK_REQUEST_TIMEOUT_SECONDS: int(30, 1, 600),
  AUTOTASK_MAX_RETRIES: int(3, 0, 10),
  AUTOTASK_READ_ONLY: bool(false),
  // Checked against the registry at start-up (boot.ts): config.ts does not load the tools.
  AUTOTASK_WRITE_ALLOWLIST: list().transform((names) => names ?? []),
  AUTOTASK_UNTRUSTED_MARKERS: bool(true),
  AUTOTASK_TOOLSETS: toolsets(),
  AUTOTASK_SANDBOX: bool(false),
  LAZY_LOADING: bool(false),
  MCP_TRANSPORT: oneOf(["stdio", "http"], "stdio"),
  MCP_HTTP_PORT: int(8080, 0, 65535, "a port"),
  MCP_HTTP_HOST: text().transform((host) => host ?? "0.0.0.0"),
  MCP_HTTP_TOKEN: text(),
  MCP_HTTP_ALLOWED_HOSTS: list().transform((hosts) => (hosts ?? []).map((host) => host.toLowerCase())),
  // The largest tool payload is an attachment: 6 MiB, 8 MiB as base64. Twice that, so a file a little
  // over the limit still reaches the tool and gets its clear message instead of a bare 413.
  MCP_HTTP_MAX_BODY_BYTES: int(16 * 1024 * 1024, 1024, 100 * 1024 * 1024, "a size in bytes"),
  MCP_TOOL_TIMEOUT_SECONDS: int(120, 1, 3600),
  MCP_HTTP_PATH: mcpPath(),
  MCP_PUBLIC_URL: origin(),
  MCP_TRUST_PROXY: bool(false),
  AUTOTASK_MCP_ENCRYPTION_KEY: text(),
  AUTOTASK_MCP_ENCRYPTION_KEY_FILE: text(),
  DATABASE_URL: text().transform((url) => url ?? "autotask-mcp.db"),
  REDIS_URL: redisUrl(),
  MCP_OAUTH_CIMD_ALLOW_LOOPBACK: bool(false),
  LOG_LEVEL: oneOf(["error", "warn", "info", "debug"], "info"),
  LOG_FORMAT: oneOf(["simple", "json"], "simple"),
  MCP_UI_BRAND_NAME: brandName(),
  MCP_UI_BRAND_COLOR: hexColor(),
  MCP_UI_BRAND_COLOR_DARK: hexColor(),
  MCP_UI_BRAND_LOGO: logo(),
  X_API_KEY: text(),
  X_API_SECRET: text(),
  X_INTEGRATION_CODE: text(),
  X_API_URL: httpUrl(),
  X_IMPERSONATION_RESOURCE_ID: resourceId(),
  CONDUIT_S2S_SECRET: text(),
  MCP_SERVER_NAME: text(),
  MCP_SERVER_VERSION: text(),
  // The original server's names (its ticket card theme), read leniently: a value our views cannot
  // use is reported at start-up (Config.notices), never a reason not to start. See brandAliases.
  MCP_BRAND_NAME: text(),
  MCP_BRAND_LOGO_URL: text(),
  MCP_BRAND_PRIMARY_COLOR: text(),
  MCP_BRAND_ACCENT_COLOR: text(),
  MCP_BRAND_BG: text(),
  MCP_BRAND_TEXT: text(),
  // Accepted for drop-in configs; nothing to tune here (README: names are resolved in batches).
  AUTOTASK_ENHANCE_CONCURRENCY: text(),
});

export type EnvVar = keyof typeof envSchema.shape;
/** Every variable the configuration reads: lets tests check that packaging files name only real ones. */
export const ENV_VARS = Object.keys(envSchema.shape) as EnvVar[];
export type Settings = z.output<typeof envSchema>;

/** Credentials for one Autotask API user. */
export interface Credentials {
  username: string;
  secret: string;
  integrationCode: string;
  /** Zone base URL; when absent the zone is discovered from the username. */
  apiUrl?: string;
  impersonationResourceId?: number;
}

/** Hosted mode (AUTH_MODE=oauth): the server is its own OAuth authorization server. */
export interface HostedConfig {
  /** Public origin clients reach (MCP_PUBLIC_URL); unset: http://localhost:<port>. */
  publicUrl?: string;
  /** The key ring, as given (AUTOTASK_MCP_ENCRYPTION_KEY); read and checked by hosted/keys.ts. */
  encryptionKey?: string;
  /** A file holding the key ring instead (AUTOTASK_MCP_ENCRYPTION_KEY_FILE, e.g. a mounted secret). */
  encryptionKeyFile?: string;
  /** DATABASE_URL: a file path (embedded SQLite), default ./autotask-mcp.db, or postgres://… (several replicas). */
  databaseUrl: string;
  /** Take the client address from X-Forwarded-For (behind a proxy) for rate limits. */
  trustProxy: boolean;
  /** Tests only: client ID metadata documents may live on loopback addresses. */
  cimdAllowLoopback: boolean;
}

export interface Config {
  authMode: "env" | "gateway" | "oauth";
  transport: "stdio" | "http";
  /** Run against the built-in Autotask simulator instead of a real tenant. */
  sandbox: boolean;
  /** Env-mode credentials, as far as they are set (see missingEnvCredentials). */
  env: Partial<Credentials>;
  /** Gateway fallbacks for absent headers (X_API_KEY …). */
  gatewayDefaults: Partial<Credentials>;
  zoneLookupUrl: string;
  allowedApiHosts: string[];
  requestTimeoutMs: number;
  maxRetries: number;
  readOnly: boolean;
  /** Write tools that stay enabled while read-only is on (AUTOTASK_WRITE_ALLOWLIST), as given. */
  writeAllowlist: string[];
  toolsets: Toolset[] | "all";
  lazyLoading: boolean;
  /** Mark outsiders' text in what the model reads as data, not instructions (AUTOTASK_UNTRUSTED_MARKERS). */
  untrustedMarkers: boolean;
  /** The name and version the server reports to clients (MCP_SERVER_NAME, MCP_SERVER_VERSION). */
  server: { name: string; version?: string };
  http: {
    port: number;
    host: string;
    token?: string;
    /** Host names (besides loopback ones) that requests may name in Host/Origin; when set, checked on any bind. */
    allowedHosts: string[];
    maxBodyBytes: number;
    toolTimeoutMs: number;
    /** Where MCP is served besides /mcp (MCP_HTTP_PATH, default /v1/autotask/mcp). */
    mcpPath: string;
    /** When set, every /mcp request must carry a valid X-Gateway-S2S signature made with it (CONDUIT_S2S_SECRET). */
    s2sSecret?: string;
  };
  hosted: HostedConfig;
  /** REDIS_URL: where several replicas share Autotask's limits (HTTP only); unset: this process keeps them. */
  redisUrl?: string;
  log: { level: "error" | "warn" | "info" | "debug"; format: "simple" | "json" };
  /** Name, accent colours and logo of the MCP Apps views. */
  brand: Brand;
  /** Settings accepted but not (fully) used, in words for the start-up log. */
  notices: string[];
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses settings from the environment, with `overrides` (from CLI flags, keyed by variable name)
 * taking precedence. Throws ConfigError with one line naming the first bad variable.
 */
export function parseConfig(env: Env, overrides: Partial<Record<EnvVar, string | undefined>> = {}): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of ENV_VARS) {
    const value = overrides[key] ?? env[key];
    input[key] = value === undefined || value.trim() === "" ? undefined : value.trim();
  }
  const result = envSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])} ${issue.message}`);
  }
  const s = result.data;
  if (s.AUTH_MODE === "oauth" && s.MCP_HTTP_TOKEN) {
    throw new ConfigError("MCP_HTTP_TOKEN cannot be used with AUTH_MODE=oauth: in hosted mode every request carries its own OAuth access token");
  }
  const notices: string[] = [];
  const brand = brandAliases(s, notices);
  if (s.AUTOTASK_WRITE_ALLOWLIST.length > 0 && !s.AUTOTASK_READ_ONLY) {
    notices.push("AUTOTASK_WRITE_ALLOWLIST has no effect while AUTOTASK_READ_ONLY is off: every write tool is enabled");
  }
  return {
    authMode: s.AUTH_MODE,
    transport: s.MCP_TRANSPORT,
    sandbox: s.AUTOTASK_SANDBOX,
    env: definedOnly({
      username: s.AUTOTASK_USERNAME,
      secret: s.AUTOTASK_SECRET,
      integrationCode: s.AUTOTASK_INTEGRATION_CODE,
      apiUrl: s.AUTOTASK_API_URL,
      impersonationResourceId: s.AUTOTASK_IMPERSONATION_RESOURCE_ID || undefined,
    }),
    gatewayDefaults: definedOnly({
      username: s.X_API_KEY,
      secret: s.X_API_SECRET,
      integrationCode: s.X_INTEGRATION_CODE,
      apiUrl: s.X_API_URL,
      impersonationResourceId: s.X_IMPERSONATION_RESOURCE_ID || undefined,
    }),
    zoneLookupUrl: s.AUTOTASK_ZONE_LOOKUP_URL,
    allowedApiHosts: s.AUTOTASK_ALLOWED_API_HOSTS,
    requestTimeoutMs: s.AUTOTASK_REQUEST_TIMEOUT_SECONDS * 1000,
    maxRetries: s.AUTOTASK_MAX_RETRIES,
    readOnly: s.AUTOTASK_READ_ONLY,
    writeAllowlist: s.AUTOTASK_WRITE_ALLOWLIST,
    toolsets: s.AUTOTASK_TOOLSETS,
    lazyLoading: s.LAZY_LOADING,
    untrustedMarkers: s.AUTOTASK_UNTRUSTED_MARKERS,
    server: definedOnly({ name: s.MCP_SERVER_NAME ?? "autotask-mcp", version: s.MCP_SERVER_VERSION }),
    http: definedOnly({
      port: s.MCP_HTTP_PORT,
      host: s.MCP_HTTP_HOST,
      token: s.MCP_HTTP_TOKEN,
      allowedHosts: s.MCP_HTTP_ALLOWED_HOSTS,
      maxBodyBytes: s.MCP_HTTP_MAX_BODY_BYTES,
      toolTimeoutMs: s.MCP_TOOL_TIMEOUT_SECONDS * 1000,
      mcpPath: s.MCP_HTTP_PATH,
      s2sSecret: s.CONDUIT_S2S_SECRET,
    }),
    hosted: definedOnly({
      publicUrl: s.MCP_PUBLIC_URL,
      encryptionKey: s.AUTOTASK_MCP_ENCRYPTION_KEY,
      encryptionKeyFile: s.AUTOTASK_MCP_ENCRYPTION_KEY_FILE,
      databaseUrl: s.DATABASE_URL,
      trustProxy: s.MCP_TRUST_PROXY,
      cimdAllowLoopback: s.MCP_OAUTH_CIMD_ALLOW_LOOPBACK,
    }),
    ...(s.REDIS_URL ? { redisUrl: s.REDIS_URL } : {}),
    log: { level: s.LOG_LEVEL, format: s.LOG_FORMAT },
    brand: definedOnly({
      name: brand.name ?? DEFAULT_BRAND.name,
      color: brand.color ?? DEFAULT_BRAND.color,
      // One brand colour serves both themes unless a dark one is given (labels on it stay legible either way).
      colorDark: s.MCP_UI_BRAND_COLOR_DARK ?? brand.color ?? DEFAULT_BRAND.colorDark,
      logo: brand.logo,
    }),
    notices,
  };
}

/**
 * The views' brand from our MCP_UI_BRAND_* variables, else the original server's MCP_BRAND_*
 * names. Ours are validated strictly (a bad value stops start-up); the original's are read as
 * far as they fit our views — which load nothing from the network (a logo must be a data: URL)
 * and follow the host's light or dark theme (no background or text colour) — and what does not
 * fit is named in `notices` instead of stopping a configuration that started the original.
 */
function brandAliases(s: Settings, notices: string[]): Partial<Brand> {
  const alias = <T>(ours: T | undefined, theirs: EnvVar, parse: (raw: string) => T | undefined, why: string): T | undefined => {
    const raw = s[theirs] as string | undefined;
    if (ours !== undefined || raw === undefined) return ours;
    const value = parse(raw);
    if (value === undefined) notices.push(`${theirs} is not used: ${why}, got ${quoted(raw)}`);
    return value;
  };
  const name = alias(s.MCP_UI_BRAND_NAME, "MCP_BRAND_NAME", parseBrandName, "the name must be at most 60 characters without control characters");
  const color = alias(s.MCP_UI_BRAND_COLOR, "MCP_BRAND_PRIMARY_COLOR", parseHexColor, "the colour must be hex, such as #1f5fbf");
  const logo = alias(s.MCP_UI_BRAND_LOGO, "MCP_BRAND_LOGO_URL", parseLogoDataUrl, "the views load nothing from the network; give a base64 data:image/… URL of at most 64 KB (MCP_UI_BRAND_LOGO)");
  for (const unused of ["MCP_BRAND_ACCENT_COLOR", "MCP_BRAND_BG", "MCP_BRAND_TEXT"] as const) {
    if (s[unused] !== undefined) notices.push(`${unused} is not used: the views follow the host's light or dark theme (MCP_UI_BRAND_COLOR and MCP_UI_BRAND_COLOR_DARK set the accent)`);
  }
  return { name, color, logo };
}

/** The env-mode credential variables that are not set, by name. */
export function missingEnvCredentials(config: Config): EnvVar[] {
  const missing: EnvVar[] = [];
  if (!config.env.username) missing.push("AUTOTASK_USERNAME");
  if (!config.env.secret) missing.push("AUTOTASK_SECRET");
  if (!config.env.integrationCode) missing.push("AUTOTASK_INTEGRATION_CODE");
  return missing;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
