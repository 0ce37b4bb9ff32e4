import type { EndedMarker, SessionRecord } from '../store/types.js';
import { type DestroyedEvent, endRecord, isRenewal, isSwitch } from './end-record.js';
import type { Runtime } from './runtime.js';

/** How many renewals are followed; each one took the other side a whole request. */
const MAX_FOLLOW = 20;

/** A session as far as its renewals lead: live, or the tombstone where the trail ends. */
export interface Reached {
  sid: string;
  record: SessionRecord;
}

/**
 * Where the session `sid` (read as `record`, if known) is now: itself while live, else
 * the successor that a renewal other than a sign-in (a privilege change, a re-auth) named
 * on its tombstone, and so on, while it stays the same user's (store content gone wrong
 * never leads to someone else's) and within `MAX_FOLLOW` steps. `null` when `sid` is gone;
 * an ended record when the trail ends there. Every sid passed goes into `path`, and with
 * its record into `records`.
 */
export async function currentSession(
  rt: Runtime,
  sid: string,
  record: SessionRecord | null,
  path?: Set<string>,
  records?: Map<string, SessionRecord>,
): Promise<Reached | null> {
  let at = sid;
  let current = record ?? (await rt.store.get(sid));
  if (!current) return null;
  const { userId } = current;
  for (let step = 0; step < MAX_FOLLOW; step++) {
    path?.add(at);
    records?.set(at, current);
    const next = isRenewal(current.ended) ? current.ended?.successor : undefined;
    if (next === undefined) break;
    const successor = await rt.store.get(next);
    if (!successor || successor.userId !== userId) break;
    at = next;
    current = successor;
  }
  return { sid: at, record: current };
}

/**
 * Whether the session `sid` (read as `record`) was replaced by a sign-in as another user,
 * itself or where its renewals lead (a privilege change, then the sign-in): a request sent
 * with its cookie is then the previous user's, never to be repeated as the new one.
 */
export async function switchedAway(
  rt: Runtime,
  sid: string,
  record: SessionRecord,
): Promise<boolean> {
  if (isSwitch(record.ended)) return true;
  if (!isRenewal(record.ended) || record.ended?.successor === undefined) return false;
  return isSwitch((await currentSession(rt, sid, record))?.record.ended);
}

/** Every sid on `sid`'s renewal trail (none for none): a caller's own, to spare. */
export async function trailOf(rt: Runtime, sid: string | null | undefined): Promise<Set<string>> {
  const trail = new Set<string>();
  if (sid) await currentSession(rt, sid, null, trail);
  return trail;
}

/**
 * Ends the session `sid` is now (see {@link currentSession}): a revocation racing a
 * privilege change still ends the session the device holds. Never one on `except`'s
 * trail. Returns whether it ended one, and the session it ended or where the trail ended.
 * `destroyed` as in {@link endRecord}.
 */
export async function endCurrent(
  rt: Runtime,
  sid: string,
  ended: EndedMarker,
  record: SessionRecord | null,
  except: ReadonlySet<string> = new Set(),
  destroyed: DestroyedEvent | null = null,
): Promise<{ ended: true; reached: Reached } | { ended: false; reached: Reached | null }> {
  let reached = await currentSession(rt, sid, record);
  for (let attempt = 0; attempt < MAX_FOLLOW; attempt++) {
    if (!reached || reached.record.ended || except.has(reached.sid)) break;
    if (await endRecord(rt, reached.sid, reached.record, ended.at, ended, destroyed)) {
      return { ended: true, reached };
    }
    // Ended under us: see how, and follow it if it was renewed.
    reached = await currentSession(rt, reached.sid, null);
  }
  return { ended: false, reached };
}
