import type { Context } from 'hono';
import { MAX_DATA_DEPTH } from '../contract/depth.js';
import { jsonDataProblem } from '../contract/json-data.js';
import type { PublicUser } from '../contract/schemas.js';
import { hasLoneSurrogate } from '../contract/unicode.js';
import type { EndedMarker, JsonValue, SessionRecord } from '../store/types.js';
import {
  type DestroyedEvent,
  endRecord,
  forgetEndedCredential,
  forgetLinkedCredential,
} from './end-record.js';
import { regenerate } from './regenerate.js';
import { ANSWER_IN_FLIGHT } from './respond.js';
import { clientFacts, emitFor, type Runtime } from './runtime.js';
import { linkedCredential, type RequestState, switchSession } from './state.js';
import { currentSession, endCurrent } from './successor.js';
import type { RegenerateOptions, Session, SessionDeadlines } from './types.js';

/** What ending a session and forgetting its credential read of its record. */
type EndingRecord = Pick<SessionRecord, 'absoluteExpiresAt' | 'userId' | 'credentialId'>;
/** A session a sign-out is about, and whether this request's ending of it landed. */
type Ending = { sid: string; record: EndingRecord; landed: boolean };

/**
 * `c.var.session` over the request's state. Reads are synchronous; `set`/`delete` only
 * record a delta; `regenerate` and `destroy` write at once because they must take effect
 * (old ID dead, record ended) even if the handler later fails.
 *
 * A class, unlike the browser code's closures: one is built per request, and accessors on
 * a shared prototype cost one small object instead of twenty closures the GC must chase.
 */
class SessionHandle implements Session {
  readonly #rt: Runtime;
  readonly #c: Context;
  readonly #state: RequestState;
  /** Sessions this request's `destroy()` ended itself (not found ended by another). */
  #endedHere = 0;

  constructor(rt: Runtime, c: Context, state: RequestState) {
    this.#rt = rt;
    this.#c = c;
    this.#state = state;
  }

  /** See {@link sessionsEndedHere}. */
  static endedHere(session: Session): number {
    return session instanceof SessionHandle ? session.#endedHere : 0;
  }

  /** See {@link forgetCredentialIfGone}. */
  static async forgetCredentialIfGone(session: Session): Promise<void> {
    if (!(session instanceof SessionHandle)) return;
    await session.#rt.options.reauth?.forgetIfGone?.(session.#c);
  }

  get state(): 'active' | 'none' {
    return this.#state.live ? 'active' : 'none';
  }
  get reason() {
    return this.#state.live ? null : this.#state.reason;
  }
  get renewed(): boolean {
    return !this.#state.live && !this.#state.cleared && this.#state.renewed !== null;
  }
  get switched(): boolean {
    return !this.#state.live && !this.#state.cleared && this.#state.switched;
  }
  get id(): string | null {
    return this.#state.live?.sid ?? null;
  }
  get userId(): string | null {
    return this.#state.live?.meta.userId ?? null;
  }
  get user(): PublicUser {
    return this.#state.live?.meta.user ?? null;
  }
  get createdAt(): number | null {
    return this.#state.live?.meta.createdAt ?? null;
  }
  get authenticatedAt(): number | null {
    return this.#state.live?.meta.authenticatedAt ?? null;
  }
  get deadlines(): SessionDeadlines | null {
    const meta = this.#state.live?.meta;
    if (!meta) return null;
    return {
      idleExpiresAt: meta.idleExpiresAt,
      absoluteExpiresAt: meta.absoluteExpiresAt,
      idleTimeoutMs: this.#rt.options.idleTimeout,
    };
  }
  get now(): number {
    return this.#state.now;
  }
  get idleTimeoutMs(): number {
    return this.#rt.options.idleTimeout;
  }
  // Asked afresh: the handler may have issued or forgotten a credential since.
  get canReauth(): boolean {
    return this.#rt.options.reauth?.canReauth(this.#c) ?? false;
  }

  get(key: string): never {
    const state = this.#state;
    if (state.unset?.has(key)) return undefined as never;
    if (state.set?.has(key)) return state.set.get(key) as never;
    // Own keys only: `constructor` or `toString` is no session data.
    const data = state.live?.data;
    return (data && Object.hasOwn(data, key) ? data[key] : undefined) as never;
  }
  set(key: string, value: unknown): void {
    // A lone surrogate (a string cut inside an emoji) cannot be stored as written: it
    // becomes U+FFFD in UTF-8, where two such keys would meet and neither read back.
    if (hasLoneSurrogate(key)) {
      throw new TypeError(
        'session.set(): the key holds a lone surrogate (not well-formed Unicode)',
      );
    }
    // Refused here, not at commit: there a store's refusal would answer 503 like an outage.
    const problem = jsonDataProblem(value, MAX_DATA_DEPTH);
    if (problem !== null) throw new TypeError(`session.set(): the value ${problem}`);
    const state = this.#state;
    // A destroyed or abandoned session stays so for this request.
    if (state.cleared || state.abandoned || this.#late('set')) return;
    state.unset?.delete(key);
    state.set ??= new Map();
    state.set.set(key, structuredClone(value as JsonValue));
  }
  delete(key: string): void {
    if (this.#late('delete')) return;
    const state = this.#state;
    state.set?.delete(key);
    if (state.live && Object.hasOwn(state.live.data, key)) {
      state.unset ??= new Set();
      state.unset.add(key);
    }
  }

  regenerate(options?: RegenerateOptions): Promise<void> {
    // Refused, not ignored: the new session would be in the store but its cookie never
    // sent, and the browser's would name the one it ended.
    if (this.#late('regenerate')) return refusedLate('regenerate');
    return this.#track(this.#regenerate(options));
  }
  async #regenerate(options?: RegenerateOptions): Promise<void> {
    const rt = this.#rt;
    const state = this.#state;
    const replaced = state.live;
    const userId = options?.userId;
    // A sign-in (not the re-auth route's own) leaves no other user's credential behind.
    const signingIn = typeof userId === 'string' && options?.cause !== 'reauth' ? userId : null;
    const previous = {
      userId: replaced?.meta.userId ?? null,
      credentialId: replaced?.meta.credentialId ?? null,
      // A link the app chose before the sign-in (`null` included) stays the app's choice.
      appLinked: state.credential !== undefined,
    };
    const client = clientFacts(rt, this.#c);
    // Which device this is: the session limit makes room among its sessions first, and the
    // new session links its credential as it is created. Unknown when the store or the
    // strategy fails: the sign-in goes on as for a cookie naming nothing, and the theft
    // check after it meets a store failure (a 503 that takes the cookie away).
    if (signingIn !== null && !previous.appLinked) {
      const strategy = rt.options.reauth;
      const held: unknown = await (async () =>
        strategy?.presentedCredentialId?.(this.#c, signingIn))().catch(() => null);
      // An empty or odd id is none (as from forgetIfNotFor): never a 500 or a bad record.
      client.heldCredential = typeof held === 'string' && held !== '' ? held : null;
    }
    try {
      await regenerate(rt, state, client, options);
    } catch (error) {
      // A sign-in whose ending of the old session timed out still hands its new session
      // over (with the 503): the previous user's cookie must not stay beside it, or the
      // browser signs back in as them once the new session ends. The 503 stands whatever
      // this meets; the strategy takes the cookie even when the store fails.
      if (signingIn !== null && state.live !== null && state.live !== replaced) {
        await this.#forgetOtherUser(signingIn, previous).catch(() => {});
      }
      throw error;
    }
    if (signingIn !== null) await this.#forgetOtherUser(signingIn, previous);
  }

  /**
   * After a sign-in as `userId`: forgets a credential the request carries for anyone else,
   * and the one the replaced session of another user linked, also when its cookie did not
   * come along (a copy of it elsewhere still signs in).
   */
  async #forgetOtherUser(
    userId: string,
    previous: { userId: string | null; credentialId: string | null; appLinked: boolean },
  ): Promise<void> {
    const rt = this.#rt;
    const kept = await rt.options.reauth?.forgetIfNotFor?.(this.#c, userId);
    // A password sign-in on a device that keeps its remember-me cookie: without the link,
    // revoking this session (a lost device) left the credential to sign it straight back in.
    // An empty id is no credential (as in reauthenticate()), never a 500 after the sign-in.
    if (
      typeof kept === 'string' &&
      kept !== '' &&
      !previous.appLinked &&
      this.#state.live?.meta.credentialId === null
    ) {
      this.linkCredential(kept);
    }
    const switched = previous.userId !== null && previous.userId !== userId;
    const ours = this.#state.live?.meta.credentialId ?? null;
    if (switched && previous.credentialId !== ours) await forgetLinkedCredential(rt, previous);
    // The other user's session this sign-in ended, and the sessions it was renewed into
    // (ended with it): one linked after this request read it ("remember this device" in
    // their other tab, during the sign-in) is on a tombstone. After the theft check above,
    // which their endings leave the credential to.
    const from = this.#state.switchedFrom;
    if (from === null) return;
    const trail = new Map<string, SessionRecord>();
    await currentSession(rt, from, null, undefined, trail);
    for (const record of trail.values()) {
      const late = record.credentialId ?? null;
      if (late !== null && late !== previous.credentialId && late !== ours) {
        await forgetLinkedCredential(rt, record);
      }
    }
  }
  destroy(reason: 'logged-out' | 'revoked' = 'logged-out'): Promise<void> {
    // Not refused once the response has gone: the session still ends in the store, and the
    // browser's cookie then reads as signed out.
    return this.#track(this.#destroy(reason));
  }
  async #destroy(reason: 'logged-out' | 'revoked'): Promise<void> {
    // From JavaScript `destroy('logout')` would end the session with a reason /status cannot
    // answer, and skip the sign-out's forgetting of the remember-me credential.
    if (reason !== 'logged-out' && reason !== 'revoked') {
      throw new TypeError("session.destroy(): `reason` must be 'logged-out' or 'revoked'");
    }
    const state = this.#state;
    const live = state.live;
    const ending = { reason, at: state.now };
    let endings: Ending[];
    try {
      endings = await this.#end(ending);
    } catch (error) {
      // The ending may have landed before the store timed out (a 503 the browser may never
      // retry): a sign-out still takes the credential, as far as the store answers, or the
      // device signs straight back in with it.
      if (reason === 'logged-out') {
        const record = live && { ...live.meta, credentialId: linkedCredential(state, live.meta) };
        const linked = record ? [{ sid: live.sid, record, landed: false }] : [];
        await this.#forget(linked).catch(() => {});
      }
      throw error;
    }
    this.#endedHere += endings.filter((e) => e.landed).length;
    switchSession(state, { live: null, reason, issue: null, cleared: true, fresh: false });
    if (reason === 'logged-out') await this.#forget(endings);
  }
  /**
   * Ends the request's session, or the one it was renewed into meanwhile; resolves to the
   * sessions whose credentials a sign-out forgets, marking those ended here. Each ending
   * that lands here is reported as `destroyed`, once.
   */
  async #end(ending: EndedMarker & { reason: DestroyedEvent['reason'] }): Promise<Ending[]> {
    const destroyed: DestroyedEvent = { type: 'destroyed', reason: ending.reason };
    const rt = this.#rt;
    const state = this.#state;
    const live = state.live;
    if (live) {
      const record = { ...live.meta, credentialId: linkedCredential(state, live.meta) };
      const landed = await endRecord(rt, live.sid, record, state.now, ending, destroyed);
      const ended = { sid: live.sid, record, landed };
      if (landed) return [ended];
      // Ended since this request read it: a privilege change or re-auth in another tab
      // renewed it. The device asked to sign out (or be revoked), so the session it was
      // renewed into ends too, or this ending would leave it live.
      const result = await endCurrent(rt, live.sid, ending, null, new Set(), destroyed);
      return result.ended ? [ended, { ...result.reached, landed: true }] : [ended];
    }
    if (state.renewed) {
      // The cookie of a session another request renewed (a privilege change or re-auth
      // whose answer this tab has not seen): the device asked to sign out, so the session
      // it was renewed into ends, as a revocation racing a renewal does.
      const result = await endCurrent(rt, state.renewed, ending, null, new Set(), destroyed);
      if (result.ended) return [{ ...result.reached, landed: true }];
    }
    return [];
  }
  /**
   * A deliberate logout must not leave a credential that silently signs the user back in:
   * the strategy forgets the one the request carries, and the sessions' linked ones go
   * too, whether or not their cookie came along (a copy elsewhere). Only once the session
   * has ended: a failing delete (503) never leaves the session alive.
   */
  async #forget(endings: Ending[]): Promise<void> {
    await this.#rt.options.reauth?.forget?.(this.#c);
    for (const { sid, record } of endings) await forgetEndedCredential(this.#rt, sid, record);
  }
  linkCredential(credentialId: string | null): void {
    if (credentialId !== null && (typeof credentialId !== 'string' || credentialId === '')) {
      throw new TypeError('linkCredential: `credentialId` must be a non-empty string or null');
    }
    // A destroyed session stays destroyed; the credential is the caller's to forget.
    if (!this.#state.cleared && !this.#late('linkCredential'))
      this.#state.credential = credentialId;
  }
  extend(): void {
    const state = this.#state;
    const meta = state.live?.meta;
    if (!meta || state.pastGrace || this.#late('extend')) return;
    state.extend = true;
    meta.idleExpiresAt = Math.min(state.now + this.#rt.options.idleTimeout, meta.absoluteExpiresAt);
  }
  /**
   * The cookie names a live session a re-auth made under a minute ago: another tab of this
   * browser re-authenticated, and this one (handed the tabs' re-auth lock before that tab's
   * news, as Chromium may) asks again. That session is the answer: another would end it
   * under the first tab's requests in flight (409 `session_renewed`), and cost a session.
   * A re-auth's session is a user's, not authenticated as it was made (a sign-in's is), and
   * has an absolute limit of its own (a privilege change keeps the one it replaced). Asked
   * once the strategy proved the same user with the same credential, silently.
   */
  #reauthenticatedJustNow(): boolean {
    const meta = this.#state.live?.meta;
    return (
      !!meta &&
      meta.userId !== null &&
      meta.authenticatedAt !== meta.createdAt &&
      meta.absoluteExpiresAt === meta.createdAt + this.#rt.options.absoluteTimeout &&
      this.#state.now - meta.createdAt < ANSWER_IN_FLIGHT
    );
  }
  /**
   * A change that writes the store and sends a cookie, kept until it settles: the
   * middleware waits for it before committing when the handler did not (a `stream()`
   * callback runs to its first `await` inside the handler; a promise nobody awaited), so
   * its cookie still goes out with the response.
   */
  #track<T>(change: Promise<T>): Promise<T> {
    this.#state.pending ??= new Set();
    const pending = this.#state.pending;
    pending.add(change);
    const settled = () => pending.delete(change);
    change.then(settled, settled);
    return change;
  }
  /** Whether the response has gone (see `RequestState.sent`); says so once per `session()`. */
  #late(method: string): boolean {
    if (!this.#state.sent) return false;
    if (!warnedLateWrite.has(this.#rt)) {
      warnedLateWrite.add(this.#rt);
      console.error(lateMessage(method));
    }
    return true;
  }
  markPassive(): void {
    const state = this.#state;
    state.passive = true;
    if (state.touched) warnLatePassive(this.#rt);
  }
  reauthenticate(): Promise<boolean> {
    // Refused, as `regenerate()` is: the strategy would turn the credential and the
    // browser, never sent either new cookie, would present the old one as stolen.
    if (this.#late('reauthenticate')) return refusedLate('reauthenticate');
    return this.#track(this.#reauthenticate());
  }
  async #reauthenticate(): Promise<boolean> {
    const proof = await this.#rt.options.reauth?.reauthenticate(this.#c);
    if (!proof) return false;
    // The new session links the credential that proved it: revoking it deletes that too.
    const { credentialId } = proof;
    const linked =
      typeof credentialId === 'string' && credentialId !== '' ? credentialId : undefined;
    // After the strategy, which may refuse, report theft or prove someone else: only a
    // silent proof of what the session already is can be answered with it.
    const live = this.#state.live;
    let kept =
      this.#reauthenticatedJustNow() &&
      proof.fresh !== true &&
      proof.userId === live?.meta.userId &&
      // A proof without a credential keeps the session's own link (`ReauthProof`).
      (linked === undefined || linked === live.meta.credentialId) &&
      // Claims changed since (a role taken away) are a new session's, as without one kept.
      (proof.user === undefined || JSON.stringify(proof.user) === JSON.stringify(live.meta.user));
    if (kept && live) {
      // Ended while the strategy ran: a new session, as without one kept, unless its
      // credential went with it (then the check below answers for it).
      const record = await this.#rt.store.get(live.sid);
      const ended = record === null || record.ended !== null;
      if (ended && (!linked || (await this.#rt.store.getCredential(linked)) !== null)) {
        kept = false;
      }
    }
    if (!kept) {
      const options: RegenerateOptions = {
        userId: proof.userId,
        ...(proof.user !== undefined && { user: proof.user }),
        // A stored credential proves the device, not the person: not a fresh authentication.
        authenticated: proof.fresh === true,
        cause: 'reauth',
      };
      await regenerate(this.#rt, this.#state, clientFacts(this.#rt, this.#c), options, linked);
    }
    // A revokeUser that deleted the credential while this ran has missed the session (it
    // listed the user's sessions before it existed) or ended the one kept: end it here.
    if (linked && (await this.#rt.store.getCredential(linked)) === null) {
      await this.destroy('revoked');
      // The strategy has just sent a cookie for the credential that is gone: take it back.
      await this.#rt.options.reauth?.forget?.(this.#c);
      return false;
    }
    // The audit trail shows the credential's use answered: the session kept is its own
    // previous one (`previousSid` equal to `sid`).
    if (kept && live) {
      emitFor(this.#rt, this.#state.now, live.sid, live.meta.userId, {
        type: 'reauthenticated',
        previousSid: live.sid,
      });
    }
    return true;
  }
}

const lateMessage = (method: string) =>
  `lifeline: session.${method}() came after the response was sent (in a stream's callback, or a promise the handler did not await): it changes nothing; make it before the handler returns`;

/**
 * A late change's refusal, for a caller that awaits it. Already logged by `#late`: left
 * unhandled by one that does not (a stream's callback calling it in passing), it would stop
 * the process under Node's default.
 */
function refusedLate(method: string): Promise<never> {
  const refused = Promise.reject(new Error(lateMessage(method)));
  refused.catch(() => {});
  return refused;
}

const warnedLateWrite = new WeakSet<Runtime>();

const warnedLatePassive = new WeakSet<Runtime>();

/** A GET handler that calls `markPassive()` is too late once the read touched: say so once per `session()`. */
function warnLatePassive(rt: Runtime): void {
  if (warnedLatePassive.has(rt)) return;
  warnedLatePassive.add(rt);
  console.warn(
    'lifeline: markPassive() in a GET/HEAD handler came after the read had already moved the idle deadline; put passive() on the route instead',
  );
}

/**
 * After the request revoked sessions, which may have deleted the credential the browser
 * holds (`revokeUser()` deletes the user's, `revoke(id)` the one a device shares): the
 * reauth strategy takes its cookie back if so. Not on `Session`: the routes' own step.
 */
export function forgetCredentialIfGone(session: Session): Promise<void> {
  return SessionHandle.forgetCredentialIfGone(session);
}

/**
 * How many sessions the request's `destroy()` calls ended themselves: none for a session
 * another request ended first. Not on `Session`: the revoke route's count.
 */
export function sessionsEndedHere(session: Session): number {
  return SessionHandle.endedHere(session);
}

/** Builds `c.var.session` for one request. */
export function createSessionHandle(rt: Runtime, c: Context, state: RequestState): Session {
  return new SessionHandle(rt, c, state);
}
