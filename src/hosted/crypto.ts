/**
 * The encrypted-credential envelope and the key ring (hosted mode).
 *
 * Autotask credentials are sealed with AES-256-GCM through WebCrypto: a fresh random 96-bit nonce
 * per encryption (NIST SP 800-38D §8.2.2), the record's id as additional authenticated data so a
 * ciphertext copied onto another record fails to open, and the id of the key that sealed it so the
 * ring can hold an old key beside the new one while `autotask-mcp keys rotate` re-seals everything.
 *
 * Envelope (text, stored as is): `v1.<key id>.<nonce, base64url>.<ciphertext + tag, base64url>`.
 * A key id is the first 16 hex digits of SHA-256 over the key: it names the key without revealing it.
 *
 * Also here: opaque tokens (random, stored only as SHA-256 hashes).
 */
import { createHash, randomBytes } from "node:crypto";

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const VERSION = "v1";

/** How to make a key, for every message that asks for one. */
export const MAKE_A_KEY = "make one with `autotask-mcp keys generate` (or `openssl rand -base64 32`)";

export class KeyError extends Error {
  override name = "KeyError";
}

/** A stored envelope that cannot be opened: unknown key, altered bytes, or moved to another record. */
export class DecryptError extends Error {
  override name = "DecryptError";
}

interface RingKey {
  id: string;
  key: CryptoKey;
}

/**
 * The keys from AUTOTASK_MCP_ENCRYPTION_KEY (or its key file): the first one seals, every one opens.
 * Keys are 32 random bytes in base64 (or base64url), separated by commas, spaces or new lines.
 */
export class KeyRing {
  private constructor(private readonly keys: RingKey[]) {}

  /**
   * Parses a key list. Throws KeyError naming `source` (the variable or file) when a key is not
   * 32 bytes of base64, or when the list is empty.
   */
  static async parse(raw: string, source: string): Promise<KeyRing> {
    const parts = raw.split(/[\s,]+/).filter(Boolean);
    if (parts.length === 0) throw new KeyError(`${source} is empty: ${MAKE_A_KEY}`);
    const keys: RingKey[] = [];
    for (const [index, part] of parts.entries()) {
      const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(part) ? Buffer.from(part, "base64") : Buffer.alloc(0);
      if (bytes.length !== KEY_BYTES) {
        throw new KeyError(`${source}: key ${index + 1} is not ${KEY_BYTES} bytes of base64 (got ${bytes.length} bytes): ${MAKE_A_KEY}`);
      }
      const id = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
      if (keys.some((known) => known.id === id)) continue;
      keys.push({ id, key: await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]) });
    }
    return new KeyRing(keys);
  }

  /** The id of the key new envelopes are sealed with. */
  get currentId(): string {
    return this.keys[0]!.id;
  }

  /** Every key id the ring can open, current first. */
  get ids(): string[] {
    return this.keys.map((key) => key.id);
  }

  /** Seals `plaintext` for the record `recordId` under the current key. */
  async seal(recordId: string, plaintext: string): Promise<string> {
    const { id, key } = this.keys[0]!;
    const nonce = randomBytes(NONCE_BYTES);
    const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: aad(recordId) }, key, new TextEncoder().encode(plaintext));
    return [VERSION, id, nonce.toString("base64url"), Buffer.from(sealed).toString("base64url")].join(".");
  }

  /**
   * Opens an envelope sealed for `recordId`. Throws DecryptError saying which: a malformed
   * envelope, a key id the ring does not hold, or a failed authentication (altered bytes, wrong
   * record, wrong key).
   */
  async open(recordId: string, envelope: string): Promise<string> {
    const parts = envelope.split(".");
    if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptError(`stored credentials of ${recordId} are not a ${VERSION} envelope`);
    const [, keyId, nonce, sealed] = parts as [string, string, string, string];
    const entry = this.keys.find((key) => key.id === keyId);
    if (!entry) {
      throw new DecryptError(
        `stored credentials of ${recordId} were encrypted with key ${keyId}, which AUTOTASK_MCP_ENCRYPTION_KEY does not hold (it holds ${this.ids.join(", ")}); add the old key after the new one until \`autotask-mcp keys rotate\` has run`,
      );
    }
    try {
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: Buffer.from(nonce, "base64url"), additionalData: aad(recordId) },
        entry.key,
        Buffer.from(sealed, "base64url"),
      );
      return new TextDecoder().decode(plain);
    } catch {
      throw new DecryptError(`stored credentials of ${recordId} failed authentication: the ciphertext was altered or belongs to another record`);
    }
  }
}

function aad(recordId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`autotask-mcp:${recordId}`);
}

/** A fresh key in the form KeyRing.parse reads. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/** An opaque bearer secret: `prefix` plus 256 random bits in base64url. */
export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** A short random record id (128 bits, base64url). */
export function randomId(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * The stored form of a token: SHA-256, hex. The tokens are 256-bit random values, so a fast hash
 * is enough (nothing to brute-force) and lets a lookup go by the hash alone.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
