import type { Context, MiddlewareHandler } from 'hono';
import { type KnownOptions, refuseUnknownOptions } from '../config/known-options.js';
import { CSRF_HEADER } from '../contract/protocol.js';
import { sessionTrustsProxy } from '../cookie/https.js';
import { guardHook } from '../events/hook.js';
import { problemResponse } from '../problem/problem.js';
import { bareOrigin, ownOrigin } from './origin.js';

/** Options of {@link csrfGuard}. */
export interface CsrfGuardOptions {
  /**
   * Origins allowed besides the request's own, e.g. `['https://app.example.com']`.
   * Compared exactly (scheme, host and port). Default: none.
   */
  origins?: readonly string[];
  /**
   * Accept CORS-simple requests (a plain HTML `<form>` post) as long as their origin
   * checks out. Default `false`: a request must also carry `Session-Request: 1` or a JSON
   * `Content-Type`, which a cross-site page cannot send without a CORS preflight.
   */
  allowForms?: boolean;
  /**
   * Accept an unsafe request that has neither `Sec-Fetch-Site` nor `Origin` (very old
   * browsers, some non-browser clients). Default `false`.
   */
  allowMissingOrigin?: boolean;
  /** Called with the reason of every rejection, for audit logs. */
  onReject?: (c: Context, reason: string) => void;
  /**
   * Behind a TLS-terminating proxy the request URL says `http:`: compare `Origin` with the
   * scheme from `X-Forwarded-Proto` instead. Only when the proxy sets it. Default `false`,
   * except behind a `session({ trustProxy: true })`, whose setting the guard follows.
   */
  trustProxy?: boolean;
}

const CSRF_GUARD_OPTIONS: KnownOptions<CsrfGuardOptions> = {
  origins: true,
  allowForms: true,
  allowMissingOrigin: true,
  onReject: true,
  trustProxy: true,
};

/**
 * The options, checked once: a string where a boolean belongs (`allowForms: 'false'` is
 * truthy) would loosen the guard without a word, so anything but the declared types throws.
 */
function checkOptions(options: CsrfGuardOptions): void {
  refuseUnknownOptions('csrfGuard', options, CSRF_GUARD_OPTIONS);
  const { origins, onReject } = options;
  for (const flag of ['allowForms', 'allowMissingOrigin', 'trustProxy'] as const) {
    const value = options[flag];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new TypeError(`csrfGuard: \`${flag}\` must be a boolean`);
    }
  }
  if (origins !== undefined && !Array.isArray(origins)) {
    throw new TypeError('csrfGuard: `origins` must be an array of origins');
  }
  if (onReject !== undefined && typeof onReject !== 'function') {
    throw new TypeError('csrfGuard: `onReject` must be a function');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Sec-Fetch-Site `none` means the user started the request (address bar, bookmark).
const TRUSTED_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * CSRF protection for state-changing requests: same origin, and not forgeable by a form.
 *
 * A request with an unsafe method passes only when (1) it comes from this origin or an
 * allowed one: `Sec-Fetch-Site` is `same-origin` (or `none`) when the browser sends it,
 * otherwise `Origin` matches; and (2) unless `allowForms`, it is non-simple: it carries
 * `Session-Request: 1` or `Content-Type: application/json`. Anything else gets 403
 * `csrf_rejected`.
 *
 * Hono's `csrf()` is not enough on its own: it checks only requests with form content
 * types and lets every other body through, trusting CORS to stop them. A JSON endpoint
 * behind a permissive CORS policy, or one that parses a `text/plain` body, is then open
 * to cross-site posts. This guard checks every unsafe request, whatever its body.
 *
 * @example
 * app.use('/account/*', csrfGuard({ origins: ['https://app.example.com'] }));
 * app.post('/login', csrfGuard({ allowForms: true }), loginHandler);
 */
export function csrfGuard(options: CsrfGuardOptions = {}): MiddlewareHandler {
  checkOptions(options);
  const { allowForms = false, allowMissingOrigin = false, trustProxy = false } = options;
  // An audit hook that fails (or rejects) must not turn the 403 into a 500 or a crash.
  const onReject = guardHook('csrfGuard onReject', options.onReject);
  const allowed = new Set((options.origins ?? []).map(normaliseOrigin));

  return async function csrfGuardMiddleware(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const reason =
      originProblem(c, allowed, allowMissingOrigin, trustProxy) ?? simpleProblem(c, allowForms);
    if (reason === null) return next();
    onReject?.(c, reason);
    // A forged request is not the person's activity: it must not extend their session.
    (c.get('session') as { markPassive?: () => void } | undefined)?.markPassive?.();
    return problemResponse('csrf_rejected', { detail: reason });
  };
}

function originProblem(
  c: Context,
  allowed: Set<string>,
  allowMissing: boolean,
  trustProxy: boolean,
): string | null {
  const site = c.req.header('Sec-Fetch-Site');
  const origin = c.req.header('Origin');
  if (site !== undefined) {
    if (TRUSTED_FETCH_SITES.has(site)) return null;
    // A sibling site the app trusts is cross-site to the browser; only the list admits it.
    if (origin !== undefined && allowed.has(origin)) return null;
    return `Sec-Fetch-Site is ${JSON.stringify(site.slice(0, 32))}`;
  }
  if (origin === undefined) return allowMissing ? null : 'no Origin or Sec-Fetch-Site header';
  const proxied = trustProxy || sessionTrustsProxy(c);
  if (origin === ownOrigin(c, proxied) || allowed.has(origin)) return null;
  return 'Origin is not allowed';
}

function simpleProblem(c: Context, allowForms: boolean): string | null {
  if (allowForms || c.req.header(CSRF_HEADER) === '1') return null;
  const mediaType = c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return null;
  return `a simple request needs ${CSRF_HEADER}: 1 or a JSON body`;
}

function normaliseOrigin(value: string): string {
  const origin = bareOrigin(value);
  if (origin === null) {
    throw new TypeError(
      `csrfGuard: origins entry ${JSON.stringify(value)} must be a bare origin like https://app.example.com`,
    );
  }
  return origin;
}
