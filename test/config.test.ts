import { describe, expect, test } from "bun:test";
import { ConfigError, DEFAULT_ZONE_LOOKUP_URL, missingEnvCredentials, parseConfig } from "../src/config.ts";

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
});
