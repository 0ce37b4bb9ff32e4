import type { Context } from 'hono';
import type { JsonValue } from '../store/types.js';
import { regenerate } from './regenerate.js';
import { endRecord } from './resolve.js';
import { clientFacts, emitFor, type Runtime } from './runtime.js';
import type { RequestState } from './state.js';
import type { Session } from './types.js';

/**
 * Builds `c.var.session` over the request's state. Reads are synchronous; `set`/`delete`
 * only record a delta; `regenerate` and `destroy` write at once because they must take
 * effect (old ID dead, record ended) even if the handler later fails.
 */
export function createSessionHandle(rt: Runtime, c: Context, state: RequestState): Session {
  let canReauth: boolean | undefined;
  const handle: Session = {
    get state() {
      return state.live ? 'active' : 'none';
    },
    get reason() {
      return state.live ? null : state.reason;
    },
    get id() {
      return state.live?.sid ?? null;
    },
    get userId() {
      return state.live?.meta.userId ?? null;
    },
    get user() {
      return state.live?.meta.user ?? null;
    },
    get createdAt() {
      return state.live?.meta.createdAt ?? null;
    },
    get authenticatedAt() {
      return state.live?.meta.authenticatedAt ?? null;
    },
    get deadlines() {
      const meta = state.live?.meta;
      if (!meta) return null;
      return {
        idleExpiresAt: meta.idleExpiresAt,
        absoluteExpiresAt: meta.absoluteExpiresAt,
        idleTimeoutMs: rt.options.idleTimeout,
      };
    },
    now: state.now,
    idleTimeoutMs: rt.options.idleTimeout,
    get canReauth() {
      canReauth ??= rt.options.reauth?.canReauth(c) ?? false;
      return canReauth;
    },
    get(key) {
      if (state.unset.has(key)) return undefined;
      return (state.set.has(key) ? state.set.get(key) : state.live?.data[key]) as never;
    },
    set(key, value) {
      if (state.cleared) return; // a destroyed session stays destroyed for this request
      state.unset.delete(key);
      state.set.set(key, structuredClone(value as JsonValue));
    },
    delete(key) {
      state.set.delete(key);
      if (state.live && key in state.live.data) state.unset.add(key);
    },
    async regenerate(options) {
      await regenerate(rt, state, clientFacts(rt, c), options);
    },
    async destroy(reason = 'logged-out') {
      const live = state.live;
      if (live) {
        await endRecord(rt, live.sid, live.meta, state.now, { reason, at: state.now });
        emitFor(rt, state.now, live.sid, live.meta.userId, { type: 'destroyed', reason });
      }
      Object.assign(state, { live: null, reason, issue: null, cleared: true, fresh: false });
      state.set.clear();
      state.unset.clear();
      // A deliberate logout must not leave a credential that silently signs the user back in.
      if (reason === 'logged-out') await rt.options.reauth?.forget?.(c);
    },
    extend() {
      const meta = state.live?.meta;
      if (!meta) return;
      state.extend = true;
      meta.idleExpiresAt = Math.min(state.now + rt.options.idleTimeout, meta.absoluteExpiresAt);
    },
    markPassive() {
      state.passive = true;
    },
    async reauthenticate() {
      const proof = await rt.options.reauth?.reauthenticate(c);
      if (!proof) return false;
      await regenerate(rt, state, clientFacts(rt, c), {
        userId: proof.userId,
        ...(proof.user !== undefined && { user: proof.user }),
        authenticated: true,
        cause: 'reauth',
      });
      return true;
    },
  };
  return handle;
}
