import type { Context } from 'hono';
import type { ResolvedOptions } from '../config/options.js';
import type { Emit } from '../events/emit.js';
import type { SessionEvent } from '../events/types.js';
import type { SessionRecord, SessionStore, TouchIfDue } from '../store/types.js';
import type { TokenHasher } from '../token/hasher.js';
import type { SessionCookies } from './respond.js';

/** What one `session()` instance shares between its requests and its manager. */
export interface Runtime {
  options: ResolvedOptions;
  /** The configured store behind the timeout guard. */
  store: SessionStore;
  hasher: TokenHasher;
  emit: Emit;
  /** The session cookie's attributes over http and https, and both its names. */
  cookies: SessionCookies;
}

/**
 * The throttled touch a request at `now` makes when due, for `store.getAndTouch`: with the
 * read (a GET) or after the handler (other methods), only for the record's current token.
 */
export function touchIfDue(rt: Runtime, tokenHash: string, now: number): TouchIfDue {
  return {
    tokenHash,
    dueAtOrBefore: now - rt.options.touchInterval,
    now,
    idleExpiresAt: now + rt.options.idleTimeout,
  };
}

/**
 * How long the store keeps a record: one idle period past its absolute deadline, so a
 * request arriving just after any ending still learns the exact reason from the tombstone.
 * Not from now: a tombstone written after the absolute deadline (an ending found late)
 * would otherwise outlive the retention the docs give by up to an idle period. The floor
 * only matters to a store that kept a record past that instant.
 */
export function retainUntil(
  rt: Runtime,
  record: Pick<SessionRecord, 'absoluteExpiresAt'>,
  now: number,
): number {
  return Math.max(record.absoluteExpiresAt + rt.options.idleTimeout, now);
}

/** Emits an event with the common fields filled in. */
export function emitFor(
  rt: Runtime,
  now: number,
  sid: string | null,
  userId: string | null,
  event: DistributiveOmit<SessionEvent, 'at' | 'sid' | 'userId'>,
): void {
  rt.emit({ ...event, at: now, sid, userId } as SessionEvent);
}

/** What a new session records about the device that created it ("your devices" lists). */
export interface ClientFacts {
  userAgent: string | null;
  location: string | null;
  /**
   * A sign-in's only: the remember-me credential the browser's cookie names, checked by the
   * strategy (the user's own, live, a validator its re-auth takes). The session limit knows
   * this device's other sessions by it, and the new session links it as it is created.
   */
  heldCredential?: string | null;
}

/**
 * The most of a `User-Agent` a session keeps (real ones are under 300 characters). Kept
 * whole, one account signing in with a 15 KB header took 15.5 KB a session: a memory
 * store at its 100k bound held 1.5 GB, and the process ran out of heap.
 */
const MAX_USER_AGENT = 512;

/** The request's `User-Agent` as a session records and compares it. */
export function deviceUserAgent(header: string | undefined | null): string | null {
  return header == null ? null : header.slice(0, MAX_USER_AGENT);
}

/**
 * The request's device facts. Called only when a session is created, so an app's
 * location lookup never costs an ordinary request anything; a failing lookup is unknown.
 */
export function clientFacts(rt: Runtime, c: Context): ClientFacts {
  // Never awaited, so a slow lookup cannot stall a sign-in: an async one's promise is not
  // a string (unknown). The hook is guarded where the options are resolved.
  const location: unknown = rt.options.location?.(c);
  return {
    userAgent: deviceUserAgent(c.req.header('User-Agent')),
    location: typeof location === 'string' && location.length <= 200 ? location : null,
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
