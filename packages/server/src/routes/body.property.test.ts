import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from './test-app.fixture.js';

const paths = [
  '/session/extend',
  '/session/logout',
  '/session/reauth',
  '/session/sessions/revoke',
  '/session/status',
];
const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  ';;;',
];
const jsonish: fc.Arbitrary<string | Uint8Array<ArrayBuffer>> = fc.oneof(
  fc.json(),
  // Raw bytes: invalid UTF-8, and sizes on both sides of the 4 KB limit.
  fc.uint8Array({ maxLength: 6000 }).map((b) => new Uint8Array(b)),
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify({ id: v })),
  fc.constantFrom(
    '{"all":true}',
    '{"others":true}',
    '{"id":"x"}',
    '{}',
    '',
    '\u0000',
    '{"__proto__":{}}',
  ),
);

describe('session routes: arbitrary input', () => {
  it('never answers 5xx, whatever the method, path, content type and body', async () => {
    const { app } = routesTestApp();
    const browser = new Browser(app);
    await browser.post('/login');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH', 'GET'),
        fc.constantFrom(...paths),
        fc.constantFrom(...contentTypes),
        jsonish,
        async (method, path, contentType, body) => {
          const headers: Record<string, string | null> = { 'Content-Type': contentType || null };
          const withBody = method !== 'GET';
          const res = await browser.send(method, path, withBody ? { body, headers } : { headers });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('Content-Type')).toBe('application/problem+json');
          }
          // Keep the session for the next run when a revoke-all or logout went through.
          if (!browser.cookies.has('lifeline')) await browser.post('/login');
        },
      ),
      { numRuns: 300 },
    );
  });
});
