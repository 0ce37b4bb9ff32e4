import { EPOCH_CLOCK, isEpochClock } from '../../config/clock.js';
import { type KnownOptions, refuseUnknownOptions } from '../../config/known-options.js';
import { shown } from '../../config/shown.js';
import { guardHook } from '../../events/hook.js';
import { declareOwnTimeLimits } from '../deadlines.js';
import type { CredentialRecord, SessionRecord, SessionStore } from '../types.js';
import { credentialMethods } from './credentials.js';
import { type DropCause, type EvictionRank, ExpiringTable, type Slot } from './expiring-table.js';
import { sessionMethods } from './sessions.js';

/** A record the memory store dropped to stay within its bound, reported to `onEvict`. */
export interface MemoryEviction {
  kind: 'session' | 'credential';
  /** The store key: a session's `sid` or a credential's id (both hashes, safe to log). */
  id: string;
  userId: string | null;
  /** The deadline the record would have lived to. */
  expiresAt: number;
}

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Most session records held, tombstones included. Default `100_000`. */
  maxSessions?: number;
  /** Most remember-me credentials held. Default `100_000`. */
  maxCredentials?: number;
  /** The clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /**
   * Told about every record dropped while still usable because the store was full (not a
   * session that had idled out), and about a tombstone a revocation still follows (see
   * docs/stores.md). Default: none.
   */
  onEvict?: (evicted: MemoryEviction) => void;
}

/** What the store holds and what expiry has cost so far. */
export interface MemoryStoreStats {
  sessions: number;
  credentials: number;
  /** Expiry-heap entries, stale ones included (stays within about twice the records). */
  scheduled: number;
  /** Heap entries examined by sweeps and evictions: grows with what expired or was evicted, not with size. */
  examined: number;
  expired: number;
  evicted: number;
}

/** The memory store: a {@link SessionStore} plus introspection. */
export interface MemoryStore extends SessionStore {
  stats(): MemoryStoreStats;
  close(): Promise<void>;
}

type Owned = { userId: string | null };

/**
 * A session is of no use past its idle or absolute deadline, though `session()` keeps its
 * record until its retention so a late request learns why it ended: when full, evict by
 * the first. A session that idled out goes before any usable one, and among usable ones
 * the one closest to its idle deadline (the least recently active) goes first.
 */
const usableUntil: EvictionRank<SessionRecord> = ({ value, expiresAt }) =>
  // A tombstone goes by its own order (`evictFirst`); by its session's idle deadline it
  // would pass for a session that idled out, and go before its turn.
  value.ended !== null
    ? expiresAt
    : earlier(value.idleExpiresAt, earlier(value.absoluteExpiresAt, expiresAt));

/** `a` when it is a number before `b`; a hand-made record's null is not 0. */
const earlier = (a: unknown, b: number): number => (typeof a === 'number' && a < b ? a : b);

const MEMORY_STORE_OPTIONS: KnownOptions<MemoryStoreOptions> = {
  maxSessions: true,
  maxCredentials: true,
  now: true,
  onEvict: true,
};

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`memoryStore: \`${name}\` must be a positive integer, got ${shown(value)}`);
  }
  return value;
}

/**
 * The embedded default store: one process, no dependencies, no timers (runs on Workers).
 *
 * Bounded: when a create would exceed `maxSessions`, an ended session's tombstone is dropped
 * first, then the session that stopped (or will stop) being usable first, by its idle or
 * absolute deadline; past `maxCredentials`, the credential with the earliest deadline.
 * `onEvict` reports a record dropped while still usable.
 * Expiry is swept at the start of each operation from a min-heap of deadlines, so it costs
 * O(expired), never a scan of every record. Records are copied in and out with
 * `copyJson`, so callers cannot change stored state by mutating what they hold.
 * Use the Redis store when several server instances share sessions.
 *
 * @example
 * const store = memoryStore({ maxSessions: 10_000, onEvict: (e) => log.warn('evicted', e) });
 * app.use(session({ store }));
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  refuseUnknownOptions('memoryStore', options, MEMORY_STORE_OPTIONS);
  const { maxSessions = 100_000, maxCredentials = 100_000, now = Date.now, onEvict } = options;
  if (!isEpochClock(now)) throw new TypeError(`memoryStore: \`now\` ${EPOCH_CLOCK}`);
  // Checked here, or the first eviction would throw inside a request (a 500).
  if (onEvict !== undefined && typeof onEvict !== 'function') {
    throw new TypeError('memoryStore: `onEvict` must be a function');
  }
  // A logging hook that fails must not fail the create that evicted (a 503 sign-in).
  const evicted = guardHook('memoryStore onEvict', onEvict);
  const report =
    (kind: MemoryEviction['kind']) => (id: string, slot: Slot<Owned>, cause: DropCause) => {
      if (cause !== 'evicted' || evicted === undefined) return;
      evicted({ kind, id, userId: slot.value.userId, expiresAt: slot.expiresAt });
    };
  const sessions = new ExpiringTable<SessionRecord>(
    positiveInteger('maxSessions', maxSessions),
    now,
    report('session'),
    usableUntil,
  );
  const credentials = new ExpiringTable<CredentialRecord>(
    positiveInteger('maxCredentials', maxCredentials),
    now,
    report('credential'),
  );
  const sweep = (): void => {
    sessions.sweep();
    credentials.sweep();
  };
  const store: MemoryStore = {
    ...sessionMethods(sessions, sweep, now),
    ...credentialMethods(credentials, sweep, now),
    stats(): MemoryStoreStats {
      const c = sessions.counters;
      const k = credentials.counters;
      return {
        sessions: sessions.size,
        credentials: credentials.size,
        scheduled: sessions.scheduled + credentials.scheduled,
        examined: c.examined + k.examined,
        expired: c.expired + k.expired,
        evicted: c.evicted + k.evicted,
      };
    },
    async close(): Promise<void> {},
  };
  // Every call is synchronous after its sweep: it has settled when it returns.
  return declareOwnTimeLimits(store, Object.fromEntries(Object.keys(store).map((k) => [k, 0])));
}
