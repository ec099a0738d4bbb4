/**
 * Where the key ring comes from: AUTOTASK_MCP_ENCRYPTION_KEY, or the file named by
 * AUTOTASK_MCP_ENCRYPTION_KEY_FILE (a mounted secret). Hosted mode does not start without one.
 */
import { readFile } from "node:fs/promises";
import type { HostedConfig } from "../config.ts";
import { KeyError, KeyRing, MAKE_A_KEY } from "./crypto.ts";

/** The key ring of the configuration; throws KeyError with one line saying what to set. */
export async function loadKeyRing(hosted: HostedConfig): Promise<KeyRing> {
  if (hosted.encryptionKey) return KeyRing.parse(hosted.encryptionKey, "AUTOTASK_MCP_ENCRYPTION_KEY");
  if (hosted.encryptionKeyFile) {
    let text: string;
    try {
      text = await readFile(hosted.encryptionKeyFile, "utf8");
    } catch (error) {
      throw new KeyError(`AUTOTASK_MCP_ENCRYPTION_KEY_FILE ${hosted.encryptionKeyFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    return KeyRing.parse(text, `AUTOTASK_MCP_ENCRYPTION_KEY_FILE (${hosted.encryptionKeyFile})`);
  }
  throw new KeyError(`AUTH_MODE=oauth needs AUTOTASK_MCP_ENCRYPTION_KEY (or AUTOTASK_MCP_ENCRYPTION_KEY_FILE) to encrypt stored Autotask credentials: ${MAKE_A_KEY}`);
}
