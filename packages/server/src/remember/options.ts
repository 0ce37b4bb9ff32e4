import { z } from 'zod';
import { EPOCH_CLOCK, isEpochClock } from '../config/clock.js';
import type { PublicUser } from '../contract/schemas.js';
import { PREFIXED, unprefixed } from '../cookie/name.js';
import { MAX_COOKIE_AGE_S } from '../cookie/serialize.js';
import { storeProblem } from '../store/methods.js';
import { MAX_STORE_TIMEOUT_MS } from '../store/timeout.js';
import type { SessionStore } from '../store/types.js';

/** An audit event of the remember-me credential. `credentialId` is a hash, safe to log. */
export interface RememberEvent {
  /**
   * `unknown`: a well-formed remember-me cookie whose credential the store does not hold
   * (guessed, or forgotten or purged since); its `userId` is `null`.
   */
  type:
    | 'issued'
    | 'used'
    | 'forgotten'
    | 'expired'
    | 'user-disabled'
    | 'theft-suspected'
    | 'unknown';
  /** The credential's id: a hash of the cookie's token, never the token itself. */
  credentialId: string;
  userId: string | null;
  at: number;
}

/** Options of `rememberMe()`. */
export interface RememberMeOptions {
  /** Where credentials live: the same store as the sessions. Required. */
  store: SessionStore;
  /**
   * Looks the user up at every re-authentication: their public claims, or `null` (or
   * `undefined`, as `Map.get` gives) when the account is disabled or gone (re-authentication then fails and the credential dies).
   */
  findUser: (
    userId: string,
  ) =>
    | NonNullable<PublicUser>
    | null
    | undefined
    | Promise<NonNullable<PublicUser> | null | undefined>;
  /** Lifetime of a credential from its issue, in ms; use does not extend it. Default 30 days, at most 400. */
  maxAgeMs?: number;
  /**
   * How long, in ms, the validator a use replaced still works, for parallel uses of the
   * same cookie (two tabs, a retry): they get the current validator and a session of their
   * own instead of being taken for theft. After it, the replaced validator is theft again.
   * Default 10 s (as sessions' `rotationGrace`), at most 60 s; 0 turns it off.
   */
  graceMs?: number;
  /** Cookie name; `__Host-` is prefixed on HTTPS. Default `lifeline_remember`. */
  cookieName?: string;
  /**
   * Force the `Secure` flag and `__Host-` prefix on or off. Default: on whenever `session()`
   * gave the request's session cookie them, or the request is HTTPS.
   */
  secure?: boolean;
  /**
   * Trust `X-Forwarded-Proto` to decide whether the request is HTTPS, for requests that
   * `session()` has not already judged HTTPS. Default `false`.
   */
  trustProxy?: boolean;
  /** Key for HMAC-SHA-256 of the stored hashes (at least 32 bytes in UTF-8, as `session({ secret })`). Default: plain SHA-256. */
  secret?: string;
  /**
   * A store call slower than this counts as an outage (503 `store_unavailable`). Default
   * 2000 ms, at most 60 s (as `session()`'s).
   */
  storeTimeout?: number;
  /** The clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /**
   * Audit hook: issue, use, forget, expiry, disabled account, suspected theft. Awaited; its
   * errors are ignored. On `theft-suspected` an app may end the user's sessions too.
   */
  onEvent?: (event: RememberEvent) => void | Promise<void>;
}

/** The longest grace window `graceMs` may set. */
export const MAX_GRACE_MS = 60_000;

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `must be ${what}`);

// Every store method rememberMe calls: a store without one would fail a request later.
const STORE_METHODS = [
  'getCredential',
  'createCredential',
  'rotateCredential',
  'deleteCredential',
] as const;

// Strict: a misspelt option (`maxAge` for `maxAgeMs`) would otherwise leave its default in force.
const schema = z.strictObject({
  store: z.custom<SessionStore>((v) => storeProblem(v, STORE_METHODS) === undefined, {
    error: (issue) => storeProblem(issue.input, STORE_METHODS),
  }),
  findUser: fn('a function (userId) => user | null'),
  maxAgeMs: z
    .number()
    .int()
    .min(60_000)
    .max(MAX_COOKIE_AGE_S * 1000, 'must be at most 400 days (RFC 6265bis)')
    .default(30 * 24 * 60 * 60 * 1000),
  graceMs: z.number().int().min(0).max(MAX_GRACE_MS).default(10_000),
  cookieName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .refine(unprefixed, PREFIXED)
    .default('lifeline_remember'),
  secure: z.boolean().optional(),
  trustProxy: z.boolean().default(false),
  storeTimeout: z
    .number()
    .int()
    .positive()
    .max(MAX_STORE_TIMEOUT_MS, 'must be at most 60 s')
    .default(2000),
  // Bytes, as session({ secret }) counts them: one string must pass both or neither.
  secret: z
    .string()
    .refine((s) => new TextEncoder().encode(s).length >= 32, 'must be at least 32 bytes')
    .optional(),
  now: z.custom<() => number>(isEpochClock, EPOCH_CLOCK).optional(),
  onEvent: fn('a function').optional(),
});

/** The options with defaults applied, after validation. */
export type ResolvedRememberOptions = Required<
  Omit<RememberMeOptions, 'secure' | 'secret' | 'onEvent'>
> &
  Pick<RememberMeOptions, 'secure' | 'secret' | 'onEvent'>;

/** Validates once at start-up; the error names the offending option. */
export function resolveRememberOptions(options: RememberMeOptions): ResolvedRememberOptions {
  const result = schema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      throw new TypeError(`rememberMe: \`${issue.keys[0]}\` is not an option`);
    }
    const path = issue?.path.join('.') || 'options';
    throw new TypeError(`rememberMe: \`${path}\` ${issue?.message ?? 'is invalid'}`);
  }
  const { store, findUser, secure, secret, onEvent, now = Date.now } = options;
  const { maxAgeMs, graceMs, cookieName, storeTimeout, trustProxy } = result.data;
  return {
    ...{ store, findUser, maxAgeMs, graceMs, cookieName, storeTimeout, trustProxy },
    ...{ now, secure, secret, onEvent },
  };
}
