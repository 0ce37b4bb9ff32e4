import type { ResolvedOptions } from '../config/options.js';
import type { Emit } from '../events/emit.js';
import type { SessionEvent } from '../events/types.js';
import type { SessionRecord, SessionStore } from '../store/types.js';
import type { TokenHasher } from '../token/hasher.js';

/** What one `session()` instance shares between its requests and its manager. */
export interface Runtime {
  options: ResolvedOptions;
  /** The configured store behind the timeout guard. */
  store: SessionStore;
  hasher: TokenHasher;
  emit: Emit;
}

/**
 * How long the store keeps a record: one idle period past its absolute deadline, so a
 * request arriving just after any ending still learns the exact reason from the tombstone.
 */
export function retainUntil(
  rt: Runtime,
  record: Pick<SessionRecord, 'absoluteExpiresAt'>,
  now: number,
): number {
  return Math.max(record.absoluteExpiresAt, now) + rt.options.idleTimeout;
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

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
