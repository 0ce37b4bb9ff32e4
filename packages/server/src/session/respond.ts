import type { Context } from 'hono';
import type { ResolvedOptions } from '../config/options.js';
import { DEADLINE_HEADER, formatDeadlineHeader } from '../contract/protocol.js';
import { isHttpsRequest, noteSessionRequest } from '../cookie/https.js';
import { receiptName } from '../cookie/name.js';
import { readReceipt, receiptValue } from '../cookie/receipt.js';
import { replaceSessionCookie, setCookieName, writable } from '../cookie/replace.js';
import {
  type CookieAttributes,
  serializeClearCookie,
  serializeSessionCookie,
} from '../cookie/serialize.js';
import { problemResponse } from '../problem/problem.js';
import { reusableByCache, TARGETED_CACHE_CONTROL } from './cache-reuse.js';
import { type Runtime, retainUntil } from './runtime.js';
import type { LiveSession, RequestState } from './state.js';

/**
 * The session cookie's attributes for one request, with those of its renewal receipt: a
 * second cookie that carries the token a renewal (a sign-in, a privilege change, a
 * re-auth) issued, read only when the session cookie names a session that has
 * ended. A rotation's answer racing the renewal's can overwrite the session cookie with a
 * token of the ended session; the receipt, which only this browser was sent, brings it
 * back (see docs/design-decisions.md).
 */
export interface SessionCookieAttributes extends CookieAttributes {
  receipt: Readonly<CookieAttributes>;
}

/** The session cookie's two possible shapes, built once per `session()`. */
export interface SessionCookies {
  /** Plain name, no Secure (http, e.g. localhost in development). */
  plain: Readonly<SessionCookieAttributes>;
  /** `__Host-` name and Secure (https). */
  secure: Readonly<SessionCookieAttributes>;
  /**
   * Both names of the session cookie and of its receipt: a response carries at most one
   * of each, and only the middleware sets them.
   */
  names: readonly string[];
  /** Both names of the `reauth` strategy's cookie (remember-me), if it has one. */
  credentialNames: readonly string[];
}

export function sessionCookies(
  cookie: ResolvedOptions['cookie'],
  reauth: ResolvedOptions['reauth'],
): SessionCookies {
  const { name, sameSite } = cookie;
  const shape = (prefix: string, secure: boolean) => {
    const receipt = Object.freeze({ name: `${prefix}${receiptName(name)}`, secure, sameSite });
    return Object.freeze({ name: `${prefix}${name}`, secure, sameSite, receipt });
  };
  const plain = shape('', false);
  const secure = shape('__Host-', true);
  const credential = reauth?.cookieName;
  const credentialNames = credential ? [credential, `__Host-${credential}`] : [];
  return {
    plain,
    secure,
    names: Object.freeze([plain.name, secure.name, plain.receipt.name, secure.receipt.name]),
    credentialNames: Object.freeze(credentialNames),
  };
}

/** Whether the response sets or clears the `reauth` strategy's cookie (a long-lived credential). */
function setsCredentialCookie(rt: Runtime, res: Response): boolean {
  const names = rt.cookies.credentialNames;
  if (names.length === 0 || !res.headers.has('Set-Cookie')) return false;
  return res.headers.getSetCookie().some((line) => names.includes(setCookieName(line)));
}

/** The cookie name and attributes for this request: `__Host-` and Secure on HTTPS. */
export function cookieAttributes(rt: Runtime, c: Context): Readonly<SessionCookieAttributes> {
  const { secure } = rt.options.cookie;
  const { trustProxy } = rt.options;
  const isSecure = secure === 'auto' ? isHttpsRequest(c, trustProxy) : secure;
  const attrs = isSecure ? rt.cookies.secure : rt.cookies.plain;
  noteSessionRequest(c, { secureCookie: isSecure, sameSite: attrs.sameSite, trustProxy });
  return attrs;
}

/**
 * Swaps the response without Hono's setter merging the old headers (and so the old
 * session `Set-Cookie` lines) back in. Other cookies the request set are kept: a
 * remember-me credential rotated before the failure must reach the browser, or its next
 * use would look like a replayed, stolen one.
 */
function replaceResponse(rt: Runtime, c: Context, res: Response): void {
  const { names } = rt.cookies;
  for (const line of c.res.headers.getSetCookie()) {
    if (!names.includes(setCookieName(line))) res.headers.append('Set-Cookie', line);
  }
  c.res = undefined;
  c.res = res;
}

/** The 503 `store_unavailable` problem; it never touches the cookie, so nobody is logged out. */
export function storeUnavailable(): Response {
  return problemResponse('store_unavailable', { headers: { 'Retry-After': '1' } });
}

/**
 * The answer of a refusal the app did not catch (`SessionLimitError`, `SessionEndedError`),
 * or of a write that could not land: its own problem, instead of Hono's 500 or the
 * handler's answer, and the session cookie left as it was. Marked `handled`: the handler
 * has run, so whatever else it did (an order placed, a mail sent) may have happened, and
 * the SDK must not repeat a non-idempotent request on its own.
 */
export function respondRefusal(
  rt: Runtime,
  c: Context,
  refusal: { getResponse(handled?: boolean): Response },
  state: RequestState,
) {
  replaceResponse(rt, c, refusal.getResponse(true));
  // A refused login keeps the visitor's session: the answer still tells its deadlines.
  if (state.live) c.res.headers.set(DEADLINE_HEADER, deadlineHeader(state, state.live));
}

/**
 * Replaces the handler's response with the 503, dropping any session cookie it set. A
 * session this request already put in the store (a sign-in whose old session is ended, a
 * rotation) still goes to the browser: its old cookie may be dead, and an outage must
 * never sign anyone out.
 */
export function respondStoreUnavailable(
  rt: Runtime,
  c: Context,
  state: RequestState,
  attrs: Readonly<SessionCookieAttributes>,
): void {
  const res = storeUnavailable();
  const { live, issue } = state;
  // Not a successor a grace request was handed: only commit checks it is still current.
  if (live && issue && !state.cleared && !state.fromGrace) {
    for (const line of issuedCookies(rt, c, attrs, state)) res.headers.append('Set-Cookie', line);
    res.headers.set('Cache-Control', 'no-store');
  }
  replaceResponse(rt, c, res);
}

/**
 * Decides the response's one session `Set-Cookie` and the session headers: strips any
 * session cookie a handler appended, sets ours once (new token or clearing), adds
 * `Cache-Control: no-store` with it, `Clear-Site-Data` on destroy, and the deadline header
 * whenever a live session remains, unless a cache may reuse the response.
 */
export function finishResponse(
  rt: Runtime,
  c: Context,
  state: RequestState,
  attrs: Readonly<SessionCookieAttributes>,
): void {
  const { live } = state;
  let ours: readonly string[] = NONE;
  // A sign-out clears the receipt whether or not its request carried one: a renewal's
  // answer may have set one since the request left.
  if (state.cleared) ours = [serializeClearCookie(attrs), serializeClearCookie(attrs.receipt)];
  else if (live && state.issue) ours = issuedCookies(rt, c, attrs, state);
  let res = replaceSessionCookie(c.res, rt.cookies.names, ours);
  // A cache must not hand a remember-me credential (set or cleared) to anyone else either.
  const noStore = ours.length > 0 || setsCredentialCookie(rt, res);
  // The header work below needs writable headers; a handler may have returned a response
  // whose headers are immutable (`Response.redirect()`, a proxied `fetch()`). A live
  // session's header alone is set on trial (below) instead: a probe on every read costs.
  if (noStore || (!live && res.headers.has(DEADLINE_HEADER))) res = writable(res);
  if (res !== c.res) swapResponse(c, res);
  const headers = c.res.headers;
  if (noStore) {
    headers.set('Cache-Control', 'no-store');
    // CDN-Cache-Control (RFC 9213, also vendor-prefixed) and Surrogate-Control outrank
    // Cache-Control at the caches they target, which would then keep the cookie.
    for (const name of [...headers.keys()]) {
      if (TARGETED_CACHE_CONTROL.test(name)) headers.delete(name);
    }
  }
  if (state.cleared && rt.options.clearSiteData.length > 0) {
    headers.set('Clear-Site-Data', rt.options.clearSiteData.map((d) => `"${d}"`).join(', '));
  }
  // Not on a response a cache may hand out again without asking the server (the app's
  // caching, left as it is): a copy gives one person's deadlines to someone else, or later
  // an old `now` to this browser's SDK, which takes it for a clock sample and warns late.
  const deadline =
    live && !reusableByCache(headers, c.res.status, state.now) ? deadlineHeader(state, live) : null;
  try {
    if (deadline !== null) headers.set(DEADLINE_HEADER, deadline);
    else if (headers.has(DEADLINE_HEADER)) headers.delete(DEADLINE_HEADER);
  } catch {
    // Immutable headers: the only write here, so the copy is made only now.
    swapResponse(c, writable(c.res));
    if (deadline !== null) c.res.headers.set(DEADLINE_HEADER, deadline);
    else c.res.headers.delete(DEADLINE_HEADER);
  }
}

/** Sets `c.res` without Hono's setter merging the old response's headers into it. */
function swapResponse(c: Context, res: Response): void {
  c.res = undefined;
  c.res = res;
}

/** The `Session-Deadline` value for the request's live session. */
function deadlineHeader(state: RequestState, live: LiveSession): string {
  const { idleExpiresAt, absoluteExpiresAt } = live.meta;
  return formatDeadlineHeader({ idle: idleExpiresAt, absolute: absoluteExpiresAt, now: state.now });
}

/**
 * The `Set-Cookie` line for the token the request issues. It lives as long as the store
 * keeps the record (one idle period past the absolute deadline, see `retainUntil`), not
 * only to that deadline: a browser drops a cookie at its `Max-Age`, and a tab asking just
 * after the absolute deadline (a laptop waking) would then get `missing` instead of
 * `absolute-timeout`. The server ends the session at its deadlines either way.
 */
function issuedCookies(
  rt: Runtime,
  c: Context,
  attrs: Readonly<SessionCookieAttributes>,
  state: RequestState,
): readonly string[] {
  const retained = retainUntil(rt, state.live!.meta, state.now) - state.now;
  const value = state.issue!.value;
  const session = serializeSessionCookie(attrs, value, retained);
  if (state.receipt === null) return [session];
  // A renewal's token goes out twice. The receipt is needed until the crossing answer has
  // come and the browser sent its next request: one idle period at most (no request in it
  // and the renewed session has idled out), and a minute for answers still on their way.
  // Never cleared by a rotation: its answer may come last and clear a newer receipt.
  const needed = Math.min(retained, receiptLifetime(rt));
  const { bounds: own, carry } = state.receipt;
  const bounds = carry ? [...own, ...carriedBounds(rt, c, attrs, own[0]!)] : own;
  const receipt = receiptValue(state.issue!, bounds);
  return [session, serializeSessionCookie(attrs.receipt, receipt, needed)];
}

/**
 * How long an answer may take on the wire after the server sent it: answers are still
 * arriving that long after the last one that carries a given session's token was made.
 */
export const ANSWER_IN_FLIGHT = 60_000;

/** How long a renewal receipt is needed at most (see `issuedCookies`). */
export const receiptLifetime = (rt: Runtime): number => rt.options.idleTimeout + ANSWER_IN_FLIGHT;

/**
 * The bindings of the receipt the request carried, when it holds a token of the session
 * this renewal replaced (`renewed`): an earlier crossing's answers may still be on their
 * way, and the new receipt must keep covering them.
 */
function carriedBounds(
  rt: Runtime,
  c: Context,
  attrs: Readonly<SessionCookieAttributes>,
  renewed: string,
): readonly string[] {
  const carried = readReceipt(c.req.header('Cookie'), attrs.receipt.name);
  return carried && rt.hasher.sid(carried.token) === renewed ? carried.bounds : NONE;
}

const NONE: readonly string[] = [];
