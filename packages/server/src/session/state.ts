import type { EndReason } from '../contract/protocol.js';
import { setOwn } from '../store/own.js';
import type { JsonValue, SessionMeta, SessionRecord } from '../store/types.js';
import type { SessionToken } from '../token/token.js';
import type { Resolution } from './resolve.js';
import type { Runtime } from './runtime.js';

/** The live session a request holds: its key, current token and working copy. */
export interface LiveSession {
  sid: string;
  token: SessionToken;
  meta: SessionMeta;
  data: { [key: string]: JsonValue };
}

/**
 * Everything one request knows and wants about its session. The `Session` handle reads
 * and changes it; `commit()` turns it into at most a few store writes and one cookie.
 */
export interface RequestState {
  readonly now: number;
  live: LiveSession | null;
  reason: EndReason | null;
  /**
   * Per-key changes since the read, applied as one delta after the handler. `null` until
   * the first change: most requests only read, and two empty collections per request are
   * garbage for nothing.
   */
  set: Map<string, JsonValue> | null;
  unset: Set<string> | null;
  passive: boolean;
  /** The read already made this request's throttled touch. */
  touched: boolean;
  extend: boolean;
  /** Set when the token changed in this request (new, regenerated or successor). */
  issue: SessionToken | null;
  /**
   * The request presented the predecessor inside its grace window, so `issue` is the
   * successor: it is sent only once the store confirms it is still the current token.
   */
  fromGrace: boolean;
  /**
   * The predecessor came past its grace window, accepted only because its rotation is
   * unconfirmed: nothing this request does moves the idle deadline (the successor it
   * is handed does, like any current token).
   */
  pastGrace: boolean;
  /**
   * The sid of the session the request's cookie named when it resolved to none (ended,
   * unknown), else `null`: a renewal binds its receipt to it.
   */
  cookieSid: string | null;
  /** The renewal receipt the response sets, or `null`: none. */
  receipt: ReceiptPlan | null;
  /**
   * The renewal receipt named this session's current token: the response rotates it, so
   * that its answer, however late, never sets a token a parallel request rotated away.
   */
  reissue: boolean;
  /**
   * The presented session's sid when a renewal replaced it (see `Resolution`): `destroy()`
   * ends the session it was renewed into. `null` otherwise.
   */
  renewed: string | null;
  /** A sign-in as another user on this browser ended the presented session (see `Resolution`). */
  switched: boolean;
  /**
   * Another user's session this request's sign-in ended: the one it replaced, or one a
   * crossing renewal left the browser in. After its theft check of the remember cookie,
   * the sign-in forgets the credentials linked along that session's renewals.
   */
  switchedFrom: string | null;
  /**
   * Set when the commit found the session ended (or renewed) under a change the handler
   * made: the middleware answers with it instead of the handler's response.
   */
  lost: { getResponse(handled?: boolean): Response } | null;
  /** Set by `destroy()`: the response clears the cookie. */
  cleared: boolean;
  /**
   * Set when a privilege change found its session ended under it (`SessionEndedError`):
   * nothing more is written or sent for this request's session.
   */
  abandoned: boolean;
  /** The session was created or regenerated in this request: no touch, no rotation. */
  fresh: boolean;
  /**
   * A remember-me credential linked in this request (`linkCredential`), not yet in the
   * record; `undefined` when unchanged. The next `regenerate()` or the commit writes it.
   */
  credential: string | null | undefined;
  /**
   * The handler has returned and the middleware committed: a change made now (in a
   * stream's callback, or a promise not awaited) could reach neither the store nor the
   * response.
   */
  sent: boolean;
  /** `regenerate()`, `destroy()` and `reauthenticate()` calls still running; `null` until one. */
  pending: Set<Promise<unknown>> | null;
}

/** The request's initial state from its resolution. */
export function initialState(resolution: Resolution, now: number, passive: boolean): RequestState {
  const state: RequestState = {
    now,
    live: null,
    reason: null,
    set: null,
    unset: null,
    passive,
    touched: false,
    extend: false,
    issue: null,
    fromGrace: false,
    pastGrace: false,
    cookieSid: null,
    receipt: null,
    reissue: false,
    renewed: null,
    switched: false,
    switchedFrom: null,
    lost: null,
    cleared: false,
    abandoned: false,
    fresh: false,
    credential: undefined,
    sent: false,
    pending: null,
  };
  if (resolution.state === 'none') {
    state.reason = resolution.reason;
    state.cookieSid = resolution.sid;
    if (resolution.renewed) state.renewed = resolution.sid;
    if (resolution.switched) state.switched = true;
    return state;
  }
  // The record serves as the meta as it is (its `data` rides along unused): copying its
  // fields on every request would be garbage for nothing. Stores hand out their own copy.
  const { record } = resolution;
  state.live = { sid: resolution.sid, token: resolution.token, meta: record, data: record.data };
  if (resolution.successor) {
    state.issue = resolution.token;
    state.fromGrace = true;
    state.pastGrace = resolution.pastGrace;
  } else if (resolution.fromReceipt) state.reissue = true;
  state.touched = resolution.touched;
  return state;
}

/** What a renewal's receipt is bound to (see `RequestState.receipt`). */
export interface ReceiptPlan {
  /**
   * The sids it is bound to, first the session this request renewed (or its cookie
   * named): a rotation's answer racing the renewal's could overwrite the session cookie
   * with a token of one of them.
   */
  bounds: readonly string[];
  /**
   * Whether the bindings of the receipt the request carried (for the session it renewed)
   * still count: some of their crossing answers may still be on their way.
   */
  carry: boolean;
}

/**
 * Gives the request another session, or none (`changes`): what it had pending (data
 * changes, a credential to link) belonged to the old one and is dropped.
 */
export function switchSession(state: RequestState, changes: Partial<RequestState>): void {
  Object.assign(state, changes, { credential: undefined, set: null, unset: null });
}

/** The data as the handler sees it: the stored data with this request's changes applied. */
export function currentData(state: RequestState): { [key: string]: JsonValue } {
  const data = { ...state.live?.data };
  if (state.unset) for (const key of state.unset) delete data[key];
  // Defined, not assigned: a key named `__proto__` is data, not the object's prototype.
  if (state.set) for (const [key, value] of state.set) setOwn(data, key, value);
  return data;
}

/** The credential the session links once this request's changes are written. */
export function linkedCredential(state: RequestState, meta: SessionMeta): string | null {
  return state.credential !== undefined ? state.credential : (meta.credentialId ?? null);
}

/**
 * A brand-new record's metadata, starting the idle deadline now and the absolute one too,
 * unless `absoluteExpiresAt` carries over the one of a session it replaces.
 */
export function freshMeta(
  rt: Runtime,
  now: number,
  fields: Pick<
    SessionMeta,
    'tokenHash' | 'userId' | 'user' | 'authenticatedAt' | 'userAgent' | 'location' | 'credentialId'
  >,
  absoluteExpiresAt = now + rt.options.absoluteTimeout,
): SessionMeta {
  return {
    ...fields,
    previous: null,
    createdAt: now,
    lastActiveAt: now,
    idleExpiresAt: Math.min(now + rt.options.idleTimeout, absoluteExpiresAt),
    absoluteExpiresAt,
    rotatedAt: now,
    ended: null,
  };
}

/** Stores a new record under a fresh token, drawing again on the (astronomically rare) clash. */
export async function createRecord(
  rt: Runtime,
  build: (tokenHash: string) => SessionRecord,
  generate: () => SessionToken,
): Promise<{ sid: string; token: SessionToken; record: SessionRecord }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const token = generate();
    const sid = rt.hasher.sid(token);
    const record = build(rt.hasher.tokenHash(token));
    if (await rt.store.create(sid, record, record.absoluteExpiresAt + rt.options.idleTimeout)) {
      return { sid, token, record };
    }
  }
  throw new Error('lifeline: could not allocate a unique session id');
}
