import type { MiddlewareHandler } from 'hono';
import type { SessionOptions } from '../config/options.js';
import { resolveOptions } from '../config/validate.js';
import { createEmitter } from '../events/emit.js';
import { createHasher } from '../token/hasher.js';
import { commitState } from './commit.js';
import { guardStore, StoreUnavailableError } from './guard-store.js';
import { createSessionHandle } from './handle.js';
import { createManager } from './manager.js';
import { createOutsideSession } from './outside.js';
import { isPassiveRequest, routeMark } from './passive.js';
import { SessionEndedError } from './regenerate.js';
import { type Resolution, resolveSession } from './resolve.js';
import {
  cookieAttributes,
  finishResponse,
  respondRefusal,
  respondStoreUnavailable,
  sessionCookies,
  storeUnavailable,
} from './respond.js';
import { deviceUserAgent, type Runtime } from './runtime.js';
import { SessionLimitError } from './session-limit.js';
import { initialState, type RequestState } from './state.js';
import type { SessionEnv, SessionMiddleware } from './types.js';

/** Methods the read may touch for: a CSRF guard refuses only the other ones, after the read. */
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Cookie-bound sessions for Hono: resolves `c.var.session` with one store read (ordinarily; see
 * `resolveSession` for the rare second), and after
 * the handler writes only what changed, rotates when due and sets exactly one cookie.
 *
 * Options (all durations in ms; validated once, a bad one throws naming it):
 * - `store`: default `memoryStore()` (single process).
 * - `idleTimeout` 30 min; `absoluteTimeout` 8 h (≥ idle, ≤ 400 days); `touchInterval` idle/10.
 * - `rotationInterval` 15 min; `rotationGrace` 10 s (≤ 60 s, < rotationInterval).
 * - `secret`: none (≥ 32 bytes; switches id hashing to HMAC-SHA-256).
 * - `cookie`: `{ name: 'lifeline', sameSite: 'Lax', secure: 'auto' }`; `__Host-` + Secure on HTTPS.
 * - `trustProxy` false (read `X-Forwarded-Proto`); `now` `Date.now`; `storeTimeout` 2000.
 * - `reauth` none; `onEvent` none; `onTheft` `'log'`; `bindUserAgent` false.
 * - `maxSessionsPerUser` unlimited, `onSessionLimit` `'evict-oldest'`.
 * - `clearSiteData` `['cookies']` (sent by `destroy()`).
 *
 * @example
 * const app = new Hono<SessionEnv>();
 * const sessions = session({ idleTimeout: 15 * 60_000 });
 * app.use(sessions);
 * app.post('/login', async (c) => {
 *   await c.var.session.regenerate({ userId: 'u1', user: { name: 'Ada' } });
 *   return c.json({ ok: true });
 * });
 */
export function session(options?: SessionOptions): SessionMiddleware {
  const resolved = resolveOptions(options);
  const rt: Runtime = {
    options: resolved,
    store: guardStore(resolved.store, resolved.storeTimeout),
    hasher: createHasher(resolved.secret),
    emit: createEmitter(resolved.onEvent),
    cookies: sessionCookies(resolved.cookie, resolved.reauth),
  };
  const lifelineSession: MiddlewareHandler<SessionEnv> = async (c, next) => {
    const mark = routeMark(c);
    // The same answer for everyone (the SDK bundle): reading the session could only add one
    // person's deadlines, a rotated cookie or a store outage's 503 to it. The app's own
    // middleware still finds a session there: none, and one that cannot write.
    if (mark === 'outside') {
      c.set('session', createOutsideSession(rt, c));
      return next();
    }
    const now = rt.options.now();
    const attrs = cookieAttributes(rt, c);
    const passive = isPassiveRequest(c, rt.options, mark);
    let resolution: Resolution;
    try {
      resolution = await resolveSession(rt, {
        cookieHeader: c.req.header('Cookie') ?? null,
        cookieName: attrs.name,
        receiptName: attrs.receipt.name,
        // Read only where it is compared: each header lookup costs on every request.
        userAgent: rt.options.bindUserAgent ? deviceUserAgent(c.req.header('User-Agent')) : null,
        now,
        // Only where nothing after the read can still refuse the touch: a safe method, not
        // passive (header or a passive() route, 405s included), no User-Agent binding.
        touchWithRead: !passive && SAFE_METHODS.has(c.req.method) && !rt.options.bindUserAgent,
      });
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return storeUnavailable();
    }
    const state = initialState(resolution, now, passive);
    c.set('session', createSessionHandle(rt, c, state));
    await next();
    // A change the handler started and did not wait for lands first, so its cookie goes
    // out; its failure (an outage, a refused sign-in) answers as a thrown one would.
    const failure = await settlePending(state);
    state.sent = true;
    const error = c.error ?? failure;
    const refusal = error instanceof SessionLimitError || error instanceof SessionEndedError;
    if ((refusal || error instanceof StoreUnavailableError) && error === failure) {
      // The handler's answer is replaced: a stream's callback still writing to it is let
      // go, or its next write would wait for a reader for ever.
      await c.res.body?.cancel().catch(() => {});
    }
    if (error instanceof StoreUnavailableError) {
      return respondStoreUnavailable(rt, c, state, attrs);
    }
    if (refusal) return respondRefusal(rt, c, error, state);
    try {
      const writing = commitState(rt, state, c);
      if (writing) await writing;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return respondStoreUnavailable(rt, c, state, attrs);
    }
    if (state.lost) return respondRefusal(rt, c, state.lost, state);
    finishResponse(rt, c, state, attrs);
  };
  return Object.assign(lifelineSession as MiddlewareHandler, { manager: createManager(rt) });
}

/** Waits for the request's session changes still running; the first failure among them. */
async function settlePending(state: RequestState): Promise<unknown> {
  let failure: unknown;
  while (state.pending?.size) {
    for (const result of await Promise.allSettled(state.pending)) {
      if (result.status === 'rejected') failure ??= result.reason;
    }
  }
  return failure;
}
