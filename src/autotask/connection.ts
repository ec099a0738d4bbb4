/**
 * The connection check shared by `autotask-mcp test-connection` and the autotask_test_connection
 * tool: resolve the zone, then make one authenticated call that also tells us who we are.
 */
import type { AutotaskClient, Row } from "./client.ts";
import { f } from "./filter.ts";

export interface ConnectionReport {
  zoneName: string;
  apiUrl: string;
  username: string;
  /** The API user's own resource record, when Autotask shows it. */
  resource: { id: number; name: string } | null;
  ms: number;
}

export async function checkConnection(client: AutotaskClient): Promise<ConnectionReport> {
  const started = performance.now();
  const zone = await client.zone();
  const { items } = await client.query<Row>("Resources", {
    filter: [f.or(f.eq("userName", client.username), f.eq("email", client.username))],
    includeFields: ["id", "firstName", "lastName", "userName"],
    maxRecords: 1,
  });
  const me = items[0];
  return {
    zoneName: zone.zoneName,
    apiUrl: zone.apiUrl,
    username: client.username,
    resource: me ? { id: me.id, name: [me.firstName, me.lastName].filter(Boolean).join(" ") } : null,
    ms: Math.round(performance.now() - started),
  };
}
