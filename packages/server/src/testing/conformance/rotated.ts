import type { PreviousToken, SessionRecord, SessionStore } from '../../store/types.js';
import { randomKey, sessionRecord } from '../fixtures.js';

const HOUR = 3_600_000;

/**
 * A new session rotated once, its predecessor's window ending at `until` (`confirmed` as
 * given, absent when not) and its successor sealed as `sealed-<sid>`.
 */
export async function rotatedSession(
  store: SessionStore,
  { until, confirmed }: { until: number; confirmed?: boolean },
): Promise<{ sid: string; record: SessionRecord; previous: PreviousToken; tokenHash: string }> {
  const sid = randomKey('sid');
  const record = sessionRecord({ data: { cart: ['fig'] } });
  await store.create(sid, record, Date.now() + HOUR);
  const previous: PreviousToken = { tokenHash: record.tokenHash, until };
  previous.sealedSuccessor = `sealed-${sid}`;
  if (confirmed !== undefined) previous.confirmed = confirmed;
  const tokenHash = `next-${sid}`;
  const swap = { expectedTokenHash: record.tokenHash, tokenHash, previous, rotatedAt: Date.now() };
  const result = await store.rotate(sid, swap, Date.now() + HOUR);
  if (result !== 'ok') throw new Error(`rotate answered ${result}, not ok`);
  return { sid, record, previous, tokenHash };
}

/**
 * The record under `sid` as the middleware sees it on the grace path: a store that keeps
 * the sealed successor apart (`getSealedSuccessor`) has it filled into `previous`.
 */
export async function readWhole(store: SessionStore, sid: string): Promise<SessionRecord | null> {
  const record = await store.get(sid);
  const previous = record?.previous;
  if (previous && previous.sealedSuccessor === undefined && store.getSealedSuccessor) {
    const sealed = await store.getSealedSuccessor(sid);
    if (sealed !== null) previous.sealedSuccessor = sealed;
  }
  return record;
}
