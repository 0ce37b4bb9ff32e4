import { refuseData, refusePatchData } from '../data-limits.js';
import { tombstoneFollowed } from '../ended.js';
import { refuseMeta, refuseRecord } from '../meta-schema.js';
import { type SessionMethods, setOwn } from '../own.js';
import type { EndedMarker, SessionMeta, SessionPatch, SessionRecord } from '../types.js';
import { copyJson } from './copy.js';
import type { ExpiringTable, Slot } from './expiring-table.js';

/** Meta fields a patch may never change, even from untyped callers. */
const FIXED_META = new Set<string>(['tokenHash', 'previous', 'ended', 'createdAt']);
/** Meta fields a patch may only move forward (see SessionStore.update). */
const FORWARD_META = new Set<string>(['lastActiveAt', 'idleExpiresAt']);
/** Meta fields a patch may only move back (see SessionPatch). */
const BACKWARD_META = new Set<string>(['absoluteExpiresAt']);

function applyPatch(record: SessionRecord, patch: SessionPatch): void {
  for (const [key, value] of Object.entries(patch.set ?? {})) setOwn(record.data, key, value);
  for (const key of patch.unset ?? []) delete record.data[key];
  const meta = record as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch.meta ?? {})) {
    if (FIXED_META.has(key) || value === undefined) continue;
    if (FORWARD_META.has(key) && (value as number) < (meta[key] as number)) continue;
    if (BACKWARD_META.has(key) && (value as number) > (meta[key] as number)) continue;
    meta[key] = value;
  }
}

/**
 * Drops a rotation's sealed successor once its predecessor no longer resolves (confirmed,
 * `until` passed): from then on it would only open the session for someone who read the
 * store and kept an old cookie. No timer: the first read that sees it past drops it.
 */
function forgetSealedPast(record: SessionRecord, now: number): void {
  const previous = record.previous;
  if (previous !== null && previous.confirmed !== false && previous.until <= now) {
    delete previous.sealedSuccessor;
  }
}

/**
 * The session half of the memory store. Every method body is synchronous after its
 * sweep, so no other call can interleave: read-check-write (CAS, conditional update) is
 * atomic without locks. Records go in and out through `copyJson`.
 */
export function sessionMethods(
  table: ExpiringTable<SessionRecord>,
  sweep: () => void,
  now: () => number,
): SessionMethods {
  const live = (sid: string) => {
    const slot = table.get(sid);
    return slot === undefined || slot.value.ended !== null ? undefined : slot;
  };

  /** Turns a live record into a tombstone; synchronous, so its caller's check stays atomic. */
  const endSlot = (
    sid: string,
    slot: Slot<SessionRecord>,
    ended: EndedMarker,
    expiresAt: number,
  ) => {
    const marker = copyJson(ended);
    table.reschedule(sid, slot, expiresAt);
    slot.value.ended = marker;
    slot.value.data = {};
    delete slot.value.previous?.sealedSuccessor;
    table.setUser(sid, slot, null); // the user index lists live sessions only
    table.rerank(slot); // a tombstone ranks by its store deadline
    // When full, tombstones go before any live session.
    table.evictFirst(sid, tombstoneFollowed(slot.value));
  };

  return {
    async get(sid) {
      sweep();
      const slot = table.get(sid);
      if (slot === undefined) return null;
      forgetSealedPast(slot.value, now());
      return copyJson(slot.value);
    },

    async getAndTouch(sid, touch) {
      sweep();
      const slot = table.get(sid);
      if (slot === undefined) return null;
      const record = slot.value;
      if (
        record.ended === null &&
        record.tokenHash === touch.tokenHash &&
        record.lastActiveAt <= touch.dueAtOrBefore &&
        touch.now < record.idleExpiresAt &&
        touch.now < record.absoluteExpiresAt
      ) {
        record.lastActiveAt = touch.now;
        record.idleExpiresAt = Math.min(touch.idleExpiresAt, record.absoluteExpiresAt);
        table.rerank(slot);
      }
      forgetSealedPast(record, now());
      return copyJson(record);
    },

    async create(sid, record, expiresAt) {
      // Checked here, not on reads: what is stored has passed it.
      refuseRecord('memoryStore', record);
      refuseData('memoryStore', record.data);
      sweep();
      if (table.get(sid) !== undefined) return false;
      const copy = copyJson(record);
      table.insert(sid, copy, expiresAt, copy.ended === null ? copy.userId : null);
      if (copy.ended !== null) table.evictFirst(sid, tombstoneFollowed(copy));
      return true;
    },

    async update(sid, patch, expiresAt) {
      refusePatchData('memoryStore', patch);
      if (patch.meta) refuseMeta('memoryStore', patch.meta);
      sweep();
      const slot = live(sid);
      if (slot === undefined) return 'missing';
      // Everything that can throw (cloning, a bad deadline) runs before the record changes.
      const copy = copyJson(patch);
      table.reschedule(sid, slot, expiresAt);
      applyPatch(slot.value, copy);
      table.rerank(slot);
      table.setUser(sid, slot, slot.value.userId);
      return 'ok';
    },

    async rotate(sid, swap, expiresAt) {
      sweep();
      const slot = live(sid);
      if (slot === undefined) return 'missing';
      if (slot.value.tokenHash !== swap.expectedTokenHash) return 'conflict';
      const meta: Partial<SessionMeta> = {
        tokenHash: swap.tokenHash,
        previous: copyJson(swap.previous),
        rotatedAt: swap.rotatedAt,
      };
      table.reschedule(sid, slot, expiresAt);
      Object.assign(slot.value, meta);
      return 'ok';
    },

    async confirmRotation(sid, confirmation) {
      sweep();
      const slot = live(sid);
      if (slot === undefined) return 'missing';
      if (slot.value.tokenHash !== confirmation.tokenHash) return 'conflict';
      slot.value.previous = copyJson(confirmation.previous);
      return 'ok';
    },

    async end(sid, ended, expiresAt) {
      sweep();
      const slot = live(sid);
      if (slot === undefined) return 'missing';
      endSlot(sid, slot, ended, expiresAt);
      return 'ok';
    },

    async endIfExpired(sid, ended, expiresAt, now) {
      sweep();
      const slot = live(sid);
      if (slot === undefined) return 'missing';
      const { idleExpiresAt, absoluteExpiresAt } = slot.value;
      if (now < idleExpiresAt && now < absoluteExpiresAt) return 'live';
      endSlot(sid, slot, ended, expiresAt);
      return 'ok';
    },

    async listByUser(userId) {
      sweep();
      const out: Array<{ sid: string; record: SessionRecord }> = [];
      for (const sid of table.keysOfUser(userId)) {
        const slot = live(sid);
        if (slot !== undefined) out.push({ sid, record: copyJson(slot.value) });
      }
      return out;
    },
  };
}
