import { isEndReason, parseUser } from './parse.js';
import type { TabMessage } from './types.js';

const TRIGGERS = ['activity', 'user', 'timer', 'wake', 'status', 'response', 'local'];
const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Validates a message from another tab. Anything that is not a well-formed version-1
 * message (garbage, another version of the SDK) yields `null` and is ignored.
 */
export function parseTabMessage(m: unknown): TabMessage | null {
  if (typeof m !== 'object' || m === null) return null;
  const r = m as Record<string, unknown>;
  if (r.v !== 1 || typeof r.from !== 'string' || r.from.length > 100) return null;
  const from = r.from;
  if (r.kind === 'activity')
    return isTime(r.at) ? { v: 1, from, kind: 'activity', at: r.at } : null;
  const trigger = r.trigger;
  if (typeof trigger !== 'string' || !TRIGGERS.includes(trigger)) return null;
  const t = trigger as Extract<TabMessage, { kind: 'ended' }>['trigger'];
  if (r.kind === 'ended') {
    if (!isEndReason(r.reason) || (r.phase !== 'expired' && r.phase !== 'signed-out')) return null;
    return { v: 1, from, kind: 'ended', phase: r.phase, reason: r.reason, trigger: t };
  }
  if (r.kind !== 'deadlines' || !isTime(r.idle) || !isTime(r.absolute)) return null;
  if (!Number.isFinite(r.offset) || typeof r.canReauth !== 'boolean') return null;
  if (typeof r.extended !== 'boolean' || typeof r.reauthenticated !== 'boolean') return null;
  const user = parseUser(r.user);
  if (user === undefined) return null;
  return {
    v: 1,
    from,
    kind: 'deadlines',
    idle: r.idle,
    absolute: r.absolute,
    offset: r.offset as number,
    canReauth: r.canReauth,
    user,
    extended: r.extended,
    reauthenticated: r.reauthenticated,
    trigger: t,
  };
}
