import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE } from '../contract/protocol.js';
import { problemSchema } from '../contract/schemas.js';
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

// Header values a client can put on the wire: visible ASCII, inner spaces, obs-text bytes.
const headerText = fc
  .string({
    unit: fc.oneof(
      fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constantFrom(' ', '\u00e9', '\u00ff'),
    ),
    maxLength: 120,
  })
  .map((s) => s.trim());

describe('session routes and app routes: arbitrary headers', () => {
  it('never answer 5xx, always say why in a problem, and never end a session whose cookie the request did not carry', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'),
        fc.constantFrom(...paths, '/session/sessions', '/session/client.js', '/touch'),
        // Which cookie header the request carries, built from the signed-in browser's own.
        fc.constantFrom('own', 'mutated', 'duplicated', 'host-prefixed', 'remember-only', 'none'),
        headerText,
        fc.record(
          {
            Origin: fc.oneof(
              fc.constantFrom('http://localhost', 'https://evil.test', 'null'),
              headerText,
            ),
            'Sec-Fetch-Site': fc.oneof(
              fc.constantFrom('same-origin', 'cross-site', 'none', 'same-site'),
              headerText,
            ),
            'Session-Request': fc.oneof(fc.constant('1'), headerText),
            'Session-Passive': fc.oneof(fc.constant('1'), headerText),
            'X-Forwarded-Proto': fc.oneof(fc.constantFrom('https', 'http'), headerText),
            'User-Agent': headerText,
            'Content-Type': fc.oneof(fc.constantFrom(...contentTypes), headerText),
            'Content-Length': fc.oneof(fc.nat().map(String), headerText),
          },
          { requiredKeys: [] },
        ),
        jsonish,
        async (method, path, cookieKind, noise, headers, body) => {
          const { app } = routesTestApp({ session: { trustProxy: true } });
          const own = new Browser(app);
          const bystander = new Browser(app);
          await own.send('POST', '/login?remember=1');
          await bystander.send('POST', '/login?user=u2');
          const token = own.cookies.get('lifeline') ?? '';
          const cookie = {
            own: [...own.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            mutated: `lifeline=${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
            duplicated: `lifeline=${token}; lifeline=${noise}`,
            'host-prefixed': `__Host-lifeline=${token}`,
            'remember-only': `lifeline_remember=${noise}`,
            none: noise,
          }[cookieKind];
          const init: RequestInit = { method, headers: { ...headers, Cookie: cookie } };
          if (method !== 'GET' && method !== 'HEAD') init.body = body;
          const res = await app.request(`http://localhost${path}`, init);
          expect(res.status).toBeLessThan(500);
          // The app's own routes answer as the app says (Hono's text 404 for DELETE /touch).
          if (res.status >= 400 && path.startsWith('/session/')) {
            expect(res.headers.get('Content-Type')).toBe(PROBLEM_CONTENT_TYPE);
            if (method !== 'HEAD') {
              const problem = problemSchema.parse(await res.json());
              expect(PROBLEM_CODES).toContain(problem.code);
            }
          }
          const state = async (b: Browser) => (await (await b.get('/session/status')).json()).state;
          // Another browser's session is never collateral damage.
          expect(await state(bystander)).toBe('active');
          // Without the browser's own cookie, nothing can end its session. Over HTTPS (a
          // trusted proxy's first X-Forwarded-Proto) the session cookie is read under its
          // `__Host-` name, so the prefixed copy is the browser's own there.
          const https =
            headers['X-Forwarded-Proto']?.split(',')[0]?.trim().toLowerCase() === 'https';
          const carriesOwn = cookieKind === 'own' || (cookieKind === 'host-prefixed' && https);
          if (!carriesOwn) expect(await state(own)).toBe('active');
        },
      ),
      { numRuns: 200 },
    );
  });
});
