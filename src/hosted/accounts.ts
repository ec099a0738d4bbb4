/**
 * People: accounts (email + password, argon2id through Bun.password) and browser sessions.
 * A session is a random cookie value stored only as its SHA-256 hash.
 */
import { addressKey } from "../address.ts";
import type { AccountRecord, Store } from "../store/types.ts";
import { hashToken, randomId, randomToken } from "./crypto.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { readCookies, setCookie, type CookieNames } from "./web.ts";

export const SESSION_TTL_MS = 7 * 24 * 60 * 60_000;
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 1024;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
/**
 * argon2id at the OWASP Password Storage Cheat Sheet's first configuration (m = 19 MiB, t = 2,
 * p = 1): Bun's default (64 MiB) costs ~0.6 s of CPU per sign-in on a small shared host.
 */
const ARGON2 = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;

export type AccountResult = { ok: true; account: AccountRecord } | { ok: false; message: string; retryAfterSeconds?: number };

// Verified against when an email is unknown, so both answers take an argon2id verification.
let dummyHash: Promise<string> | undefined;

export class Accounts {
  constructor(
    private readonly store: Store,
    private readonly limiter: RateLimiter,
  ) {}

  /** Creates an account; refuses a malformed email, a short password or an email already in use. */
  async signUp(emailInput: string, password: string, address: string, now: number): Promise<AccountResult> {
    const email = emailInput.trim().toLowerCase();
    if (!EMAIL.test(email) || email.length > 254) return { ok: false, message: "Enter a valid email address." };
    if (password.length < MIN_PASSWORD) return { ok: false, message: `Choose a password of at least ${MIN_PASSWORD} characters.` };
    if (password.length > MAX_PASSWORD) return { ok: false, message: `A password may have at most ${MAX_PASSWORD} characters.` };
    const wait = await this.limiter.hit("signUp", address);
    if (wait) return { ok: false, message: `Too many new accounts from this address. Try again in ${wait} seconds.`, retryAfterSeconds: wait };
    if (await this.store.accountByEmail(email)) return { ok: false, message: "An account with this email already exists: sign in instead." };
    const account: AccountRecord = {
      id: randomId(),
      email,
      passwordHash: await Bun.password.hash(password, ARGON2),
      createdAt: now,
      connectionId: null,
      role: null,
      resourceId: null,
      resourceName: null,
    };
    try {
      await this.store.createAccount(account);
    } catch {
      return { ok: false, message: "An account with this email already exists: sign in instead." };
    }
    await this.limiter.rememberPlace(email, address);
    return { ok: true, account };
  }

  /**
   * Checks email and password; rate-limited per address and per email. The per-email count is
   * shared by addresses that have not signed in to this email lately, while an address that has
   * (within 30 days; remembered by the coordinator, so across replicas with Redis) gets a count of
   * its own: strangers guessing from anywhere can lock the account only for new places, never where
   * its owner signed in before, and between them still get at most LIMITS.signInEmail guesses per
   * window. (Without Redis, known addresses are kept in memory: after a restart, everyone is new
   * until they sign in once.)
   */
  async signIn(emailInput: string, password: string, address: string): Promise<AccountResult> {
    const email = emailInput.trim().toLowerCase();
    const emailKey = (await this.limiter.knowsPlace(email, address)) ? `${email}\n${addressKey(address)}` : email;
    const wait = (await this.limiter.hit("signIn", address)) ?? (await this.limiter.hit("signInEmail", emailKey));
    if (wait) return { ok: false, message: `Too many sign-in attempts. Try again in ${wait} seconds.`, retryAfterSeconds: wait };
    const account = email && password.length <= MAX_PASSWORD ? await this.store.accountByEmail(email) : undefined;
    dummyHash ??= Bun.password.hash(randomToken(""), ARGON2);
    const verified = await Bun.password.verify(password.slice(0, MAX_PASSWORD), account?.passwordHash ?? (await dummyHash));
    if (!account || !verified) return { ok: false, message: "That email and password do not match an account." };
    await this.limiter.reset("signInEmail", emailKey);
    await this.limiter.rememberPlace(email, address);
    return { ok: true, account };
  }

  /** Whether `password` is the account's own (re-confirmation before replacing credentials). */
  async checkPassword(account: AccountRecord, password: string): Promise<boolean> {
    if (!password || password.length > MAX_PASSWORD) return false;
    return Bun.password.verify(password, account.passwordHash);
  }

  /** Starts a browser session; returns its Set-Cookie value. */
  async startSession(accountId: string, names: CookieNames, now: number): Promise<string> {
    const token = randomToken("");
    await this.store.createSession({ hash: hashToken(token), accountId, createdAt: now, expiresAt: now + SESSION_TTL_MS });
    return setCookie(names.session, token, SESSION_TTL_MS / 1000, names.secure);
  }

  /** The signed-in account of a request, if its session is valid. */
  async current(request: Request, names: CookieNames, now: number): Promise<AccountRecord | undefined> {
    const token = readCookies(request).get(names.session);
    if (!token) return undefined;
    const session = await this.store.sessionByHash(hashToken(token));
    if (!session || session.expiresAt <= now) return undefined;
    return this.store.accountById(session.accountId);
  }

  /** Ends the request's session; returns the Set-Cookie value that clears it. */
  async endSession(request: Request, names: CookieNames): Promise<string> {
    const token = readCookies(request).get(names.session);
    if (token) await this.store.deleteSession(hashToken(token));
    return setCookie(names.session, "", 0, names.secure);
  }
}
