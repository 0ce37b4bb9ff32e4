import type { Context, Handler } from 'hono';
import { encodeBase64url } from '../token/base64url.js';

/** The client bundle: its text, or a function that loads it (called until it succeeds once). */
export type ClientScriptSource = string | (() => string | Promise<string>);

interface Loaded {
  body: string;
  etag: string;
}

/**
 * `GET /client.js`: serves the SDK's IIFE bundle so a plain page needs one script tag.
 * Revalidated on every use (`no-cache`) against a strong ETag of its contents, so a
 * deploy is picked up at once while an unchanged bundle costs a 304. Without a source it
 * is a plain 404.
 *
 * @example
 * sessionRoutes({ clientScript: () => readFile(bundlePath, 'utf8') });
 */
export function clientScript(source: ClientScriptSource | undefined): Handler {
  let loaded: Promise<Loaded> | null = null;
  const load = (): Promise<Loaded> => {
    if (loaded === null) {
      const attempt = (async () => {
        const body = typeof source === 'function' ? await source() : (source ?? '');
        return { body, etag: await strongEtag(body) };
      })();
      // A failed load (bundle not built yet) is retried by the next request.
      attempt.catch(() => {
        loaded = null;
      });
      loaded = attempt;
    }
    return loaded;
  };

  return async function clientScriptHandler(c: Context) {
    if (source === undefined) return c.text('Not Found', 404);
    let script: Loaded;
    try {
      script = await load();
    } catch {
      return c.text('Client bundle unavailable', 503, { 'Retry-After': '5' });
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
  };
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
