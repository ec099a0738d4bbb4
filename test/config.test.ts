import { describe, expect, test } from "bun:test";
import { ConfigError, DEFAULT_ZONE_LOOKUP_URL, ENV_VARS, missingEnvCredentials, parseConfig } from "../src/config.ts";

const parseError = (env: Record<string, string>, overrides = {}) => {
  try {
    parseConfig(env, overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("parseConfig", () => {
  test("defaults match the product contract", () => {
    const config = parseConfig({});
    expect(config.authMode).toBe("env");
    expect(config.transport).toBe("stdio");
    expect(config.http.port).toBe(8080);
    expect(config.http.host).toBe("0.0.0.0");
    expect(config.log).toEqual({ level: "info", format: "simple" });
    expect(config.zoneLookupUrl).toBe(DEFAULT_ZONE_LOOKUP_URL);
    expect(config.allowedApiHosts).toEqual(["*.autotask.net"]);
    expect(config.readOnly).toBe(false);
    expect(config.toolsets).toBe("all");
    expect(config.lazyLoading).toBe(false);
    expect(config.http.maxBodyBytes).toBe(16 * 1024 * 1024);
  });

  test("hosted mode settings: public origin without a path, an MCP path that shadows nothing, no MCP_HTTP_TOKEN", () => {
    const config = parseConfig({ AUTH_MODE: "oauth", MCP_PUBLIC_URL: "https://mcp.example.com/", AUTOTASK_MCP_ENCRYPTION_KEY: "k" });
    expect(config.authMode).toBe("oauth");
    expect(config.hosted).toMatchObject({ publicUrl: "https://mcp.example.com", databaseUrl: "autotask-mcp.db", trustProxy: false, cimdAllowLoopback: false });
    expect(config.http.mcpPath).toBe("/v1/autotask/mcp");
    expect(parseConfig({ MCP_HTTP_PATH: "/autotask/mcp/" }).http.mcpPath).toBe("/autotask/mcp");
    expect(parseError({ MCP_PUBLIC_URL: "https://mcp.example.com/autotask" })).toStartWith("MCP_PUBLIC_URL must be an http(s) origin");
    expect(parseError({ MCP_HTTP_PATH: "/token" })).toStartWith("MCP_HTTP_PATH must be a path such as /v1/autotask/mcp");
    expect(parseError({ MCP_HTTP_PATH: "/.well-known/x" })).toContain("MCP_HTTP_PATH");
    expect(parseError({ AUTH_MODE: "oauth", MCP_HTTP_TOKEN: "t" })).toStartWith("MCP_HTTP_TOKEN cannot be used with AUTH_MODE=oauth");
  });

  test("a bad value names the variable and what is allowed, in one line", () => {
    expect(parseError({ AUTH_MODE: "bogus" })).toBe('AUTH_MODE must be env, gateway or oauth, got "bogus"');
    expect(parseError({ MCP_HTTP_PORT: "70000" })).toBe('MCP_HTTP_PORT must be a port from 0 to 65535, got "70000"');
    expect(parseError({ MCP_HTTP_PORT: "80a" })).toContain("MCP_HTTP_PORT");
    expect(parseError({ AUTOTASK_API_URL: "not a url" })).toBe('AUTOTASK_API_URL must be an http(s) URL, got "not a url"');
    expect(parseError({ LOG_LEVEL: "verbose" })).toBe('LOG_LEVEL must be error, warn, info or debug, got "verbose"');
    expect(parseError({ AUTOTASK_READ_ONLY: "maybe" })).toBe('AUTOTASK_READ_ONLY must be true or false, got "maybe"');
    expect(parseError({ AUTOTASK_TOOLSETS: "tickets,bogus" })).toContain('AUTOTASK_TOOLSETS must be "all" or a comma list of core, companies');
    for (const message of [parseError({ AUTH_MODE: "x" }), parseError({ MCP_TRANSPORT: "ws" })]) {
      expect(message).not.toContain("\n");
    }
  });

  test("values are case-insensitive where users expect it, and empty strings are unset", () => {
    const config = parseConfig({ AUTH_MODE: "Gateway", MCP_TRANSPORT: "HTTP", AUTOTASK_READ_ONLY: "TRUE", AUTOTASK_API_URL: "", LOG_FORMAT: "json" });
    expect(config.authMode).toBe("gateway");
    expect(config.transport).toBe("http");
    expect(config.readOnly).toBe(true);
    expect(config.env.apiUrl).toBeUndefined();
    expect(config.log.format).toBe("json");
  });

  test("CLI flags win over the environment", () => {
    const config = parseConfig({ MCP_HTTP_PORT: "9000", AUTH_MODE: "env" }, { MCP_HTTP_PORT: "9100", AUTH_MODE: "gateway" });
    expect(config.http.port).toBe(9100);
    expect(config.authMode).toBe("gateway");
  });

  test("credentials, gateway fallbacks, lists and toolsets", () => {
    const config = parseConfig({
      AUTOTASK_USERNAME: "api@example.com",
      AUTOTASK_SECRET: "s3cret",
      AUTOTASK_INTEGRATION_CODE: "CODE",
      X_API_KEY: "fallback@example.com",
      AUTOTASK_ALLOWED_API_HOSTS: "*.autotask.net, 127.0.0.1:9999",
      AUTOTASK_TOOLSETS: "Tickets, time",
    });
    expect(config.env).toEqual({ username: "api@example.com", secret: "s3cret", integrationCode: "CODE" });
    expect(config.gatewayDefaults).toEqual({ username: "fallback@example.com" });
    expect(config.allowedApiHosts).toEqual(["*.autotask.net", "127.0.0.1:9999"]);
    expect(config.toolsets).toEqual(["tickets", "time"]);
    expect(missingEnvCredentials(config)).toEqual([]);
    expect(missingEnvCredentials(parseConfig({ AUTOTASK_USERNAME: "u" }))).toEqual(["AUTOTASK_SECRET", "AUTOTASK_INTEGRATION_CODE"]);
  });

  test("the views' brand: defaults, one colour for both themes, and only values that cannot carry markup", () => {
    expect(parseConfig({}).brand).toEqual({ name: "Autotask PSA", color: "#1f5fbf", colorDark: "#8ab4f8" });
    const logo = "data:image/svg+xml;base64,PHN2Zy8+";
    expect(parseConfig({ MCP_UI_BRAND_NAME: "Acme MSP", MCP_UI_BRAND_COLOR: "#C60", MCP_UI_BRAND_LOGO: logo }).brand).toEqual({
      name: "Acme MSP",
      color: "#cc6600",
      colorDark: "#cc6600",
      logo,
    });
    expect(parseConfig({ MCP_UI_BRAND_COLOR: "#112233", MCP_UI_BRAND_COLOR_DARK: "#AABBCC" }).brand).toMatchObject({ color: "#112233", colorDark: "#aabbcc" });
    expect(parseError({ MCP_UI_BRAND_COLOR: "red" })).toBe('MCP_UI_BRAND_COLOR must be a hex colour such as #1f5fbf, got "red"');
    expect(parseError({ MCP_UI_BRAND_COLOR_DARK: "#12345;}body{x" })).toContain("MCP_UI_BRAND_COLOR_DARK must be a hex colour");
    expect(parseError({ MCP_UI_BRAND_NAME: "x".repeat(61) })).toStartWith("MCP_UI_BRAND_NAME must be a name of at most 60 characters");
    expect(parseError({ MCP_UI_BRAND_NAME: "Acme\u0007" })).toContain("without control characters");
    const logoError = "MCP_UI_BRAND_LOGO must be a data URL of a png, jpeg, gif, webp or svg+xml image in base64, at most 64 KB";
    expect(parseError({ MCP_UI_BRAND_LOGO: "https://cdn.example.com/logo.png" })).toStartWith(logoError);
    expect(parseError({ MCP_UI_BRAND_LOGO: "data:text/html;base64,PHNjcmlwdD4=" })).toStartWith(logoError);
    expect(parseError({ MCP_UI_BRAND_LOGO: 'data:image/png;base64,AAAA" onerror="x' })).toStartWith(logoError);
    // A refused value is quoted short: a 90 KB logo does not become a 90 KB error line.
    const huge = parseError({ MCP_UI_BRAND_LOGO: `data:image/png;base64,${"A".repeat(90_000)}` });
    expect(huge).toStartWith(logoError);
    expect(huge.length).toBeLessThan(300);
  });

  test("every variable of the original's newest versions is read (NODE_ENV aside: it configures nothing there either)", () => {
    const theirs = [
      "AUTOTASK_USERNAME", "AUTOTASK_SECRET", "AUTOTASK_INTEGRATION_CODE", "AUTOTASK_API_URL", "AUTOTASK_IMPERSONATION_RESOURCE_ID",
      "X_API_KEY", "X_API_SECRET", "X_INTEGRATION_CODE", "X_API_URL", "X_IMPERSONATION_RESOURCE_ID", "AUTH_MODE", "MCP_TRANSPORT",
      "MCP_HTTP_PORT", "MCP_HTTP_HOST", "MCP_SERVER_NAME", "MCP_SERVER_VERSION", "LOG_LEVEL", "LOG_FORMAT", "LAZY_LOADING",
      "AUTOTASK_ENHANCE_CONCURRENCY", "AUTOTASK_READ_ONLY", "AUTOTASK_WRITE_ALLOWLIST", "AUTOTASK_UNTRUSTED_MARKERS",
      "MCP_BRAND_NAME", "MCP_BRAND_LOGO_URL", "MCP_BRAND_PRIMARY_COLOR", "MCP_BRAND_ACCENT_COLOR", "MCP_BRAND_BG", "MCP_BRAND_TEXT", "CONDUIT_S2S_SECRET",
    ];
    expect(theirs.filter((name) => !(ENV_VARS as string[]).includes(name))).toEqual([]);
  });

  test("platform settings: impersonation fallbacks, write allowlist, markers, gateway signature, server identity", () => {
    const config = parseConfig({
      X_IMPERSONATION_RESOURCE_ID: "29682885",
      AUTOTASK_IMPERSONATION_RESOURCE_ID: "30000001",
      AUTOTASK_READ_ONLY: "true",
      AUTOTASK_WRITE_ALLOWLIST: "autotask_create_ticket_note, ,autotask_raw_request",
      AUTOTASK_UNTRUSTED_MARKERS: "Off",
      CONDUIT_S2S_SECRET: "s2s",
      MCP_SERVER_NAME: "acme",
      MCP_SERVER_VERSION: "2.32.0",
      AUTOTASK_ENHANCE_CONCURRENCY: "not a number",
    });
    expect(config.gatewayDefaults.impersonationResourceId).toBe(29682885);
    expect(config.env.impersonationResourceId).toBe(30000001);
    expect(config.writeAllowlist).toEqual(["autotask_create_ticket_note", "autotask_raw_request"]);
    expect(config.untrustedMarkers).toBe(false);
    expect(config.http.s2sSecret).toBe("s2s");
    expect(config.server).toEqual({ name: "acme", version: "2.32.0" });
    expect(config.notices).toEqual([]);
    expect(parseConfig({}).untrustedMarkers).toBe(true);
    expect(parseConfig({}).server).toEqual({ name: "autotask-mcp" });
    expect(parseError({ X_IMPERSONATION_RESOURCE_ID: "abc" })).toBe('X_IMPERSONATION_RESOURCE_ID must be a resource id from 1 to 2147483647, got "abc"');
    expect(parseError({ AUTOTASK_IMPERSONATION_RESOURCE_ID: "0" })).toStartWith("AUTOTASK_IMPERSONATION_RESOURCE_ID must be a resource id");
    expect(parseError({ AUTOTASK_UNTRUSTED_MARKERS: "disabled" })).toBe('AUTOTASK_UNTRUSTED_MARKERS must be true or false, got "disabled"');
    expect(parseConfig({ AUTOTASK_WRITE_ALLOWLIST: "autotask_create_ticket_note" }).notices).toEqual([
      "AUTOTASK_WRITE_ALLOWLIST has no effect while AUTOTASK_READ_ONLY is off: every write tool is enabled",
    ]);
  });

  test("the original's MCP_BRAND_* names: used where our views can, ours win, the rest named at start-up instead of stopping it", () => {
    const logo = "data:image/png;base64,iVBORw0KGgo=";
    expect(parseConfig({ MCP_BRAND_NAME: "Acme MSP", MCP_BRAND_PRIMARY_COLOR: "#C60", MCP_BRAND_LOGO_URL: logo }).brand).toEqual({ name: "Acme MSP", color: "#cc6600", colorDark: "#cc6600", logo });
    expect(parseConfig({ MCP_BRAND_NAME: "Theirs", MCP_UI_BRAND_NAME: "Ours", MCP_BRAND_PRIMARY_COLOR: "#000000", MCP_UI_BRAND_COLOR: "#ffffff" }).brand).toMatchObject({ name: "Ours", color: "#ffffff" });
    const config = parseConfig({ MCP_BRAND_LOGO_URL: "https://cdn.example.com/logo.png", MCP_BRAND_PRIMARY_COLOR: "rebeccapurple", MCP_BRAND_BG: "#fff", MCP_BRAND_TEXT: "#000", MCP_BRAND_ACCENT_COLOR: "#f00" });
    expect(config.brand).toEqual({ name: "Autotask PSA", color: "#1f5fbf", colorDark: "#8ab4f8" });
    expect(config.notices).toHaveLength(5);
    expect(config.notices[0]).toBe('MCP_BRAND_PRIMARY_COLOR is not used: the colour must be hex, such as #1f5fbf, got "rebeccapurple"');
    expect(config.notices[1]).toStartWith("MCP_BRAND_LOGO_URL is not used: the views load nothing from the network");
    expect(config.notices.slice(2).map((notice) => notice.split(" ")[0])).toEqual(["MCP_BRAND_ACCENT_COLOR", "MCP_BRAND_BG", "MCP_BRAND_TEXT"]);
  });
});
