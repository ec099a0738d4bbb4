/**
 * Key rotation: re-seal every stored connection under the ring's current (first) key.
 *
 * The operator's steps: generate a key; put it FIRST in AUTOTASK_MCP_ENCRYPTION_KEY, the old one
 * after it ("NEW,OLD") and restart, so running servers open both; run `autotask-mcp keys rotate`;
 * then drop the old key. Every connection keeps working throughout.
 */
import type { Store } from "../store/types.ts";
import type { KeyRing } from "./crypto.ts";

export interface RotationReport {
  keyId: string;
  total: number;
  resealed: number;
  alreadyCurrent: number;
  /** Connections that could not be opened (left untouched), with the reason. */
  failed: Array<{ id: string; reason: string }>;
}

export async function rotateKeys(store: Store, keys: KeyRing): Promise<RotationReport> {
  const report: RotationReport = { keyId: keys.currentId, total: 0, resealed: 0, alreadyCurrent: 0, failed: [] };
  for (const connection of await store.listConnections()) {
    report.total++;
    if (connection.keyId === keys.currentId) {
      report.alreadyCurrent++;
      continue;
    }
    try {
      const plaintext = await keys.open(connection.id, connection.sealed);
      const sealed = await keys.seal(connection.id, plaintext);
      // Conditional on the old envelope: credentials replaced meanwhile are already current.
      if (await store.resealConnection(connection.id, connection.sealed, sealed, keys.currentId)) report.resealed++;
      else report.alreadyCurrent++;
    } catch (error) {
      report.failed.push({ id: connection.id, reason: (error as Error).message });
    }
  }
  return report;
}
