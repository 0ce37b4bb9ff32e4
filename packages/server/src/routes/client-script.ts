import type { Context, Handler } from 'hono';
import { problemResponse } from '../problem/problem.js';
import { markOutsideRoute } from '../session/passive.js';
import { sharedDeadline } from '../store/deadlines.js';
import { encodeBase64url } from '../token/base64url.js';

/** The client bundle: its text, or a function that loads it (called until it succeeds once). */
export type ClientScriptSource = string | (() => string | Promise<string>);

// A `<script>` pointed at an error body must never run it as script.
const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' };

/**
 * How long a request waits for the bundle to load: one that never settles (a stalled
 * network file system) would otherwise hang this request and every later one.
 */
const CLIENT_SCRIPT_LOAD_LIMIT_MS = 2_000;

interface Loaded {
  body: string;
  etag: string;
}

/**
 * `GET /client.js`: serves the SDK's IIFE bundle so a plain page needs one script tag.
 * Revalidated on every use (`no-cache`) against a strong ETag of its contents, so a
 * deploy is picked up at once while an unchanged bundle costs a 304. Without a source it
 * is a 404 `invalid_request` problem; a source that fails to load, or has not loaded
 * within {@link CLIENT_SCRIPT_LOAD_LIMIT_MS} of a request, is a 503
 * `client_script_unavailable` problem, and the next request tries again (a slow load's
 * late success is kept). Errors are `no-store`.
 * The answer is the same for everyone, so `session()` leaves it alone (no store read, no
 * cookie, no `Session-Deadline`): caches may keep it, and it loads during a store outage.
 *
 * @example
 * sessionRoutes({ clientScript: () => readFile(bundlePath, 'utf8') });
 */
export function clientScript(source: ClientScriptSource | undefined): Handler {
  /** The load under way or done; a failed one is forgotten, so the next request retries. */
  let loading: { done: Promise<Loaded>; settled: boolean; startedAt: number } | null = null;
  /** A load has failed since the last success (its error is logged once). */
  let failing = false;
  const limit = sharedDeadline(
    CLIENT_SCRIPT_LOAD_LIMIT_MS,
    () =>
      new Error(`clientScript: the bundle did not load within ${CLIENT_SCRIPT_LOAD_LIMIT_MS} ms`),
  );
  /** The 503 says nothing of why: the first failure since the last success does. */
  const reportFailure = (error: unknown): void => {
    if (!failing) console.error('lifeline: GET /client.js could not load the bundle', error);
    failing = true;
  };
  const load = (): Promise<Loaded> => {
    // The limit is on each request's wait, not on the load: a slow source's late success
    // is kept and served. One still pending past the limit is tried anew alongside.
    const stalled =
      loading !== null &&
      !loading.settled &&
      performance.now() - loading.startedAt >= CLIENT_SCRIPT_LOAD_LIMIT_MS;
    if (loading === null || stalled) {
      const attempt = {
        done: (async () => {
          const body: unknown = typeof source === 'function' ? await source() : source;
          // A loader that forgot its `return` (or read an empty file) would serve an empty
          // 200 that starts nothing and reports nothing: a failed load instead.
          if (typeof body !== 'string' || body.trim() === '') {
            throw new TypeError('clientScript: the bundle loaded empty or not as text');
          }
          return { body, etag: await strongEtag(body) };
        })(),
        settled: false,
        startedAt: performance.now(),
      };
      attempt.done.then(
        (ready) => {
          attempt.settled = true;
          failing = false;
          // A stalled load that finally succeeds serves too, unless a newer one did first.
          if (loading !== attempt && !loading?.settled) loading = attempt;
          return ready;
        },
        (error: unknown) => {
          attempt.settled = true;
          // A failed load (bundle not built yet) is retried by the next request.
          if (loading === attempt) loading = null;
          reportFailure(error);
        },
      );
      loading = attempt;
    }
    // A wait cut short is a failure too (a load that never settles would else 503 in silence).
    return limit(loading.done).catch((error: unknown) => {
      reportFailure(error);
      throw error;
    });
  };

  return markOutsideRoute(async function clientScriptHandler(c: Context) {
    if (source === undefined) {
      return problemResponse('invalid_request', {
        status: 404,
        detail: 'no client bundle is configured',
        headers: NOSNIFF,
      });
    }
    let script: Loaded;
    try {
      script = await load();
    } catch {
      // Not `store_unavailable`: the sessions work, only the bundle is missing (e.g. not built yet).
      return problemResponse('client_script_unavailable', {
        headers: { ...NOSNIFF, 'Retry-After': '5' },
      });
    }
    const { body, etag } = script;
    const headers = {
      ETag: etag,
      'Cache-Control': 'no-cache',
      'Content-Type': 'text/javascript; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    };
    if (matches(c.req.header('If-None-Match'), etag)) {
      return c.body(null, 304, headers);
    }
    return c.body(body, 200, headers);
  });
}

async function strongEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  return `"${encodeBase64url(new Uint8Array(digest)).slice(0, 27)}"`;
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): `W/` is ignored, `*` matches. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
