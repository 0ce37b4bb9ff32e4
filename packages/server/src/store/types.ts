import type { EndReason } from '../contract/protocol.js';

/**
 * The storage contract every Lifeline store implements (memory, Redis, third-party).
 *
 * Keys: a session is stored under its `sid`, the base64url SHA-256 of the cookie token's
 * family part (see docs/design-decisions.md), never under anything a client sends raw.
 * Token hashes are SHA-256 (or HMAC when a secret is configured) of the whole token.
 * A store never sees a raw cookie value.
 *
 * Every method may reject (outage, timeout); the middleware turns that into a 503
 * `store_unavailable`. Stores must never return partially parsed garbage: a record that
 * fails validation is reported as `null` (no session) through `onCorrupt` if given.
 */

/** JSON value the session data may hold. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * The predecessor token of a periodic rotation, alive only inside its grace window, or
 * for as long as its successor is not known to have reached the browser.
 */
export interface PreviousToken {
  tokenHash: string;
  /** Epoch ms after which the predecessor no longer resolves (once `confirmed`). */
  until: number;
  /**
   * The successor token, sealed with a key derived from the predecessor token. Absent
   * when the store keeps it apart from the record (read it with
   * {@link SessionStore.getSealedSuccessor}) or has forgotten it: a store forgets it once
   * the predecessor no longer resolves (`confirmed` and `until` passed), since from then
   * on it would only help someone who read the store and kept an old cookie.
   */
  sealedSuccessor?: string;
  /**
   * `false` from the rotation until {@link SessionStore.confirmRotation} records that the
   * successor reached the browser: until then the predecessor resolves past `until` too
   * (bounded by the session's deadlines). Absent, as in records written without it: `true`.
   */
  confirmed?: boolean;
}

/** Why a session ended, kept as a tombstone so a late request learns the exact reason. */
export interface EndedMarker {
  reason: Extract<EndReason, 'revoked' | 'logged-out' | 'idle-timeout' | 'absolute-timeout'>;
  /** Free-form detail for audit logs, e.g. `regenerated`, `theft-suspected`, `admin`. */
  detail?: string;
  at: number;
  /**
   * The session that replaced this one (`regenerated`), so that revoking this id, or a
   * revocation racing the renewal, can follow it. Stores keep it as given.
   */
  successor?: string;
}

/** Metadata of a session: everything except the app's data. */
export interface SessionMeta {
  tokenHash: string;
  previous: PreviousToken | null;
  userId: string | null;
  /** Public claims shown by `/status`. */
  user: { [key: string]: JsonValue } | null;
  createdAt: number;
  /** When the user last proved who they are (login, re-auth); drives "fresh" routes. */
  authenticatedAt: number | null;
  /** Last activity that moved the idle deadline (throttled touch). */
  lastActiveAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  rotatedAt: number;
  userAgent: string | null;
  /** Coarse location of the device that created the session; absent in older records. */
  location?: string | null;
  /**
   * Store id of the remember-me credential this device holds (see `getCredential`): it is
   * deleted when the session is revoked. Absent in older records, which means none.
   */
  credentialId?: string | null;
  /** Set once the session has ended; the record is then a tombstone with empty data. */
  ended: EndedMarker | null;
}

/** A stored session: metadata plus the app's per-key data. */
export interface SessionRecord extends SessionMeta {
  data: { [key: string]: JsonValue };
}

/**
 * A per-key change. Keys not named are left as they are (concurrent writers do not clash).
 * A store moves `meta.absoluteExpiresAt` earlier, never later (a later one is left out):
 * a session past its absolute deadline stays dead, and a sign-in does not wait for its
 * `endIfExpired`. `session()` itself never moves it after creation.
 */
export interface SessionPatch {
  set?: { [key: string]: JsonValue };
  unset?: string[];
  meta?: Partial<Omit<SessionMeta, 'tokenHash' | 'previous' | 'ended' | 'createdAt'>>;
}

/** The compare-and-set of a periodic rotation. */
export interface RotationSwap {
  /** Only rotate while this is still the current token hash. */
  expectedTokenHash: string;
  tokenHash: string;
  previous: PreviousToken;
  rotatedAt: number;
}

/** What {@link SessionStore.confirmRotation} writes: the predecessor, now confirmed. */
export interface RotationConfirmation {
  /** Only while this is still the current token hash: a newer rotation's predecessor stays. */
  tokenHash: string;
  /** Replaces the stored `previous`: the same predecessor, `confirmed: true`, `until` maybe later. */
  previous: PreviousToken;
  /** When the confirmation is sent: a store that expires the sealed successor does so `until − at` from now. */
  at: number;
}

/**
 * The touch {@link SessionStore.getAndTouch} applies in the same atomic step as its read,
 * so an ordinary request that moves the idle deadline still costs one round trip.
 */
export interface TouchIfDue {
  /** Touch only while this is the record's current token hash (never for a predecessor). */
  tokenHash: string;
  /** Touch only if the record's `lastActiveAt` is at or before this (`now − touchInterval`). */
  dueAtOrBefore: number;
  /** The request's instant: the new `lastActiveAt`; both deadlines must still be after it. */
  now: number;
  /** The new idle deadline before the cap: the record gets `min(idleExpiresAt, absoluteExpiresAt)`. */
  idleExpiresAt: number;
}

/** Outcome of a conditional write. */
export type WriteResult = 'ok' | 'missing';
/** Outcome of {@link SessionStore.endIfExpired}: `live` means both deadlines are after `now`. */
export type ExpireResult = WriteResult | 'live';
/** Outcome of a rotation: `conflict` means another request rotated first. */
export type RotateResult = 'ok' | 'conflict' | 'missing';

/** A long-lived "remember me" credential (one per device), stored hashed. */
export interface CredentialRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  /**
   * The token the last rotation replaced, alive for a short grace window. Absent in older
   * records, and once `previous.until` has passed: none.
   */
  previous?: PreviousCredential | null;
}

/**
 * A credential's predecessor after a rotation: parallel uses of the same cookie (a retry,
 * a double submit) present it, and inside its window get the successor instead of being
 * taken for a replay. A store forgets it at `until` (see `getCredential`): past its window
 * the sealed successor would only help someone who read the store and kept an old cookie.
 */
export interface PreviousCredential {
  tokenHash: string;
  /** Epoch ms after which presenting the predecessor is suspected theft again. */
  until: number;
  /** The successor token, sealed with a key derived from the predecessor token. */
  sealedSuccessor: string;
}

/** Session and credential storage. All instants are epoch milliseconds. */
export interface SessionStore {
  /**
   * The record under `sid`, live or ended; `null` if unknown, expired from the store, or
   * corrupt. Its `previous.sealedSuccessor` is left out once the predecessor no longer
   * resolves (`confirmed`, and `until` at or before the store's clock), and may be left
   * out before that by a store that keeps it apart (`getSealedSuccessor`).
   */
  get(sid: string): Promise<SessionRecord | null>;
  /**
   * Optional, for a store that keeps a rotation's sealed successor apart from the record,
   * so that it can forget it at `until` without a write to the record on the read path:
   * the sealed successor of `sid`'s current predecessor, or `null` once forgotten. Where
   * the engine can expire data (a Redis TTL) it is not readable past `until` once the
   * rotation is confirmed, nor after the session ends. Read only when a request presents
   * the predecessor inside its window: the rare second round trip of the grace path.
   */
  getSealedSuccessor?(sid: string): Promise<string | null>;
  /**
   * Optional: `get`, and in the same atomic step, when `touch` is due, the throttled touch
   * (`lastActiveAt` and `idleExpiresAt` move). It touches only a live record whose current
   * token hash is `touch.tokenHash`, whose `lastActiveAt` is at or before
   * `touch.dueAtOrBefore` and whose deadlines are both after `touch.now`; anything else is
   * returned as `get` would. Returns the record as it is after the step. Its expiry in
   * the store does not change (that follows the absolute deadline). A store without it
   * costs a request whose touch falls due a second call, after the handler.
   */
  getAndTouch?(sid: string, touch: TouchIfDue): Promise<SessionRecord | null>;
  /**
   * Stores a new record and indexes it under its `userId`. Returns `false`, changing
   * nothing, when `sid` already exists. Rejects with a `TypeError`, writing nothing, for
   * data a store cannot keep: a value nested more than 1000 levels deep, or
   * a key holding a lone surrogate (not well-formed Unicode), as `session.set()` does.
   */
  create(sid: string, record: SessionRecord, expiresAt: number): Promise<boolean>;
  /**
   * Applies a per-key delta, only if the record exists and has not ended; never
   * re-creates a deleted session. `lastActiveAt` and `idleExpiresAt` only move forward: a
   * slow request that started earlier must not pull back a deadline a later one already
   * told the browser. `absoluteExpiresAt` only moves back (see `SessionPatch`).
   * `expiresAt` is when the store may forget the record. Refuses the data `create`
   * refuses, and a lone-surrogate key in `unset`, changing nothing.
   */
  update(sid: string, patch: SessionPatch, expiresAt: number): Promise<WriteResult>;
  /** Atomic compare-and-set of the current token: exactly one concurrent rotation wins. */
  rotate(sid: string, swap: RotationSwap, expiresAt: number): Promise<RotateResult>;
  /**
   * Optional: records that the current token's predecessor is confirmed, setting `previous`
   * to `confirmation.previous`, atomically and only while the record is live and its
   * current token hash is `confirmation.tokenHash` (`conflict` otherwise, changing
   * nothing). The store's expiry stays. Without it, rotations are written confirmed at
   * once, and a predecessor past its grace window never resolves.
   */
  confirmRotation?(sid: string, confirmation: RotationConfirmation): Promise<RotateResult>;
  /**
   * Ends a live session: its data is dropped and it becomes a tombstone carrying `ended`
   * until `expiresAt`. Ending an unknown or already ended session changes nothing.
   */
  end(sid: string, ended: EndedMarker, expiresAt: number): Promise<WriteResult>;
  /**
   * Optional: `end`, only while the record's idle or absolute deadline is at or before
   * `now`, checked in the same atomic step; `live`, changing nothing, when both are after
   * it (a touch moved the idle deadline since the caller read the record). Every ending of
   * a session for its deadline goes through it: a request that reads a session past its
   * deadline (on `live` it reads the session again), and a sign-in under
   * `maxSessionsPerUser` for the user's sessions past theirs, which a request its device
   * sent just before the deadline could otherwise still bring back over the limit.
   * Without it, the request ends the session with `end` even when a parallel request in
   * time has touched it, and the sign-in leaves such sessions as they are (docs/stores.md).
   */
  endIfExpired?(
    sid: string,
    ended: EndedMarker,
    expiresAt: number,
    now: number,
  ): Promise<ExpireResult>;
  /** Live sessions of a user (ended and expired ones are pruned from the index lazily). */
  listByUser(userId: string): Promise<Array<{ sid: string; record: SessionRecord }>>;

  /**
   * The remember-me credential under `id` (hash of the token's selector), or `null`. Its
   * `previous` is left out once `previous.until` is at or before the store's clock: a
   * store never returns a predecessor past its window, and where its engine can expire
   * data (a Redis TTL) it must not keep the sealed successor readable past `until`
   * either; one without expiry drops it no later than the next read that sees it past.
   */
  getCredential(id: string): Promise<CredentialRecord | null>;
  /**
   * Stores a new credential; `false` when `id` exists. A `previous` in it is forgotten at
   * its `until` as a rotation's is.
   */
  createCredential(id: string, record: CredentialRecord): Promise<boolean>;
  /**
   * Compare-and-set of a credential's token hash (rotation on every use). In the same
   * atomic step it stores `previous` as the record's `previous`, or removes any stored one
   * when it is not given. A stored `previous` is forgotten at its `until` (`getCredential`).
   */
  rotateCredential(
    id: string,
    expectedTokenHash: string,
    tokenHash: string,
    expiresAt: number,
    previous?: PreviousCredential,
  ): Promise<RotateResult>;
  /** Deletes one credential (logout, or reuse detected: the whole family dies). */
  deleteCredential(id: string): Promise<void>;
  /** Deletes every credential of a user (account disabled, "sign out everywhere"). */
  deleteCredentialsOfUser(userId: string): Promise<void>;

  /** Releases timers or connections the store owns. Optional. */
  close?(): Promise<void>;
}
