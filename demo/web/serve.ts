import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Hono } from 'hono';
import { onlyMethods } from '../server/problems.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The strictest policy the page can live with: no inline script or style anywhere. The
 * warning dialog's styles arrive as a constructable stylesheet, which CSP does not block.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Serves the built demo page (`vite build` output in `root`) at `GET /`. It is never
 * cached: it is the same for signed-in and signed-out visitors, and it passes through the
 * session middleware (its answer carries the visitor's deadlines).
 *
 * @example
 * app.route('/', webPage(fileURLToPath(new URL('../dist/', import.meta.url))));
 */
export function webPage(root: string): Hono {
  const web = new Hono();
  web.get('/', async (c) => {
    const html = await readFile(join(root, 'index.html'), 'utf8');
    return c.html(html, 200, { 'Cache-Control': 'no-store', 'Content-Security-Policy': PAGE_CSP });
  });
  return web;
}

/**
 * Serves the page's hashed `/assets/*` from `root`. Their names carry a content hash, so
 * they are cached for a year, also by shared caches: mount this before the session
 * middleware, so that no answer a cache keeps carries one person's deadlines or cookie.
 *
 * @example
 * app.route('/', webAssets(root)); // before app.use(session(…))
 */
export function webAssets(root: string): Hono {
  const web = new Hono();
  web.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = TYPES[extname(file)];
    // Only plain file names Vite produced: no separators, no dot segments.
    if (!type || !/^[\w.-]+$/.test(file) || file.startsWith('.')) return c.notFound();
    const body = await readFile(join(root, 'assets', file)).catch(() => null);
    if (!body) return c.notFound();
    return c.body(body, 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });
  web.all('/assets/:file', ...onlyMethods('GET'));
  return web;
}
