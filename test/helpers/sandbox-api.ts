/** The sandbox's REST API as a client calls it: Autotask's headers and JSON in, status, body and headers out. */
import { DEFAULT_SANDBOX_TENANT, type Sandbox, type SandboxTenant } from "../../src/sandbox/index.ts";

export type Json = Record<string, any>;

export const headersFor = (tenant: SandboxTenant, extra: Record<string, string> = {}) => ({
  ApiIntegrationCode: tenant.integrationCode,
  UserName: tenant.username,
  Secret: tenant.secret,
  "Content-Type": "application/json",
  ...extra,
});

export interface ApiInit {
  /** Default: POST when there is a body, else GET. */
  method?: string;
  body?: unknown;
  /** Whose credentials to send (default: the default sandbox tenant); ignored when `headers` is given. */
  tenant?: SandboxTenant;
  headers?: Record<string, string>;
}

/** A call to `${apiUrl}V1.0/${path}` (or to an absolute URL, such as a nextPageUrl). */
export async function callApi(
  sandbox: Sandbox,
  path: string,
  init: ApiInit = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const url = path.startsWith("http") ? path : `${sandbox.apiUrl}V1.0/${path}`;
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: init.headers ?? headersFor(init.tenant ?? DEFAULT_SANDBOX_TENANT),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}
