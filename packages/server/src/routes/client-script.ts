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
 * How long a bundle load may take: one that never settles (a stalled network file
 * system) would otherwise hang this request and every later one, which all wait for it.
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
 * is a 404 `invalid_request` problem; a source that fails to load, or takes longer than
 * {@link CLIENT_SCRIPT_LOAD_LIMIT_MS}, is a 503 `client_script_unavailable` problem,
 * retried by the next request. Errors are `no-store`.
 * The answer is the same for everyone, so `session()` leaves it alone (no store read, no
 * cookie, no `Session-Deadline`): caches may keep it, and it loads during a store outage.
 *
 * @example
 * sessionRoutes({ clientScript: () => readFile(bundlePath, 'utf8') });
 */
export function clientScript(source: ClientScriptSource | undefined): Handler {
  let loaded: Promise<Loaded> | null = null;
  const limit = sharedDeadline(
    CLIENT_SCRIPT_LOAD_LIMIT_MS,
    () =>
      new Error(`clientScript: the bundle did not load within ${CLIENT_SCRIPT_LOAD_LIMIT_MS} ms`),
  );
  const load = (): Promise<Loaded> => {
    if (loaded === null) {
      const attempt = limit(
        (async () => {
          const body = typeof source === 'function' ? await source() : (source ?? '');
          return { body, etag: await strongEtag(body) };
        })(),
      );
      // A failed or timed-out load (bundle not built yet) is retried by the next request.
      attempt.catch(() => {
        loaded = null;
      });
      loaded = attempt;
    }
    return loaded;
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
