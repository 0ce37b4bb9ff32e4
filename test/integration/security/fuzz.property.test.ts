/**
 * Bad input over the whole mounted HTTP surface of the demo app (its own routes, the
 * built page's assets and `/session/*`), on the memory store and on Redis: whatever the
 * method, path, cookies, headers and body, the answer is under 500, every 4xx is a
 * problem with a documented `code`, nothing hangs or rejects unhandled, an unsafe request
 * succeeds only past the CSRF rule, and the browser's valid session still works afterwards
 * (also with its own request in flight alongside) unless the request was a sign-out the
 * contract honours. On Redis, broken store content is bad input too.
 *
 * The route-level properties (session routes only, fixed paths) live beside the routes
 * (`packages/server/src/routes/body.property.test.ts`), the field-by-field store
 * corruption cases beside the Redis store (`redis/corrupt.test.ts`); this one adds the
 * app's routes, odd methods and paths, flawed cookies that still carry the session,
 * parallel requests and Redis, all through one app as `npm start` serves it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memoryStore, type SessionEnv, type SessionStore } from '@lifeline/server';
import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE, problemSchema } from '@lifeline/server/contract';
import { redisStore } from '@lifeline/server/redis';
import { type ManualClock, manualClock } from '@lifeline/server/testing';
import fc from 'fast-check';
import type { Hono } from 'hono';
import type Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../../demo/server/app.js';
import { loadConfig } from '../../../demo/server/config.js';
import {
  connectRedis,
  deleteKeys,
  uniquePrefix,
} from '../../../packages/server/src/redis/redis.fixture.js';
import { COOKIE, MINUTE, REMEMBER, SECOND } from './harness.js';

const ORIGIN = 'http://localhost';

// The demo as `npm start` serves it: the built page and its assets, and the SDK bundle.
const DEMO_DIST = fileURLToPath(new URL('../../../demo/dist/', import.meta.url));
const CLIENT_IIFE = fileURLToPath(
  new URL('../../../packages/client/dist/lifeline.iife.js', import.meta.url),
);
if (!existsSync(`${DEMO_DIST}index.html`) || !existsSync(CLIENT_IIFE)) {
  throw new Error('The demo page or the client bundle is not built: run "npm run build" first.');
}
const CLIENT_SCRIPT = readFileSync(CLIENT_IIFE, 'utf8');
const ASSETS = readdirSync(`${DEMO_DIST}assets`).map((file) => `/assets/${file}`);
/** The demo's rotation grace window (10 s, or half the rotation interval if shorter). */
const GRACE_MS = 10 * SECOND;
/** Longer than any answer takes: past it the request counts as hung. */
const HANG_MS = 5000;

// ---- Generators -------------------------------------------------------------------------

/** Header text a client can put on the wire: visible ASCII, inner spaces, obs-text bytes. */
const headerText = fc
  .string({
    unit: fc.oneof(
      fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constantFrom(' ', '\t', '\u00e9', '\u00ff', '\u0080'),
    ),
    maxLength: 80,
  })
  .map((s) => s.trim());

/** Non-ASCII text as Node hands it over from the wire: UTF-8 bytes read as latin1. */
const wireUnicode = fc
  .string({ unit: 'grapheme', maxLength: 20 })
  .map((s) => Buffer.from(s, 'utf8').toString('latin1'));

const tokenChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 2, arbitrary: fc.constantFrom('HEAD', 'PUT', 'DELETE', 'OPTIONS') },
  fc.constantFrom(
    'patch',
    'Post',
    'PROPFIND',
    'MKCOL',
    'QUERY',
    'M-SEARCH',
    'LOGOUT',
    'X'.repeat(300),
  ),
  // Any RFC 9110 token; the Fetch API refuses CONNECT, TRACE and TRACK (skipped below).
  fc.string({
    unit: fc.constantFrom(...`${tokenChars}!#$%&'*+.^\`|~`),
    minLength: 1,
    maxLength: 12,
  }),
);

/** Every route the demo mounts, with the method it answers (and a few it does not). */
const routes: Array<[string, 'GET' | 'POST']> = [
  ['/', 'GET'],
  ['/plain', 'GET'],
  ['/login', 'POST'],
  ['/api', 'GET'],
  ['/api/me', 'GET'],
  ['/api/notifications', 'GET'],
  ['/api/cart', 'POST'],
  ['/api/events', 'GET'],
  ['/api/config', 'GET'],
  ['/session', 'GET'],
  ['/session/status', 'GET'],
  ['/session/extend', 'POST'],
  ['/session/logout', 'POST'],
  ['/session/reauth', 'POST'],
  ['/session/client.js', 'GET'],
  ['/session/sessions', 'GET'],
  ['/session/sessions/revoke', 'POST'],
  ['/favicon.ico', 'GET'],
  ...ASSETS.map((asset): [string, 'GET'] => [asset, 'GET']),
  ['/assets/index.html', 'GET'],
  ['/assets/..%2Findex.html', 'GET'],
  ['/assets/%2e%2e%2f%2e%2e%2fpackage.json', 'GET'],
  ['/assets/.env', 'GET'],
];

/** A path segment a router or a URL parser may trip on. */
const oddSegment = fc.oneof(
  fc.constantFrom(
    '.',
    '..',
    '%2e',
    '%2e%2e',
    '.%2E',
    '%2F',
    '%5C',
    '\\',
    '',
    '%00',
    '%',
    '%Z',
    '%ZZ',
    '%C0%AF',
    '%E0%80%AF',
    '%FF',
    '%uD800',
    '%ED%A0%80',
    ';jsessionid=x',
    '~',
    'session',
    'status',
  ),
  fc.integer({ min: 1, max: 12_000 }).map((n) => 'a'.repeat(n)),
  wireUnicode.map(encodeURIComponent),
  fc.string({ unit: fc.constantFrom(..."aZ09-._~!$&'()*+,;=:@%"), maxLength: 20 }),
);

/** Percent-encodes one character of a route (`/session/%6cogout` still names the route). */
function encodeOne(path: string, at: number): string {
  const i = at % path.length;
  if (path[i] === '/') return path;
  const hex = path.charCodeAt(i).toString(16).padStart(2, '0');
  return `${path.slice(0, i)}%${at % 2 ? hex.toUpperCase() : hex}${path.slice(i + 1)}`;
}

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?',
    '?returnTo=//evil.test',
    '?returnTo=%',
    '?a=%ZZ&a=1',
    '#frag',
    '?lifeline=x',
  ),
  fc.array(oddSegment, { maxLength: 3 }).map((parts) => `?returnTo=/${parts.join('/')}`),
  headerText.map((t) => `?${encodeURIComponent(t)}`),
);

/** A route's method most of the time, else any method. */
const target = fc
  .tuple(
    fc.constantFrom(...routes),
    fc.option(method, { freq: 3 }),
    // Half the time the route itself, so the handlers behind it see the bad input.
    fc.oneof(
      { weight: 7, arbitrary: fc.constant('as-is' as const) },
      fc.constantFrom('trailing-slash', 'upper', 'encoded', 'double-slash', 'dots', 'extra'),
    ),
    fc.nat(),
    fc.array(oddSegment, { minLength: 1, maxLength: 3 }),
    query,
  )
  .map(([[route, own], other, how, n, segments, q]) => {
    const extra = segments.join('/');
    const shaped = {
      'as-is': route,
      'trailing-slash': `${route}/`,
      upper: route.toUpperCase(),
      encoded: encodeOne(route, n),
      'double-slash': route.replace(/\//g, '//'),
      dots: `/${extra}/..${route}`,
      extra: `${route}/${extra}`,
    }[how];
    return { method: other ?? own, path: shaped + q };
  });

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  ' application/json ;;',
  'application/json, text/plain',
  'application/problem+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  '',
  ';;;',
];

/** Anything a field could hold: for the known fields of every route's schema. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('demo', '', ' ', '\ud800', 'x'.repeat(300), -1, 1e308, true, null, [], {}),
);

/** JSON-ish bodies: wrong types for every route's fields, deep nesting, huge, raw bytes. */
const jsonish: fc.Arbitrary<string | Uint8Array<ArrayBuffer>> = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc
    .record(
      {
        username: anyValue,
        password: anyValue,
        remember: anyValue,
        returnTo: anyValue,
        item: anyValue,
        absoluteExpiresAt: anyValue,
        id: anyValue,
        all: anyValue,
        others: anyValue,
        constructor: anyValue,
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc
    .tuple(fc.integer({ min: 50, max: 50_000 }), fc.constantFrom('[', '{"a":', '{"item":['))
    .map(([n, open]) => {
      const close = open === '[' ? ']' : open === '{"a":' ? '}' : ']}';
      return `${open.repeat(n)}1${close.repeat(n)}`;
    }),
  fc.integer({ min: 4000, max: 200_000 }).map((n) => `{"item":"${'a'.repeat(n)}"}`),
  fc.uint8Array({ maxLength: 6000 }).map((b) => new Uint8Array(b)),
  fc.constantFrom(
    '',
    '{}',
    'null',
    '{"item":"\\ud800"}',
    '{"item":"\u0000"}',
    '{"__proto__":{"polluted":true}}',
    '{"absoluteExpiresAt":0}',
    '{"absoluteExpiresAt":1e400}',
    '{"id":"x"}',
    '\ufeff{}',
    '{"item":"a"}{"item":"b"}',
  ),
  // The demo account's own credentials around a bad field: the sign-in itself is good.
  fc
    .tuple(anyValue, fc.option(fc.dictionary(fc.string({ maxLength: 8 }), anyValue)))
    .map(([remember, extra]) =>
      JSON.stringify({ username: 'demo', password: 'demo', remember, ...extra }),
    ),
  fc
    .tuple(fc.oneof(headerText, wireUnicode, oddSegment), fc.constantFrom('', '&remember=on'))
    .map(([to, r]) => `username=demo&password=demo${r}&returnTo=/${to}`),
  // Forms for /login, with and without a well-formed boundary.
  fc
    .tuple(headerText, headerText, wireUnicode)
    .map(([u, p, r]) => `username=${u}&password=${p}&remember=on&returnTo=${r}&returnTo=%ZZ`),
  headerText.map(
    (v) =>
      `--x\r\nContent-Disposition: form-data; name="username"\r\n\r\n${v}\r\n--x\r\nContent-Disposition: form-data; name="password"; filename="a"\r\n\r\n${v}\r\n`,
  ),
);

/** What the SDK's same-origin `fetch` sends: the CSRF guard lets it through. */
const SAME_ORIGIN = {
  Origin: ORIGIN,
  'Sec-Fetch-Site': 'same-origin',
  'Session-Request': '1',
  'Content-Type': 'application/json',
};

/** Contract and browser headers, each absent, well-formed or garbage. */
const garbledHeaders = fc.record(
  {
    Origin: fc.oneof(
      fc.constantFrom(ORIGIN, 'https://localhost', 'http://localhost:80', 'HTTP://LOCALHOST'),
      fc.constantFrom('null', 'http://evil.test', 'http://localhost.evil.test', ''),
      headerText,
    ),
    'Sec-Fetch-Site': fc.oneof(
      fc.constantFrom('same-origin', 'none', 'cross-site', 'same-site', 'SAME-ORIGIN', ''),
      headerText,
    ),
    'Session-Request': fc.oneof(fc.constantFrom('1', '0', '1, 1', 'true'), headerText),
    'Session-Passive': fc.oneof(fc.constantFrom('1', '0'), headerText),
    'Session-Deadline': fc.oneof(
      fc.constant('idle=9999999999999, absolute=9999999999999, now=0'),
      headerText,
    ),
    'Content-Type': fc.oneof(fc.constantFrom(...contentTypes), headerText),
    'Content-Length': fc.oneof(fc.nat().map(String), fc.constantFrom('-1', '1e9', 'x'), headerText),
    'X-Forwarded-Proto': fc.oneof(fc.constantFrom('https', 'http'), headerText),
    'User-Agent': headerText,
    Accept: fc.oneof(fc.constantFrom('text/html', 'application/json', '*/*'), headerText),
  },
  { requiredKeys: [] },
);

const garbledKeys = Object.keys(SAME_ORIGIN) as Array<keyof typeof SAME_ORIGIN>;

/**
 * Mostly a same-origin request with at most one of its headers garbled (and any of the
 * others added), so the CSRF guard often lets the bad input through to the handlers;
 * otherwise garbled headers alone.
 */
const headers = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        garbledHeaders,
        fc.constantFrom(null, ...garbledKeys),
        // JSON for the API, a form for the sign-in page.
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
      )
      .map(([garbled, replaced, type]): Record<string, string> => {
        const kept: Record<string, string> = { ...garbled, ...SAME_ORIGIN, 'Content-Type': type };
        if (replaced === null) return kept;
        const { [replaced]: _, ...rest } = kept;
        const value = garbled[replaced];
        return value === undefined ? rest : { ...rest, [replaced]: value };
      }),
  },
  // Same origin but CORS-simple (a form post, a `text/plain` fetch): refused by the guard.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.option(headerText, { freq: 2 }),
        fc.constantFrom(
          null,
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
        ),
      )
      .map(
        ([request, type]): Record<string, string> => ({
          Origin: ORIGIN,
          'Sec-Fetch-Site': 'same-origin',
          ...(request === null ? {} : { 'Session-Request': request }),
          ...(type === null ? {} : { 'Content-Type': type }),
        }),
      ),
  },
  { weight: 2, arbitrary: garbledHeaders },
);

/** One cookie pair that is not ours: huge, non-ASCII, bad base64, quotes, bare names. */
const otherCookie = fc.oneof(
  fc
    .tuple(fc.constantFrom('theme', 'a', '__Host-x', '$Version'), headerText)
    .map(([k, v]) => `${k}=${v}`),
  fc.integer({ min: 100, max: 8000 }).map((n) => `big=${'x'.repeat(n)}`),
  wireUnicode.map((v) => `u=${v}`),
  fc.constantFrom('=', '==', 'noequals', ';', ' ; ', 'b64=!!!', 'b64=====', 'q="a;b"', '\t'),
);

/** One flaw in a token, as data (so a counterexample prints and shrinks). */
type Flaw =
  | { op: 'char'; at: number; ch: string }
  | {
      op: 'truncate' | 'append' | 'quote' | 'lower' | 'std-base64' | 'percent' | 'latin1';
    }
  | { op: 'replace'; value: string };

/** A flaw anywhere in a 43-character token: its family, its secret, or its shape. */
const flaw: fc.Arbitrary<Flaw> = fc.oneof(
  fc.record({
    op: fc.constant('char' as const),
    at: fc.integer({ min: 0, max: 42 }),
    ch: fc.constantFrom(...tokenChars),
  }),
  fc.record({
    op: fc.constantFrom(
      'truncate',
      'append',
      'quote',
      'lower',
      'std-base64',
      'percent',
      'latin1',
    ) as fc.Arbitrary<Exclude<Flaw['op'], 'char' | 'replace'>>,
  }),
  fc.record({
    op: fc.constant('replace' as const),
    value: fc.oneof(
      fc.string({ unit: fc.constantFrom(...tokenChars), minLength: 43, maxLength: 43 }),
      headerText,
    ),
  }),
);

/** Replaces the character at `at` with `ch`, or with the next one if it is the same. */
function changeChar(token: string, at: number, ch: string): string {
  const next =
    token[at] === ch ? (tokenChars[(tokenChars.indexOf(ch) + 1) % tokenChars.length] ?? ch) : ch;
  return `${token.slice(0, at)}${next}${token.slice(at + 1)}`;
}

/** The token with the flaw; never the token itself (a token without capitals, say). */
function applyFlaw(token: string, f: Flaw): string {
  const flawed = flawedValue(token, f);
  return flawed === token ? `${token}A` : flawed;
}

function flawedValue(token: string, f: Flaw): string {
  switch (f.op) {
    case 'char':
      return changeChar(token, f.at, f.ch);
    case 'truncate':
      return token.slice(0, -1);
    case 'append':
      return `${token}A`;
    case 'quote':
      return `"${token}"`;
    case 'lower':
      return token.toLowerCase();
    case 'std-base64':
      return `${token.replace(/-/g, '+').replace(/_/g, '/')}=`;
    case 'percent':
      return token.replace(/[A-Z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    case 'latin1':
      return `${token.slice(0, 42)}\u00e9`;
    case 'replace':
      return f.value;
  }
}

/**
 * The remember-me cookie a request carries. A changed token is changed in its selector
 * (bytes 0-15, characters 0-20): an unknown credential. Not in its validator: a known
 * selector with a wrong validator is by design a replayed copy (docs/security.md, item
 * 38), and the demo then ends every session of the user, as the docs advise.
 */
type RememberPart =
  | { op: 'own' | 'duplicate' | 'empty' | 'absent' }
  | { op: 'selector'; at: number; ch: string }
  | { op: 'garbage'; value: string };

const rememberPart: fc.Arbitrary<RememberPart> = fc.oneof(
  fc.record({
    op: fc.constantFrom('own', 'duplicate', 'empty', 'absent') as fc.Arbitrary<
      'own' | 'duplicate' | 'empty' | 'absent'
    >,
  }),
  fc.record({
    op: fc.constant('selector' as const),
    at: fc.integer({ min: 0, max: 20 }),
    ch: fc.constantFrom(...tokenChars),
  }),
  fc.record({ op: fc.constant('garbage' as const), value: headerText }),
);

function rememberPair(R: string, part: RememberPart): string[] {
  switch (part.op) {
    case 'own':
      return [`${REMEMBER}=${R}`];
    case 'duplicate':
      return [`${REMEMBER}=${R}`, `${REMEMBER}=${R}`];
    case 'empty':
      return [`${REMEMBER}=`];
    case 'absent':
      return [];
    case 'selector':
      return [`${REMEMBER}=${changeChar(R, part.at, part.ch)}`];
    case 'garbage':
      return [`${REMEMBER}=${part.value}`];
  }
}

/**
 * How the request's `Cookie` header is built from the signed-in browser's jar (session
 * token T, remember-me token R). The first four carry the browser's own session cookie,
 * so their response reaches that browser; the others do not (a forged or corrupted
 * cookie, someone else's request), and must leave its session alone.
 */
type CookieRecipe =
  | {
      kind: 'own-and-others';
      remember: RememberPart;
      others: string[];
      ownFirst: boolean;
      /** Spaces and tabs around the pair, as RFC 6265 parsers allow. */
      spaced: boolean;
    }
  | { kind: 'duplicate-name'; second: Flaw | null; remember: RememberPart }
  | { kind: 'host-twin'; twin: Flaw | null; remember: RememberPart }
  | { kind: 'padded'; size: number }
  | { kind: 'flawed'; flaw: Flaw; remember: RememberPart }
  | { kind: 'others-only'; others: string[] }
  | { kind: 'raw'; value: string };

const carriesSession = (r: CookieRecipe) =>
  r.kind === 'own-and-others' ||
  r.kind === 'duplicate-name' ||
  r.kind === 'host-twin' ||
  r.kind === 'padded';

/** Remember-me cookies a request without the session cookie may carry: never the real one. */
const foreignRemember = rememberPart.filter((p) => p.op !== 'own' && p.op !== 'duplicate');

const cookieRecipe: fc.Arbitrary<CookieRecipe> = fc.oneof(
  fc.record({
    kind: fc.constant('own-and-others' as const),
    remember: rememberPart,
    others: fc.array(otherCookie, { maxLength: 4 }),
    ownFirst: fc.boolean(),
    spaced: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('duplicate-name' as const),
    second: fc.option(flaw),
    remember: rememberPart,
  }),
  fc.record({
    kind: fc.constant('host-twin' as const),
    twin: fc.option(flaw),
    remember: rememberPart,
  }),
  fc.record({ kind: fc.constant('padded' as const), size: fc.integer({ min: 1000, max: 30_000 }) }),
  fc.record({ kind: fc.constant('flawed' as const), flaw, remember: foreignRemember }),
  fc.record({
    kind: fc.constant('others-only' as const),
    others: fc.array(otherCookie, { maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('raw' as const), value: fc.oneof(headerText, wireUnicode) }),
);

function renderCookie(T: string, R: string, r: CookieRecipe): string {
  const own = `${COOKIE}=${T}`;
  switch (r.kind) {
    case 'own-and-others': {
      const rest = [...r.others, ...rememberPair(R, r.remember)];
      const mine = r.spaced ? ` \t${COOKIE} = ${T}\t ` : own;
      return (r.ownFirst ? [mine, ...rest] : [...rest, mine]).join(';');
    }
    case 'duplicate-name': {
      const second = r.second ? applyFlaw(T, r.second) : T;
      return [own, `${COOKIE}=${second}`, ...rememberPair(R, r.remember)].join('; ');
    }
    case 'host-twin': {
      const twin = r.twin ? applyFlaw(T, r.twin) : T;
      return [own, `__Host-${COOKIE}=${twin}`, ...rememberPair(R, r.remember)].join('; ');
    }
    case 'padded':
      return `pad=${'p'.repeat(r.size)}; ${own}`;
    case 'flawed':
      return [`${COOKIE}=${applyFlaw(T, r.flaw)}`, ...rememberPair(R, r.remember)].join('; ');
    case 'others-only':
      return r.others.join('; ');
    case 'raw':
      return r.value;
  }
}

// ---- The property -----------------------------------------------------------------------

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The path as the router matches it: percent-decoded where that is valid. */
function routedPath(req: Request): string {
  const { pathname } = new URL(req.url);
  try {
    return decodeURI(pathname);
  } catch {
    return pathname;
  }
}

/**
 * What the contract's CSRF rule lets through: the same origin (`Sec-Fetch-Site`, else
 * `Origin`) and a non-simple request (`Session-Request: 1` or a JSON body), except that
 * the sign-in page also takes a plain form. Only such a request may change anything.
 */
function passesCsrf(req: Request): boolean {
  const site = req.headers.get('Sec-Fetch-Site');
  const fromHere =
    site !== null
      ? site === 'same-origin' || site === 'none'
      : req.headers.get('Origin') === ORIGIN;
  const media = req.headers.get('Content-Type')?.split(';')[0]?.trim().toLowerCase();
  const nonSimple = req.headers.get('Session-Request') === '1' || media === 'application/json';
  return fromHere && (nonSimple || routedPath(req) === '/login');
}

async function withinTime<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${HANG_MS} ms`)),
      HANG_MS,
    );
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** The demo app on `store`, and a browser signed in with remember-me (its cookie jar). */
async function signedInDemo(store: SessionStore, clock: ManualClock) {
  const app = createDemoApp(loadConfig({}), {
    now: clock.now,
    store,
    webRoot: DEMO_DIST,
    clientScript: CLIENT_SCRIPT,
  });
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const name = pair.slice(0, pair.indexOf('='));
      if (/;\s*Max-Age=0(;|$)/i.test(line)) jar.delete(name);
      else jar.set(name, pair.slice(name.length + 1));
    }
  };
  const browser = async (
    method: string,
    path: string,
    body?: unknown,
    options: { keep?: boolean } = {},
  ) => {
    const headers: Record<string, string> = { ...SAME_ORIGIN };
    if (jar.size > 0) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await app.request(`${ORIGIN}${path}`, init);
    if (options.keep !== false) keep(res);
    return res;
  };
  const login = await browser('POST', '/login', {
    username: 'demo',
    password: 'demo',
    remember: true,
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const T = jar.get(COOKIE);
  const R = jar.get(REMEMBER);
  if (!T || !R) throw new Error('login set no session or remember-me cookie');
  return { app, jar, keep, browser, T, R };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** One generated request: what is sent, before the browser's tokens are filled in. */
interface BadRequest {
  target: { method: string; path: string };
  headers: Record<string, string>;
  body: string | Uint8Array<ArrayBuffer> | null;
  cookie: CookieRecipe;
}

const badRequest: fc.Arbitrary<BadRequest> = fc.record({
  target,
  headers,
  // Sometimes none: the session routes take an empty body as `{}`.
  body: fc.option(jsonish, { freq: 3 }),
  cookie: cookieRecipe,
});

/** The request, or `null` when no client could send it (a forbidden method, a bad URL). */
function buildRequest(input: BadRequest, cookie: string): Request | null {
  try {
    const init: RequestInit = {
      method: input.target.method,
      headers: { ...input.headers, ...(cookie ? { Cookie: cookie } : {}) },
    };
    const upper = input.target.method.toUpperCase();
    if (upper !== 'GET' && upper !== 'HEAD' && input.body !== null) init.body = input.body;
    return new Request(`${ORIGIN}${input.target.path}`, init);
  } catch {
    return null;
  }
}

/**
 * Sends `req` and checks its answer: in time, under 500, a 4xx a problem with a listed
 * code (or the sign-in page's form failure), an unsafe method successful only past the
 * CSRF rule, no token in the body, no unhandled rejection.
 */
async function sendChecked(
  app: Hono<SessionEnv>,
  req: Request,
  tokens: string[],
  ctx: fc.ContextValue,
): Promise<{ res: Response; text: string }> {
  const res = await withinTime('the request', Promise.resolve(app.request(req)));
  const text = await withinTime('the body', res.text());
  ctx.log(`${req.method} ${new URL(req.url).pathname} -> ${res.status} ${text.slice(0, 200)}`);

  expect(res.status).toBeLessThan(500);
  const type = res.headers.get('Content-Type');
  if (res.status >= 400) {
    // The one documented non-problem 4xx: a form sign-in's failure shows the page again.
    const formFailure = res.status === 401 && type?.startsWith('text/html');
    if (!formFailure) {
      expect(type).toBe(PROBLEM_CONTENT_TYPE);
      if (req.method !== 'HEAD') {
        const problem = problemSchema.parse(JSON.parse(text));
        expect(PROBLEM_CODES).toContain(problem.code);
        expect(problem.status).toBe(res.status);
      }
    }
  }
  // Every route that takes an unsafe method is CSRF-guarded: none may succeed unguarded.
  if (!SAFE_METHODS.has(req.method) && res.status < 400) {
    expect(passesCsrf(req), `${req.method} ${routedPath(req)} passed the CSRF rule`).toBe(true);
  }
  // Tokens never travel in a body.
  for (const token of tokens) expect(text).not.toContain(token);

  await new Promise((resolve) => setImmediate(resolve));
  expect(unhandled).toEqual([]);
  return { res, text };
}

/** The property over one store; `makeStore` is called once per run with that run's clock. */
function badInputProperty(
  makeStore: (clock: ManualClock) => SessionStore,
  clockStart: () => number,
  afterRun?: () => Promise<void>,
) {
  return fc
    .asyncProperty(
      // Time since sign-in: nothing due, a touch due, a rotation due, near the idle deadline.
      fc.constantFrom(0, MINUTE, 4 * MINUTE, 16 * MINUTE, 29 * MINUTE),
      badRequest,
      // The browser's own request in flight at the same time, its answer arriving first or last.
      fc.constantFrom(null, 'first', 'last'),
      fc.context(),
      async (elapsed, input, parallel, ctx) => {
        const clock = manualClock(clockStart());
        const { app, keep, browser, T, R } = await signedInDemo(makeStore(clock), clock);
        clock.advance(elapsed);
        const cookie = renderCookie(T, R, input.cookie);
        ctx.log(`Cookie: ${cookie.slice(0, 300)}`);
        const req = buildRequest(input, cookie);
        if (req === null) return;
        let res: Response;
        let text: string;
        if (parallel === null) ({ res, text } = await sendChecked(app, req, [T, R], ctx));
        else {
          // Sent from the jar as it is now; its cookies are taken only once it answers.
          const own = browser('GET', '/api/me', undefined, { keep: false });
          const [bad, mine] = await Promise.all([sendChecked(app, req, [T, R], ctx), own]);
          ({ res, text } = bad);
          ctx.log(`parallel GET /api/me -> ${mine.status}`);
          expect(mine.status).toBeLessThan(500);
          if (parallel === 'first') keep(mine);
          if (carriesSession(input.cookie)) keep(res);
          if (parallel === 'last') keep(mine);
        }

        // The browser that holds the session gets this response only if it sent the request.
        if (parallel === null && carriesSession(input.cookie)) keep(res);
        // Past the rotation grace window: a successor this request made but did not hand
        // over would show now, as the predecessor no longer resolves.
        clock.advance(GRACE_MS + SECOND);
        const status = await browser('GET', '/session/status');
        expect(status.status).toBe(200);
        const body = (await status.json()) as { state: string; reason?: string };
        // A sign-in or re-auth renews the session: an older cookie of the parallel request,
        // arriving after the renewed one, is the browser's own race (no bad input needed).
        const renewal =
          parallel !== null &&
          res.status < 400 &&
          ['/login', '/session/reauth'].includes(routedPath(req));
        if (body.state !== 'active' && !renewal) {
          // Only a sign-out the contract honours may end it: a same-origin, non-simple POST
          // to logout (200, logged-out), or a revocation that named this session.
          let answer: { state?: string; reason?: string; currentEnded?: boolean } = {};
          try {
            answer = JSON.parse(text);
          } catch {}
          const signedOut =
            res.status === 200 &&
            ((answer.state === 'none' && answer.reason === 'logged-out') ||
              answer.currentEnded === true);
          const how = `${req.method} ${input.target.path} -> ${res.status}`;
          expect(signedOut, `the session ended (${body.reason}) after ${how}`).toBe(true);
          expect(req.method, 'only a POST signs out').toBe('POST');
        } else if (body.state === 'active') {
          // Still working, not just reported: an ordinary protected request succeeds.
          const me = await browser('GET', '/api/me');
          expect(me.status, await me.clone().text()).toBe(200);
        }
      },
    )
    .afterEach(async () => {
      await afterRun?.();
    });
}

// ---- Store content ----------------------------------------------------------------------

/** JSON nested deeper than a recursive validator's stack allows. */
const DEEP = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

/** What a broken or foreign writer may leave in a field or a string key. */
const storedGarbage = fc.oneof(
  fc.constantFrom(
    '',
    '{oops',
    '"yesterday"',
    'null',
    ' null',
    'undefined',
    '1e999',
    '-1',
    '0',
    '[]',
    '{}',
    '"\\ud800"',
    '{"reason":"x","at":1}',
    '{"__proto__":{"polluted":true}}',
    DEEP,
    `{"x":${DEEP}}`,
  ),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
);

/** One change to the keys under the run's prefix, each picked by index (sorted by name). */
type Corruption =
  | { op: 'set-field'; key: number; field: number; value: string }
  | { op: 'add-field'; key: number; name: string; value: string }
  | { op: 'drop-field'; key: number; field: number }
  | { op: 'retype'; key: number; as: 'string' | 'list' | 'hash' | 'zset' }
  | { op: 'delete'; key: number };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('set-field' as const),
      key: fc.nat(),
      field: fc.nat(),
      value: storedGarbage,
    }),
  },
  fc.record({
    op: fc.constant('add-field' as const),
    key: fc.nat(),
    name: fc.oneof(
      fc.constantFrom('m:__proto__', 'd:__proto__', 'm:x', 'd:cart', 'previous', 'foreign'),
      fc.string({ maxLength: 10 }),
    ),
    value: storedGarbage,
  }),
  fc.record({ op: fc.constant('drop-field' as const), key: fc.nat(), field: fc.nat() }),
  fc.record({
    op: fc.constant('retype' as const),
    key: fc.nat(),
    as: fc.constantFrom('string', 'list', 'hash', 'zset') as fc.Arbitrary<
      'string' | 'list' | 'hash' | 'zset'
    >,
  }),
  fc.record({ op: fc.constant('delete' as const), key: fc.nat() }),
);

/** Applies `c` to the keys under `prefix` and says what it did. */
async function corrupt(client: Redis, prefix: string, c: Corruption): Promise<string> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  keys.sort();
  const key = keys[c.key % Math.max(1, keys.length)];
  if (key === undefined) return 'no keys';
  const name = key.slice(prefix.length);
  const type = await client.type(key);
  const ttl = await client.pttl(key);
  const fields = type === 'hash' ? (await client.hkeys(key)).sort() : [];
  const field = 'field' in c ? fields[c.field % Math.max(1, fields.length)] : undefined;
  switch (c.op) {
    case 'set-field':
      if (type === 'hash' && field !== undefined) await client.hset(key, field, c.value);
      else if (type === 'string') await client.set(key, c.value, 'KEEPTTL');
      else if (type === 'zset') await client.zadd(key, 0, c.value);
      return `${name} ${field ?? ''} = ${c.value.slice(0, 60)}`;
    case 'add-field':
      if (type === 'hash') await client.hset(key, c.name, c.value);
      return `${name} + ${c.name} = ${c.value.slice(0, 60)}`;
    case 'drop-field':
      if (field !== undefined) await client.hdel(key, field);
      return `${name} - ${field}`;
    case 'retype': {
      await client.del(key);
      if (c.as === 'string') await client.set(key, 'x');
      else if (c.as === 'list') await client.rpush(key, 'x');
      else if (c.as === 'hash') await client.hset(key, 'x', '1');
      else await client.zadd(key, 1, 'x');
      if (ttl > 0) await client.pexpire(key, ttl);
      return `${name} (${type}) is now a ${c.as}`;
    }
    case 'delete':
      await client.del(key);
      return `${name} deleted`;
  }
}

/**
 * Store content as bad input: the browser signed in (a cart, perhaps a rotation), then
 * up to three keys under the prefix are broken, and a bad request and the browser's own
 * requests follow. Every answer is under 500 and well-formed; a session whose record is
 * broken may read as none, but the person can always sign in again.
 */
function corruptStoreProperty(client: () => Redis, nextPrefix: () => string) {
  let last: string | null = null;
  return fc
    .asyncProperty(
      fc.constantFrom(0, 16 * MINUTE),
      fc.boolean(),
      fc.array(corruption, { minLength: 1, maxLength: 3 }),
      badRequest,
      fc.context(),
      async (elapsed, withCart, corruptions, input, ctx) => {
        const prefix = nextPrefix();
        last = prefix;
        const clock = manualClock(Date.now());
        const store = redisStore({ client: client(), prefix, now: clock.now, onCorrupt: () => {} });
        const { app, keep, browser, T, R } = await signedInDemo(store, clock);
        if (withCart) await browser('POST', '/api/cart', { item: 'tea' });
        clock.advance(elapsed);
        // A rotation leaves a predecessor and a sealed successor to break.
        if (elapsed > 0) await browser('GET', '/api/me');
        for (const c of corruptions) ctx.log(await corrupt(client(), prefix, c));

        const req = buildRequest(input, renderCookie(T, R, input.cookie));
        if (req !== null) {
          const { res } = await sendChecked(app, req, [T, R], ctx);
          if (carriesSession(input.cookie)) keep(res);
        }
        // The browser's own traffic, whatever the store now holds.
        for (const [method, path, body] of [
          ['GET', '/session/status'],
          ['GET', '/api/me'],
          ['GET', '/session/sessions'],
          ['POST', '/session/extend', {}],
          ['POST', '/api/cart', { item: 'milk' }],
          ['POST', '/session/reauth', {}],
        ] as Array<[string, string, unknown?]>) {
          const res = await browser(method, path, body);
          ctx.log(`${method} ${path} -> ${res.status}`);
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get('Content-Type')).toBe(PROBLEM_CONTENT_TYPE);
        }
        // Whatever broke, signing in again works.
        const login = await browser('POST', '/login', { username: 'demo', password: 'demo' });
        expect(login.status, await login.clone().text()).toBe(200);
        expect((await (await browser('GET', '/api/me')).json()).userId).toBe('demo');
      },
    )
    .afterEach(async () => {
      // Each run's keys go with it: SCAN walks the whole keyspace, which would only grow.
      if (last !== null) await deleteKeys(client(), last);
    });
}

/**
 * Runs per store: enough to reach every route with every kind of flaw in a few seconds.
 * `FUZZ_RUNS=5000` searches deeper (the time limit grows with it).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || null;
const timeLimit = (runs: number) => Math.max(20_000, runs * 60);

describe('bad input over the whole HTTP surface of the demo app', () => {
  const memoryRuns = RUNS ?? 500;
  it(
    'memory store: never a 5xx, a hang, an undocumented 4xx or a lost session',
    async () => {
      await fc.assert(
        badInputProperty(
          (clock) => memoryStore({ now: clock.now }),
          () => 1_700_000_000_000,
        ),
        { numRuns: memoryRuns },
      );
    },
    timeLimit(memoryRuns),
  );

  describe('Redis store', () => {
    const prefix = uniquePrefix('http-fuzz');
    let client: Redis;
    beforeAll(async () => {
      client = await connectRedis();
    });
    afterAll(async () => {
      if (!client) return;
      await deleteKeys(client, prefix);
      client.disconnect();
    });

    const redisRuns = RUNS ?? 200;
    let run = 0;
    it(
      'never a 5xx, a hang, an undocumented 4xx or a lost session',
      async () => {
        await fc.assert(
          badInputProperty(
            // A prefix per run: each run signs the one demo user in again, and a user index
            // holding every earlier run's live sessions would slow each sign-in down.
            (clock) => redisStore({ client, prefix: `${prefix}${++run}:`, now: clock.now }),
            // Real time, so the keys' TTLs lie in the future.
            () => Date.now(),
            () => deleteKeys(client, `${prefix}${run}:`),
          ),
          { numRuns: redisRuns },
        );
      },
      timeLimit(redisRuns),
    );

    const corruptRuns = RUNS ?? 100;
    it(
      'broken store content: never a 5xx or a hang, and signing in again always works',
      async () => {
        await fc.assert(
          corruptStoreProperty(
            () => client,
            () => `${prefix}${++run}:`,
          ),
          { numRuns: corruptRuns },
        );
      },
      timeLimit(corruptRuns),
    );
  });
});
