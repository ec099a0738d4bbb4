import { defineCommand } from "citty";
import { generateKey, KeyError } from "../hosted/crypto.ts";
import { loadKeyRing } from "../hosted/keys.ts";
import { rotateKeys } from "../hosted/rotate.ts";
import { openStore, StoreError } from "../store/index.ts";
import { fail, loadConfig } from "./_shared.ts";

const generate = defineCommand({
  meta: { name: "generate", description: "Print a new encryption key (32 random bytes, base64) for AUTOTASK_MCP_ENCRYPTION_KEY" },
  run() {
    process.stdout.write(`${generateKey()}\n`);
  },
});

const rotate = defineCommand({
  meta: {
    name: "rotate",
    description: 'Re-encrypt every stored connection under the first key of AUTOTASK_MCP_ENCRYPTION_KEY ("NEW,OLD": the old key opens, the new one seals)',
  },
  args: { json: { type: "boolean", description: "Print the result as JSON" } },
  async run({ args }) {
    const config = loadConfig({});
    let report;
    try {
      const keys = await loadKeyRing(config.hosted);
      const store = await openStore(config.hosted.databaseUrl);
      try {
        report = await rotateKeys(store, keys);
      } finally {
        await store.close();
      }
    } catch (error) {
      if (error instanceof KeyError || error instanceof StoreError) fail(error.message);
      throw error;
    }
    if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      process.stdout.write(
        `key ${report.keyId}: re-encrypted ${report.resealed} of ${report.total} connection(s), ${report.alreadyCurrent} already under it${report.failed.length ? `, ${report.failed.length} FAILED` : ""}\n`,
      );
      for (const failure of report.failed) process.stdout.write(`  ${failure.id}: ${failure.reason}\n`);
      if (!report.failed.length && report.total > 0) process.stdout.write("every connection is under the new key: the old key may now be removed from AUTOTASK_MCP_ENCRYPTION_KEY\n");
    }
    process.exit(report.failed.length ? 1 : 0);
  },
});

export default defineCommand({
  meta: { name: "keys", description: "Hosted mode: make and rotate the key that encrypts stored Autotask credentials" },
  subCommands: { generate, rotate },
});
