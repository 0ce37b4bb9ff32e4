import type { Context, MiddlewareHandler } from 'hono';
import type { EndReason } from '../contract/protocol.js';
import type { PublicUser } from '../contract/schemas.js';
import type { JsonValue, SessionRecord } from '../store/types.js';

/** The app's per-key session data. */
export type SessionData = { [key: string]: JsonValue };

/** The live session's deadlines, epoch ms from the server clock. */
export interface SessionDeadlines {
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  idleTimeoutMs: number;
}

/** What `regenerate()` changes besides the token. */
export interface RegenerateOptions {
  /** The user the session now belongs to (login). `null` keeps it anonymous. */
  userId?: string | null;
  /** Public claims `/status` shows. Never secrets. */
  user?: PublicUser;
  /**
   * The user just proved who they are (password, passkey, re-auth): resets freshness.
   * Default: `true` when a non-null `userId` is given, else `false`.
   */
  authenticated?: boolean;
  /** Why: `reauth` also emits a `reauthenticated` event. Default `login`. */
  cause?: 'login' | 'reauth' | 'privilege-change';
}

/**
 * `c.var.session`: the request's view of its session. Reads are synchronous from the one
 * store read the middleware made; writes are collected and applied as one per-key delta
 * after the handler, so most requests cost one store read and no write.
 */
export interface Session<Data extends SessionData = SessionData> {
  /** `active` once a live session was resolved, or created by a write in this request. */
  readonly state: 'active' | 'none';
  /** Why there is no session when `state` is `none`. */
  readonly reason: EndReason | null;
  /**
   * The cookie names a session that a privilege change or re-auth renewed (in another
   * request of this browser, whose new cookie is on its way): no session for this request,
   * but not an ended one either. `requireSession()` and `GET /status` answer it with 409
   * `session_renewed`, which the client repeats instead of signing the person out.
   */
  readonly renewed: boolean;
  /**
   * The cookie names a session that a sign-in as another user on this browser ended after
   * this request was sent (within the rotation grace window): no session for this request.
   * `requireSession()` answers it with 409 `session_switched`, which the client hands to the
   * app instead of repeating the request as the new user.
   */
  readonly switched: boolean;
  /** The store key (a hash, safe for logs), never the cookie token. */
  readonly id: string | null;
  readonly userId: string | null;
  readonly user: PublicUser;
  readonly createdAt: number | null;
  readonly authenticatedAt: number | null;
  readonly deadlines: SessionDeadlines | null;
  /** Server time this request runs at (epoch ms, from the configured clock). */
  readonly now: number;
  /** The configured idle timeout, known even when there is no session. */
  readonly idleTimeoutMs: number;
  /**
   * Whether the configured `reauth` strategy could re-authenticate this browser, asked at
   * each read: after `remember.issue()` in the same request it is `true`, after `forget()` `false`.
   */
  readonly canReauth: boolean;
  get<K extends keyof Data & string>(key: K): Data[K] | undefined;
  /**
   * Sets one key. Creates the session (lazily) if there is none. Throws a `TypeError` for a
   * key that is not well-formed Unicode (a lone surrogate, from a string cut inside an
   * emoji): no store could keep it apart from others; for a value nested more than
   * 1000 levels deep, which no store could copy or serialise back; and for a value that is
   * not JSON data (a `Date`, `BigInt`, `NaN`, `Map`...), which the stores would give back
   * changed (docs/stores.md).
   */
  set<K extends keyof Data & string>(key: K, value: Data[K]): void;
  delete(key: keyof Data & string): void;
  /**
   * Login or privilege change: a new token, the old one dead at once, data kept. A
   * privilege change (no sign-in) throws `SessionEndedError` when the session it replaces
   * was ended meanwhile (revoked, signed out in another tab, or renewed by a parallel
   * request); the middleware answers 401 (409 for a parallel one) unless the app catches it.
   */
  regenerate(options?: RegenerateOptions): Promise<void>;
  /**
   * Ends the session (record deleted to a tombstone, cookie cleared, `Clear-Site-Data`).
   * `logged-out` (the default) also calls the reauth strategy's `forget()` and deletes the
   * credential the session links (`linkCredential`), so the device's remember-me
   * credential dies with it even when its cookie did not come along (a copy elsewhere, a
   * cross-site POST). Safe without a live session: then it only forgets the credential
   * the request carries and sends the headers, so `POST /logout` is idempotent. Any other
   * `reason` throws a `TypeError` before anything is ended.
   */
  destroy(reason?: 'logged-out' | 'revoked'): Promise<void>;
  /** Moves the idle deadline now, ignoring the touch throttle (never past the absolute one). */
  extend(): void;
  /**
   * This request must not extend the idle time. On GET and HEAD the read already made the
   * throttled touch, so declare those routes passive up front with `passive()`; this call
   * still holds back the touch of other methods (a refused POST, say).
   */
  markPassive(): void;
  /**
   * Records the remember-me credential this device holds (its store id, as
   * `store.getCredential` takes it), so that revoking the session deletes it too; `null`
   * unlinks. Written with the request's other changes, to the session that is live when
   * the request ends (so before or after `regenerate()` alike), and carried over by
   * `regenerate()` while the user stays the same. `rememberMe().issue()` calls it.
   */
  linkCredential(credentialId: string | null): void;
  /**
   * Silent re-authentication through the configured `reauth` strategy: on success a
   * brand-new session (`regenerate({ cause: 'reauth' })`) and `true`; `false` when there is
   * no strategy, it proves nobody, or its credential was revoked while it ran. When the
   * cookie names a live session a re-auth made under a minute ago (another tab of the
   * browser re-authenticated just before) and the proof is silent, of the same user,
   * credential (or none) and claims (or none), that session is
   * kept (`reauthenticated` with `previousSid` equal to its `sid`) and `true`.
   */
  reauthenticate(): Promise<boolean>;
}

/** Hono environment for typed `c.var.session`, e.g. `new Hono<SessionEnv<{ cart: string[] }>>()`. */
export interface SessionEnv<Data extends SessionData = SessionData> {
  Variables: { session: Session<Data> };
}

/** A session as listed for its user ("your devices"). */
export interface SessionSummary {
  id: string;
  createdAt: number;
  lastActiveAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  userAgent: string | null;
  /** Coarse location, when the app supplies one (`location` option). */
  location: string | null;
  /** True for the session of the request that asked. */
  current: boolean;
}

/** Operations on sessions outside a request: admin APIs, account disable, "sign out others". */
export interface SessionManager {
  listForUser(userId: string, currentId?: string | null): Promise<SessionSummary[]>;
  /**
   * Signs out a device: ends the session `id` (reason `revoked`), the user's other sessions
   * linking its remember-me credential, and deletes that credential. A session its device
   * has already moved on from (a re-auth, a privilege change, a login that kept the
   * credential) is followed to the device. `exceptId` (the caller's own session, and what
   * it was renewed into) is never ended. `detail` is for audit logs (default `admin`); the
   * details Lifeline's own endings use to keep a credential (`regenerated`, `revoke-user`,
   * `session-limit-refused`, `session-limit-replaced`, `regenerate-abandoned`) are refused.
   * Resolves to the number of sessions it ended (0 when all had ended already).
   */
  revoke(id: string, detail?: string, options?: { exceptId?: string | null }): Promise<number>;
  /** Ends every session of a user except `exceptId`, and deletes their remember-me credentials unless kept. */
  revokeUser(
    userId: string,
    options?: { exceptId?: string | null; keepCredentials?: boolean },
  ): Promise<number>;
  /** The stored record (for admin tooling and tests). */
  get(id: string): Promise<SessionRecord | null>;
}

/** Who a {@link ReauthStrategy} proved the request to be. */
export interface ReauthProof {
  userId: string;
  /** Public claims for `/status`; default: those of the session it replaces, for the same user. */
  user?: PublicUser;
  /** An interactive proof (see `reauthenticate`). Default `false`. */
  fresh?: boolean;
  /**
   * Store id of the credential that proved it (remember-me): the new session records it
   * and deletes it when revoked. Default: what the request's session links, for the same user.
   */
  credentialId?: string;
}

/** Silent re-authentication: the app's hook behind `POST /reauth` (see `rememberMe()`). */
export interface ReauthStrategy {
  /**
   * Whether the browser holds something that could re-authenticate (shown as `canReauth`):
   * what the request carries, or what this response already sets or clears.
   */
  canReauth(c: Context): boolean;
  /**
   * Returns who the request proves to be, or `null` (answered 401 `reauth_failed`).
   * `fresh: true` only when the person just proved it interactively (password, passkey in
   * a popup): it then satisfies `requireSession({ fresh })`. A stored credential such as
   * remember-me is not fresh, so sensitive routes still ask for the password.
   */
  reauthenticate(c: Context): Promise<ReauthProof | null>;
  /** Called after logout, so a credential does not outlive the session by user intent. */
  forget?(c: Context): Promise<void>;
  /**
   * The id of the credential the request's cookie names, or null. A sign-in as `userId`
   * links it into its new session as it is created, and under `maxSessionsPerUser` tells
   * this device's other sessions (two tabs signing in at once), which make room first,
   * from another device's by it. So it must answer only for `userId`'s own live credential
   * with a validator its re-auth would take: another user's would be linked to this
   * session, and an old copy of the cookie could end the owner's sessions where the limit
   * refuses the sign-in (`rememberMe()` reads the store for that). A failure, or anything
   * but a non-empty string, counts as none.
   */
  presentedCredentialId?(c: Context, userId: string): string | null | Promise<string | null>;
  /**
   * Called when the request signs in as `userId` (`regenerate({ userId })`): forgets a
   * credential the request carries for anyone else, or it would sign the browser back in
   * as them once the new session ends. May resolve to the id of the credential it kept
   * (`userId`'s own): the new session links it unless it links one already or the app chose
   * its link before the sign-in, so revoking the device's session deletes what could sign
   * it back in.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a strategy written for Promise<void> still fits.
  forgetIfNotFor?(c: Context, userId: string): Promise<string | null | undefined | void>;
  /**
   * Called after the request revoked sessions (`POST /sessions/revoke`), which may have
   * deleted the credential it carries: takes that credential's cookie back if it is gone,
   * so `canReauth` does not offer a re-auth that can only fail.
   */
  forgetIfGone?(c: Context): Promise<void>;
  /**
   * Called when the credential `credentialId`, issued in this request, was deleted before
   * the response went out because the session it was for ended meanwhile: takes its
   * cookie back, so that `canReauth` does not offer a re-auth that can
   * only fail.
   */
  withdraw?(c: Context, credentialId: string): Promise<void>;
  /**
   * The cookie it reads, if any (without the `__Host-` prefix): `session()` refuses a
   * session cookie of the same name, since the two would overwrite each other.
   */
  readonly cookieName?: string;
}

/** The middleware `session()` returns, with its manager attached. */
export type SessionMiddleware = MiddlewareHandler & { manager: SessionManager };
