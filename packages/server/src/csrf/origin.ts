import type { Context } from 'hono';
import { forwardedProto } from '../cookie/https.js';

/**
 * `value` as a bare origin (`https://app.example.com`, a default port dropped), or `null`
 * when it is no URL or carries more than an origin (a path, a query, credentials) or is
 * opaque (`null`). Shared by the options that list the app's own origins.
 */
export function bareOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  // Nothing past the origin but a trailing slash.
  const bare = url.pathname === '/' && !url.username && !url.password && !/[?#]/.test(value);
  return url.origin !== 'null' && bare ? url.origin : null;
}

/** This request's origin, with the client-facing scheme when a trusted proxy says it. */
export function ownOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const proto = trustProxy ? forwardedProto(c) : undefined;
  if (proto === 'https' || proto === 'http') url.protocol = `${proto}:`;
  return url.origin;
}
