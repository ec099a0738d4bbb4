/**
 * The hosted mode's store: ONE interface, whatever holds the rows (embedded SQLite for one server,
 * PostgreSQL for several replicas). Every method is async so a networked backend fits.
 *
 * What is stored, and how secrets appear in it:
 * - accounts: email and an argon2id password hash (never the password);
 * - connections: one per Autotask API user; secret and integration code only inside `sealed`
 *   (an AES-256-GCM envelope, see hosted/crypto.ts), zone and API user name in clear for display;
 * - OAuth clients registered through RFC 7591 (persisted, so a redeploy never breaks a client);
 * - grants (one per authorization of a client by a person), authorization codes, access and
 *   refresh tokens, invite links and browser sessions: all secrets among them only as SHA-256 hashes.
 * Times are epoch milliseconds.
 */

export type Role = "owner" | "member";

export interface AccountRecord {
  id: string;
  /** Lower-cased. */
  email: string;
  passwordHash: string;
  createdAt: number;
  /** The Autotask connection this person uses (their own or their team's), if any. */
  connectionId: string | null;
  role: Role | null;
  /**
   * The Autotask resource this person acts as (sent as ImpersonationResourceId). null: not chosen
   * yet (the pages ask); 0: the owner chose to act as the API user itself.
   */
  resourceId: number | null;
  resourceName: string | null;
}

export type AccountPatch = Partial<Pick<AccountRecord, "connectionId" | "role" | "resourceId" | "resourceName">>;

export interface ConnectionRecord {
  id: string;
  ownerAccountId: string;
  zoneName: string;
  apiUrl: string;
  /** The Autotask API user name (not secret: shown on the account page). */
  username: string;
  /** Envelope of {"secret","integrationCode"}, sealed with the connection id as associated data. */
  sealed: string;
  /** Key id the envelope names (kept beside it so rotation can find what is left to re-seal). */
  keyId: string;
  checkedAt: number;
  createdAt: number;
}

/** Client metadata as registered (RFC 7591 §2), the fields this server uses. */
export interface ClientMetadata {
  client_name?: string;
  client_uri?: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: "none";
  scope?: string;
  software_id?: string;
  software_version?: string;
}

export interface ClientRecord {
  clientId: string;
  metadata: ClientMetadata;
  createdAt: number;
}

export interface GrantRecord {
  id: string;
  accountId: string;
  clientId: string;
  /** The client's name at consent time (for the account page). */
  clientName: string;
  redirectUri: string;
  resource: string;
  scope: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface CodeRecord {
  hash: string;
  grantId: string;
  clientId: string;
  /**
   * The redirect_uri the authorization request sent, which /token must repeat (RFC 6749 §4.1.3);
   * empty when the request sent none (the client's one registered URI was used).
   */
  redirectUri: string;
  /** PKCE S256 challenge (RFC 7636 §4.2). */
  codeChallenge: string;
  resource: string;
  scope: string;
  expiresAt: number;
}

export type TokenKind = "access" | "refresh";

export interface TokenRecord {
  hash: string;
  kind: TokenKind;
  grantId: string;
  expiresAt: number;
  /** Refresh tokens: when it was exchanged (a second exchange is a replay). */
  consumedAt: number | null;
}

export interface InviteRecord {
  hash: string;
  connectionId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: string | null;
}

export interface SessionRecord {
  hash: string;
  accountId: string;
  createdAt: number;
  expiresAt: number;
}

/** What an access token resolves to, in one read. */
export interface AccessRecord {
  token: TokenRecord;
  grant: GrantRecord;
  account: AccountRecord;
  connection: ConnectionRecord | null;
}

export interface Store {
  // accounts
  createAccount(account: AccountRecord): Promise<void>;
  accountById(id: string): Promise<AccountRecord | undefined>;
  accountByEmail(email: string): Promise<AccountRecord | undefined>;
  updateAccount(id: string, patch: AccountPatch): Promise<void>;
  /** Everyone using a connection, owner first, then by email. */
  teamOf(connectionId: string): Promise<AccountRecord[]>;

  // connections
  saveConnection(connection: ConnectionRecord): Promise<void>;
  connectionById(id: string): Promise<ConnectionRecord | undefined>;
  /** Every connection (for key rotation), oldest first. */
  listConnections(): Promise<ConnectionRecord[]>;
  /** Re-sealed credentials; only when the envelope is still `expectedSealed` (no lost update). */
  resealConnection(id: string, expectedSealed: string, sealed: string, keyId: string): Promise<boolean>;
  /** Deletes a connection, unlinks everyone who used it and revokes their grants. */
  deleteConnection(id: string, now: number): Promise<void>;

  // OAuth clients (RFC 7591 registrations)
  saveClient(client: ClientRecord): Promise<void>;
  clientById(clientId: string): Promise<ClientRecord | undefined>;

  // grants
  createGrant(grant: GrantRecord): Promise<void>;
  grantById(id: string): Promise<GrantRecord | undefined>;
  /** A person's grants that are not revoked, most recently used first. */
  grantsOf(accountId: string): Promise<GrantRecord[]>;
  touchGrant(id: string, now: number): Promise<void>;
  revokeGrant(id: string, now: number): Promise<void>;
  revokeGrantsOf(accountId: string, now: number): Promise<void>;

  // authorization codes
  saveCode(code: CodeRecord): Promise<void>;
  /** Marks a code used and returns it; undefined when unknown or already used (single use, RFC 6749 §4.1.2). */
  takeCode(hash: string, now: number): Promise<{ code: CodeRecord; firstUse: boolean } | undefined>;

  // tokens
  saveToken(token: TokenRecord): Promise<void>;
  tokenByHash(hash: string): Promise<TokenRecord | undefined>;
  /** Marks a refresh token exchanged; false when it already was (a replay). Atomic. */
  consumeRefresh(hash: string, now: number): Promise<boolean>;
  deleteToken(hash: string): Promise<void>;
  /** An access token with its grant, person and connection, or undefined when unknown. */
  resolveAccess(hash: string): Promise<AccessRecord | undefined>;

  // invites
  createInvite(invite: InviteRecord): Promise<void>;
  inviteByHash(hash: string): Promise<InviteRecord | undefined>;
  /** Marks an invite used by `accountId`; false when it already was. Atomic. */
  useInvite(hash: string, accountId: string, now: number): Promise<boolean>;

  // browser sessions
  createSession(session: SessionRecord): Promise<void>;
  sessionByHash(hash: string): Promise<SessionRecord | undefined>;
  deleteSession(hash: string): Promise<void>;

  /** Deletes expired codes, tokens, sessions and invites. Returns how many rows went. */
  purgeExpired(now: number): Promise<number>;
  /** Resolves when the database answers (the readiness probe); throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
