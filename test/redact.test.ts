import { describe, expect, test } from "bun:test";
import { createLogger } from "../src/log.ts";
import { REDACTED, redact, redactPath, redactText } from "../src/redact.ts";

describe("redaction", () => {
  test("masks values of secret-named keys, in any casing and nesting", () => {
    const out = redact({
      username: "api@example.com",
      Secret: "hunter2-secret",
      headers: { "X-API-Secret": "abc123456", ApiIntegrationCode: "CODE12345", "x-integration-code": "CODE12345", authorization: "Bearer tok" },
      list: [{ password: "pw123456" }],
    });
    expect(out).toEqual({
      username: "api@example.com",
      Secret: REDACTED,
      headers: { "X-API-Secret": REDACTED, ApiIntegrationCode: REDACTED, "x-integration-code": REDACTED, authorization: REDACTED },
      list: [{ password: REDACTED }],
    });
  });

  test("masks secrets inside text and known secret values anywhere", () => {
    expect(redactText("Secret: hunter2xyz UserName: bob")).toBe(`Secret: ${REDACTED} UserName: bob`);
    expect(redactText('{"secret":"hunter2xyz","integrationCode":"ABCDEF"}')).toBe(`{"secret":"${REDACTED}","integrationCode":"${REDACTED}"}`);
    expect(redactText("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText("upstream said: bad value zz-my-secret-zz here", ["zz-my-secret-zz"])).toBe(`upstream said: bad value ${REDACTED} here`);
    expect(redactText("ApiIntegrationCode=ABC123DEF integration_code: XYZ987")).toBe(`ApiIntegrationCode=${REDACTED} integration_code: ${REDACTED}`);
  });

  test("hosted-mode tokens and invite links are masked wherever they appear; client ids are not secrets", () => {
    const token = "Zm9vYmFyYmF6cXV4cXV1eC1fZm9vYmFyYmF6cXV4cXV1";
    for (const prefix of ["atmcp_inv_", "atmcp_at_", "atmcp_rt_", "atmcp_code_"]) expect(redactText(`got ${prefix}${token}, retry`)).toBe(`got ${REDACTED}, retry`);
    expect(redactText("client atmcp_client_AbCdEf0123456789_-xyzw")).toBe("client atmcp_client_AbCdEf0123456789_-xyzw");
    expect(redactPath(`/invite/atmcp_inv_${token}`)).toBe(`/invite/${REDACTED}`);
    expect(redactPath("/invite/anything-someone-typed-there")).toBe(`/invite/${REDACTED}`);
    expect(redactPath("/account/credentials")).toBe("/account/credentials");
  });

  test("prose about credentials is left readable", () => {
    const text = "Autotask rejected the integration code: Invalid integration code for this user";
    expect(redactText(text)).toBe(text);
  });

  test("Headers objects are redacted", () => {
    const headers = new Headers({ "X-API-Secret": "abcdefgh", "X-API-Key": "user@example.com" });
    expect(redact(headers)).toEqual({ "x-api-secret": REDACTED, "x-api-key": "user@example.com" });
  });
});

describe("logger", () => {
  const capture = (options: Parameters<typeof createLogger>[0] = {}) => {
    const lines: string[] = [];
    return { lines, log: createLogger({ ...options, write: (line) => lines.push(line) }) };
  };

  test("json format: one object per line with time, level, msg and fields; secrets masked", () => {
    const { lines, log } = capture({ format: "json", level: "debug" });
    log.withSecrets(["per-request-secret"]).info("calling with per-request-secret", { secret: "s", tenant: "t1", nested: { token: "x" } });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: "info", msg: `calling with ${REDACTED}`, secret: REDACTED, tenant: "t1", nested: { token: REDACTED } });
    expect(Date.parse(entry.time)).not.toBeNaN();
    expect(lines[0]!.endsWith("\n")).toBe(true);
  });

  test("levels filter lines", () => {
    const { lines, log } = capture({ level: "warn" });
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines.map((line) => line.split(" ")[1])).toEqual(["WARN", "ERROR"]);
  });
});
