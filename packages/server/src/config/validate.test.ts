import { describe, expect, it } from 'vitest';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import type { SessionOptions } from './options.js';
import { resolveOptions } from './validate.js';

const MIN = 60_000;

/** A memory store without `method`. */
function without(method: keyof SessionStore): SessionStore {
  const store: Partial<SessionStore> = { ...memoryStore() };
  delete store[method];
  return store as SessionStore;
}

/** A memory store with only the session methods of an older SessionStore. */
function sessionMethodsOnly(): SessionStore {
  const { get, create, update, rotate, end, listByUser } = memoryStore();
  return { get, create, update, rotate, end, listByUser } as SessionStore;
}

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const o = resolveOptions();
    expect(o).toMatchObject({
      idleTimeout: 30 * MIN,
      absoluteTimeout: 480 * MIN,
      touchInterval: 3 * MIN,
      rotationInterval: 15 * MIN,
      rotationGrace: 10_000,
      cookie: { name: 'lifeline', sameSite: 'Lax', secure: 'auto' },
      trustProxy: false,
      origins: new Set(),
      onTheft: 'log',
      bindUserAgent: false,
      maxSessionsPerUser: null,
      onSessionLimit: 'evict-oldest',
      storeTimeout: 2_000,
      clearSiteData: ['cookies'],
      reauth: null,
    });
    expect(typeof o.store.get).toBe('function');
  });

  it.each<[string, SessionOptions, RegExp]>([
    ['a short secret', { secret: 'too-short' }, /"secret".*32 bytes/],
    [
      'SameSite=None without Secure',
      { cookie: { sameSite: 'None' } },
      /"cookie\.sameSite".*secure/,
    ],
    [
      'absolute shorter than idle',
      { idleTimeout: 10 * MIN, absoluteTimeout: 5 * MIN },
      /"absoluteTimeout"/,
    ],
    ['a grace window over the cap', { rotationGrace: 5 * MIN }, /"rotationGrace"/],
    [
      'an origin with a path',
      { origins: ['https://app.example.com/app'] },
      /option "origins\.0" must list bare origins like https:\/\/app\.example\.com$/,
    ],
    ['an origin that is no URL', { origins: ['app.example.com'] }, /option "origins\.0" must/],
    ['an opaque origin', { origins: ['https://a.example', 'null'] }, /option "origins\.1" must/],
    ['origins as one string', { origins: 'https://a.example' as never }, /option "origins"/],
    [
      "no grace window with onTheft: 'revoke' (parallel requests would sign out)",
      { rotationGrace: 999, onTheft: 'revoke' },
      /option "rotationGrace" must be at least 1 s with onTheft: 'revoke'$/,
    ],
    [
      'a store timeout over a minute',
      { storeTimeout: MIN + 1 },
      /option "storeTimeout" must be at most 60 s$/,
    ],
    [
      'a grace window not under the rotation interval',
      { rotationInterval: 5_000, rotationGrace: 5_000 },
      /"rotationGrace"/,
    ],
    // Accepted before: meant as seconds, it gave a 60 ms idle timeout.
    [
      'an idle timeout given in seconds',
      { idleTimeout: 60 },
      /option "idleTimeout" must be at least 1000 \(milliseconds/,
    ],
    [
      'a lifetime over 400 days',
      { absoluteTimeout: 401 * 24 * 60 * MIN },
      /"absoluteTimeout".*400 days/,
    ],
    // Accepted before: activity never moved the idle deadline, so an active user was
    // signed out at the idle timeout.
    [
      'a touch interval as long as the idle timeout',
      { idleTimeout: MIN, touchInterval: MIN },
      /"touchInterval".*shorter than idleTimeout/,
    ],
    ['a negative idle timeout', { idleTimeout: -1 }, /"idleTimeout"/],
    ['an unknown option', { idleTimout: 5 } as SessionOptions, /option "idleTimout" is unknown$/],
    ['a cookie name with a space', { cookie: { name: 'my session' } }, /"cookie\.name"/],
    ['a store without methods', { store: {} as never }, /"store"/],
    // Accepted before: revokeUser and logout then answered 500 (x is not a function).
    [
      'a store without the credential methods',
      { store: sessionMethodsOnly() },
      /option "store" must implement SessionStore: getCredential\(\) is missing$/,
    ],
    [
      'a store without deleteCredentialsOfUser',
      { store: without('deleteCredentialsOfUser') },
      /"store".*deleteCredentialsOfUser\(\) is missing$/,
    ],
    [
      'a store that is not an object',
      { store: 'redis' as never },
      /"store" must be a SessionStore/,
    ],
    ['an unknown theft response', { onTheft: 'ignore' as never }, /"onTheft"/],
    [
      'a cookie name with its own prefix',
      { cookie: { name: '__Host-sid' } },
      /"cookie\.name".*__Host-/,
    ],
    ['a cookie name with a Secure prefix', { cookie: { name: '__secure-sid' } }, /"cookie\.name"/],
    [
      "the re-auth strategy's cookie name",
      {
        cookie: { name: 'remember' },
        reauth: {
          cookieName: 'remember',
          canReauth: () => false,
          reauthenticate: async () => null,
        },
      },
      /"cookie\.name".*re-auth/,
    ],
    [
      "the re-auth strategy's cookie name as the renewal receipt's",
      {
        cookie: { name: 'sid' },
        reauth: {
          cookieName: 'sid-renewed',
          canReauth: () => false,
          reauthenticate: async () => null,
        },
      },
      /"cookie\.name".*receipt/,
    ],
    // Each of these used to be accepted, then failed every store write as a 503.
    ['a clock with fractions', { now: () => performance.timeOrigin + 0.5 }, /"now".*whole epoch/],
    ['a clock reading NaN', { now: () => Number.NaN }, /"now"/],
    // Accepted before: every timeout read a thousand times too short (30 min as 1.8 s).
    ['a clock counting microseconds', { now: () => Date.now() * 1000 }, /"now".*year 10000/],
    // Accepted before: every sign-in then failed as a store outage (a deadline past `Date`).
    ['a clock reading past the year 9999', { now: () => Number.MAX_SAFE_INTEGER }, /"now"/],
    ['a clock reading a string', { now: (() => '1700000000000') as never }, /"now"/],
    ['a clock that throws', { now: () => JSON.parse('{') as number }, /"now"/],
    ['a clock that is not a function', { now: 1_700_000_000_000 as never }, /"now"/],
    // Unknown keys used to read `option "(options)" Unrecognized key: "nme"`.
    [
      'an unknown cookie option',
      { cookie: { nme: 'x' } } as never,
      /option "cookie\.nme" is unknown$/,
    ],
  ])('refuses %s, naming the option', (_, options, message) => {
    expect(() => resolveOptions(options)).toThrow(message);
  });

  it('accepts a store whose methods are inherited, as a class instance has them', () => {
    const store = Object.create(memoryStore()) as SessionStore;
    expect(resolveOptions({ store }).store).toBe(store);
  });

  it('accepts a whole-millisecond clock, and uses it', () => {
    expect(resolveOptions({ now: () => 1_700_000_000_000 }).now()).toBe(1_700_000_000_000);
  });

  it('accepts SameSite=None when the cookie is always Secure', () => {
    expect(resolveOptions({ cookie: { sameSite: 'None', secure: true } }).cookie.sameSite).toBe(
      'None',
    );
  });
});
