import { z } from 'zod';
import { PREFIXED, receiptName, unprefixed } from '../cookie/name.js';
import { bareOrigin } from '../csrf/origin.js';
import { guardHook } from '../events/hook.js';
import { strategyStores } from '../remember/strategy-store.js';
import type { ReauthStrategy } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import { storeProblem } from '../store/methods.js';
import { MAX_STORE_TIMEOUT_MS } from '../store/timeout.js';
import { EPOCH_CLOCK, isEpochClock } from './clock.js';
import type { ResolvedOptions, SessionOptions } from './options.js';

const MINUTE = 60_000;
const MAX_AGE_MS = 400 * 24 * 60 * MINUTE;
const MAX_GRACE_MS = 60_000;
/** The least grace that lets a browser's requests in flight across a rotation through. */
const MIN_GRACE_WITH_REVOKE_MS = 1_000;
// At least a second: `idleTimeout: 60` meant as seconds would otherwise be 60 ms.
const duration = z
  .number()
  .int()
  .min(1000, 'must be at least 1000 (milliseconds: 60 is 60 ms, not a minute)')
  .max(MAX_AGE_MS, 'must be at most 400 days');
const fn = z.custom<(...args: never[]) => unknown>(
  (v) => typeof v === 'function',
  'must be a function',
);
// Every method session() calls: the credential ones too, since logout and revokeUser
// delete credentials with or without remember-me.
const STORE_METHODS = [
  'get',
  'create',
  'update',
  'rotate',
  'end',
  'listByUser',
  'getCredential',
  'deleteCredential',
  'deleteCredentialsOfUser',
] as const;
const BARE_ORIGIN = 'must list bare origins like https://app.example.com';
const store = z.custom<NonNullable<SessionOptions['store']>>(
  (v) => storeProblem(v, STORE_METHODS) === undefined,
  { error: (issue) => storeProblem(issue.input, STORE_METHODS) },
);
const reauth = z.custom<NonNullable<SessionOptions['reauth']>>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Record<string, unknown>).canReauth === 'function' &&
    typeof (v as Record<string, unknown>).reauthenticate === 'function',
  'must implement ReauthStrategy',
);

const schema = z
  .strictObject({
    store: store.optional(),
    idleTimeout: duration.default(30 * MINUTE),
    absoluteTimeout: duration.default(8 * 60 * MINUTE),
    touchInterval: z.number().int().nonnegative().optional(),
    rotationInterval: duration.default(15 * MINUTE),
    rotationGrace: z
      .number()
      .int()
      .nonnegative()
      .max(MAX_GRACE_MS, 'must be at most 60 s')
      .default(10_000),
    secret: z
      .string()
      .refine((s) => new TextEncoder().encode(s).length >= 32, 'must be at least 32 bytes')
      .optional(),
    cookie: z
      .strictObject({
        // RFC 6265 token characters only, and short: the whole cookie must fit in 4096 bytes.
        name: z
          .string()
          .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'must be a cookie token of 1-64 characters')
          .refine(unprefixed, PREFIXED)
          .default('lifeline'),
        sameSite: z.enum(['Lax', 'Strict', 'None']).default('Lax'),
        secure: z.union([z.literal('auto'), z.boolean()]).default('auto'),
      })
      .default({ name: 'lifeline', sameSite: 'Lax', secure: 'auto' }),
    trustProxy: z.boolean().default(false),
    origins: z
      .array(
        z.string().transform((v, ctx) => {
          const origin = bareOrigin(v);
          if (origin === null) ctx.addIssue({ code: 'custom', message: BARE_ORIGIN });
          return origin ?? v;
        }),
      )
      .default([]),
    now: z.custom<() => number>(isEpochClock, EPOCH_CLOCK).optional(),
    reauth: reauth.optional(),
    onEvent: fn.optional(),
    location: fn.optional(),
    onTheft: z.enum(['log', 'revoke']).default('log'),
    bindUserAgent: z.union([z.literal(false), z.enum(['log', 'revoke'])]).default(false),
    maxSessionsPerUser: z.number().int().positive().optional(),
    onSessionLimit: z.enum(['evict-oldest', 'refuse']).default('evict-oldest'),
    storeTimeout: z
      .number()
      .int()
      .positive()
      .max(MAX_STORE_TIMEOUT_MS, 'must be at most 60 s')
      .default(2_000),
    clearSiteData: z.array(z.enum(['cookies', 'storage', 'cache'])).default(['cookies']),
  })
  .superRefine((o, ctx) => {
    const fail = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: path.split('.'), message });
    if (o.absoluteTimeout < o.idleTimeout)
      fail('absoluteTimeout', 'must not be less than idleTimeout');
    // A touch falls due only once the last one is touchInterval old; at idleTimeout that
    // is the instant the session has already timed out, so activity would never count.
    if (o.touchInterval !== undefined && o.touchInterval >= o.idleTimeout)
      fail('touchInterval', 'must be shorter than idleTimeout');
    if (o.rotationGrace >= o.rotationInterval)
      fail('rotationGrace', 'must be shorter than rotationInterval');
    // Without a grace, a browser's own parallel requests across a rotation present the
    // replaced token: read as theft, each would sign the person out.
    if (o.onTheft === 'revoke' && o.rotationGrace < MIN_GRACE_WITH_REVOKE_MS)
      fail('rotationGrace', "must be at least 1 s with onTheft: 'revoke'");
    if (o.cookie.sameSite === 'None' && o.cookie.secure !== true)
      fail('cookie.sameSite', '"None" requires cookie.secure: true');
    const reauthCookie = (o.reauth as ReauthStrategy | undefined)?.cookieName;
    if (reauthCookie === o.cookie.name || reauthCookie === receiptName(o.cookie.name))
      fail(
        'cookie.name',
        "must differ from the re-auth strategy's cookie name (and its receipt's)",
      );
    // A rememberMe() keeps credentials in the session store; left out here, `store` would be
    // a memory store of its own and every re-auth would fail. Refused rather than defaulted,
    // so sessions never move to another store without a word. Two stores given are not
    // compared: a wrapper (tracing, metrics) of the same store is another object.
    if (
      o.store === undefined &&
      strategyStores.has((o.reauth as ReauthStrategy | undefined)?.reauthenticate ?? {})
    )
      fail('store', 'must be given: the store passed to rememberMe(), where its credentials live');
  });

/** Thrown at start-up for a bad option; the message names the option. */
export class SessionOptionsError extends TypeError {
  override name = 'SessionOptionsError';
}

/**
 * Validates `session()` options once, at creation, and fills in the defaults.
 *
 * @example
 * resolveOptions({ idleTimeout: 60_000 }); // throws for { sameSite: 'None' } without secure
 */
export function resolveOptions(input: SessionOptions = {}): ResolvedOptions {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A misspelt option names itself, not the object it sits in.
    const unknown = issue?.code === 'unrecognized_keys';
    const path = [...(issue?.path ?? []), ...(unknown ? issue.keys.slice(0, 1) : [])].join('.');
    const message = unknown ? 'is unknown' : (issue?.message ?? 'is invalid');
    throw new SessionOptionsError(`lifeline session(): option "${path || '(options)'}" ${message}`);
  }
  const o = parsed.data;
  const now = (o.now as (() => number) | undefined) ?? Date.now;
  return {
    ...o,
    store: o.store ?? memoryStore({ now }),
    touchInterval: o.touchInterval ?? Math.floor(o.idleTimeout / 10),
    secret: o.secret,
    now,
    reauth: o.reauth ?? null,
    onEvent: o.onEvent as ResolvedOptions['onEvent'],
    // Guarded once here, not at each sign-in: a throw or a rejection is reported, not raised.
    location:
      guardHook(
        'session location',
        o.location as NonNullable<ResolvedOptions['location']> | undefined,
      ) ?? null,
    maxSessionsPerUser: o.maxSessionsPerUser ?? null,
    origins: new Set(o.origins),
  };
}
