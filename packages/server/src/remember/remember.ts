import type { Context } from 'hono';
import { checkClaims } from '../contract/claims.js';
import { guardStore } from '../session/guard-store.js';
import type { ReauthStrategy, Session } from '../session/types.js';
import { sharedDeadline } from '../store/deadlines.js';
import type { CredentialRecord } from '../store/types.js';
import { checkUserId } from '../store/user-id.js';
import { createHasher } from '../token/hasher.js';
import { generateToken, rotateToken, type SessionToken, tokenFromValue } from '../token/token.js';
import {
  hasRememberCookie,
  readRememberCookie,
  rememberCookieAttributes,
  respondedRememberCookie,
  writeRememberCookie,
} from './cookie.js';
import { credentialGrace } from './grace.js';
import { type RememberEvent, type RememberMeOptions, resolveRememberOptions } from './options.js';
import { strategyStores } from './strategy-store.js';

/** A remember-me {@link ReauthStrategy} that the login handler also uses to issue credentials. */
export interface RememberMe extends ReauthStrategy {
  /**
   * Issues a credential for `userId` and sets its cookie (replacing any the browser had).
   * The request's session records it (`linkCredential`), before or after `regenerate()`
   * alike, so revoking that session deletes the credential too.
   */
  issue(c: Context, userId: string): Promise<void>;
  /**
   * Deletes the request's credential and clears its cookie (logout). A validator that
   * re-auth would take for theft is reported as `theft-suspected` here too.
   */
  forget(c: Context): Promise<void>;
  /** Clears the cookie if its credential is gone (after `manager.revokeUser()` in a handler). */
  forgetIfGone(c: Context): Promise<void>;
}

/**
 * Long-lived "remember me" credentials behind `POST /session/reauth`.
 *
 * The cookie holds a 32-byte token: a 16-byte selector and a 16-byte validator, the same
 * layout as a session token. The store keys the credential on a hash of the selector and
 * keeps only a hash of the whole token, compared in constant time. Every use rotates the
 * validator (compare-and-set) and sends the new cookie, so a copied cookie works once at
 * most: when an old validator comes back with a known selector, someone else holds the
 * current one, and the credential is deleted and reported as `theft-suspected` (at a
 * sign-out or sign-in with that cookie too). A
 * credential lives `maxAgeMs` from its issue; using it does not extend that.
 *
 * @example
 * const remember = rememberMe({ store, findUser: (id) => users.publicClaims(id) });
 * app.use(session({ store, reauth: remember }));
 * // in the login handler, when the box is ticked:
 * await remember.issue(c, user.id);
 */
export function rememberMe(options: RememberMeOptions): RememberMe {
  const config = resolveRememberOptions(options);
  const { now } = config;
  // Failures and hangs become StoreUnavailableError, which session() answers with a 503.
  const store = guardStore(config.store, config.storeTimeout);
  const hasher = createHasher(config.secret);
  const grace = credentialGrace(hasher, now, config.graceMs);
  const attrs = (c: Context) =>
    rememberCookieAttributes(c, config.cookieName, config.secure, config.trustProxy);

  // Awaited, so a hook that revokes sessions on theft finishes before the response; its
  // errors are swallowed, because auditing must never break a sign-in. Awaited for at most
  // `storeTimeout`: a hook that never settled (an audit sink down) hung every sign-in,
  // re-auth and logout.
  const hookLimit = sharedDeadline(
    config.storeTimeout,
    () => new Error('rememberMe: onEvent did not settle within storeTimeout'),
  );
  async function emit(type: RememberEvent['type'], credentialId: string, userId: string | null) {
    if (!config.onEvent) return;
    try {
      await hookLimit(Promise.resolve(config.onEvent({ type, credentialId, userId, at: now() })));
    } catch {}
  }

  /** The credential each request's `issue()` made, until a `forget()` takes it back. */
  const issuedHere = new WeakMap<Context, { id: string; userId: string }>();

  /** The stored credential; a custom store's malformed record counts as none, not a 500. */
  async function read(id: string): Promise<CredentialRecord | null> {
    return wellFormed(await store.getCredential(id));
  }

  function wellFormed(r: CredentialRecord | null): CredentialRecord | null {
    const ok =
      r !== null &&
      typeof r.tokenHash === 'string' &&
      typeof r.userId === 'string' &&
      Number.isFinite(r.expiresAt);
    return ok ? r : null;
  }

  /**
   * Why a sign-out or sign-in deletes the presented credential: an old validator past its
   * grace is the evidence `/reauth` takes for theft (someone else rotated it), so it is
   * reported as such here too, or a victim's sign-out would bury it.
   */
  async function endedAs(
    record: CredentialRecord,
    token: SessionToken,
    id: string,
  ): Promise<'forgotten' | 'theft-suspected'> {
    const checked = wellFormed(record);
    if (checked === null) return 'forgotten';
    return (await grace.current(checked, token, id)) === null ? 'theft-suspected' : 'forgotten';
  }

  function presented(c: Context): SessionToken | null {
    const value = readRememberCookie(c, attrs(c));
    return value === null ? null : tokenFromValue(value);
  }

  /**
   * Ends the request's credential: the cookie is cleared first, so a store failure (a 503,
   * which keeps the line) still leaves the browser without it.
   */
  async function reject(c: Context, id: string, why: RememberEvent['type'], userId: string) {
    dropCookie(c);
    await store.deleteCredential(id);
    await emit(why, id, userId);
    return null;
  }

  /** Takes the remember cookie back: its credential is gone, so no re-auth is offered. */
  function dropCookie(c: Context): null {
    writeRememberCookie(c, attrs(c), null);
    return null;
  }

  async function forget(c: Context): Promise<void> {
    // Cleared before the store is asked: a failure there (a 503, which keeps the line)
    // still leaves the browser without it, as a sign-out must.
    const a = attrs(c);
    const issued = issuedHere.get(c);
    if (hasRememberCookie(c, a) || issued) writeRememberCookie(c, a, null);
    // A credential issued earlier in this request goes too: only its cookie knew it.
    if (issued) {
      issuedHere.delete(c);
      await store.deleteCredential(issued.id);
      await emit('forgotten', issued.id, issued.userId);
    }
    const token = presented(c);
    if (token === null) return;
    const id = hasher.sid(token);
    const record = await store.getCredential(id);
    await store.deleteCredential(id);
    if (record !== null) await emit(await endedAs(record, token, id), id, record.userId);
  }

  const strategy: RememberMe = {
    cookieName: config.cookieName,
    // What the browser holds once this response arrives: a login that just issued (or
    // forgot) the credential answers with a status body that must say so.
    canReauth: (c) => respondedRememberCookie(c, attrs(c)) ?? presented(c) !== null,

    async reauthenticate(c) {
      const token = presented(c);
      if (token === null) {
        if (hasRememberCookie(c, attrs(c))) writeRememberCookie(c, attrs(c), null);
        return null;
      }
      const id = hasher.sid(token);
      let record = await read(id);
      if (record === null) {
        // Every unknown credential reaches the audit hook: this cookie lives for weeks, so
        // it is the one worth guessing (throttling, fed by the hook, is the app's).
        await emit('unknown', id, null);
        return dropCookie(c);
      }
      let current = await grace.current(record, token, id);
      if (current === null) return reject(c, id, 'theft-suspected', record.userId);
      if (record.expiresAt <= now()) return reject(c, id, 'expired', record.userId);
      const user: unknown = await config.findUser(record.userId);
      // Fail closed: a lookup that found no one may answer `undefined` or `false`, not null.
      if (typeof user !== 'object' || user === null) {
        return reject(c, id, 'user-disabled', record.userId);
      }
      // Claims no session could hold are the app's bug: refused before the credential turns.
      checkClaims("rememberMe: `findUser`'s answer", user);

      let rotated: SessionToken | null = null;
      if (current === token) {
        const next = rotateToken(token);
        const swapped = await store.rotateCredential(
          id,
          record.tokenHash,
          hasher.tokenHash(next),
          record.expiresAt,
          await grace.predecessor(token, next, id),
        );
        if (swapped === 'missing') return dropCookie(c);
        if (swapped === 'ok') rotated = next;
      }
      if (rotated) current = rotated;
      else {
        // A parallel use rotated first, or this one came with the replaced validator: the
        // credential may have moved on while the user was looked up. Send the token it
        // leads to now, or a response arriving last would leave a replaced cookie behind.
        record = await read(id);
        // Gone meanwhile (revoked): take the cookie back too, or the status still offers a re-auth.
        if (record === null) return dropCookie(c);
        const latest = await grace.current(record, current, id);
        if (latest === null) return null;
        current = latest;
      }
      writeRememberCookie(c, attrs(c), current.value, record.expiresAt - now());
      await emit('used', id, record.userId);
      return { userId: record.userId, user, credentialId: id };
    },

    async issue(c, userId) {
      checkUserId('rememberMe.issue', userId);
      await forget(c);
      const token = generateToken();
      const id = hasher.sid(token);
      const createdAt = now();
      const expiresAt = createdAt + config.maxAgeMs;
      const tokenHash = hasher.tokenHash(token);
      // 128 random bits do not collide; `false` would mean a broken store or CSPRNG.
      if (!(await store.createCredential(id, { tokenHash, userId, createdAt, expiresAt }))) {
        throw new Error('rememberMe: the store refused a new credential id');
      }
      writeRememberCookie(c, attrs(c), token.value, config.maxAgeMs);
      issuedHere.set(c, { id, userId });
      // Without session() in front there is no session to link; re-auth links the next one.
      (c.get('session') as Session | undefined)?.linkCredential(id);
      await emit('issued', id, userId);
    },

    forget,

    async withdraw(c, credentialId) {
      if (issuedHere.get(c)?.id !== credentialId) return;
      issuedHere.delete(c);
      // The one the request came with went when this was issued (issue() forgets it).
      dropCookie(c);
    },

    async forgetIfGone(c) {
      const token = presented(c);
      if (token !== null && (await read(hasher.sid(token))) === null) dropCookie(c);
    },

    async presentedCredentialId(c, userId) {
      const token = presented(c);
      if (token === null) return null;
      const id = hasher.sid(token);
      const record = await read(id);
      // Someone else's, expired, or an old copy of the cookie: no device of the user's.
      if (record === null || record.userId !== userId || record.expiresAt <= now()) return null;
      return (await grace.current(record, token, id)) === null ? null : id;
    },

    async forgetIfNotFor(c, userId) {
      const token = presented(c);
      if (token === null) return;
      const id = hasher.sid(token);
      let record: CredentialRecord | null;
      try {
        record = await store.getCredential(id);
      } catch (error) {
        // Whose it is cannot be told: the 503 still takes the cookie, so the browser cannot
        // sign back in as someone else after this half-done login.
        dropCookie(c);
        throw error;
      }
      // Gone already (an issue() earlier in this request forgot it): its cookie stays as set.
      if (record === null) return null;
      const why = await endedAs(record, token, id);
      // The same user's own credential stays, unless the cookie shows it was stolen; the
      // new session links it (see ReauthStrategy.forgetIfNotFor).
      if (record.userId === userId && why !== 'theft-suspected') return id;
      await reject(c, id, why, record.userId);
      return null;
    },
  };
  // Keyed by its re-auth function, which a copy (`{ ...remember }`) or a wrapper carries on.
  strategyStores.set(strategy.reauthenticate, config.store);
  return strategy;
}
