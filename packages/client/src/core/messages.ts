import { bool, type Check, endReason, epoch, matches, oneOf, user } from './parse.js';
import type { TabMessage } from './types.js';

const trigger = oneOf('activity', 'user', 'timer', 'wake', 'status', 'response', 'local');
const head = { v: oneOf(1), from: (v: unknown) => typeof v === 'string' && v.length <= 100 };
const SHAPES: Record<string, Check>[] = [
  { ...head, kind: oneOf('activity'), at: epoch },
  {
    ...head,
    kind: oneOf('ended'),
    phase: oneOf('expired', 'signed-out'),
    reason: endReason,
    absolute: (v: unknown) => v === null || epoch(v),
    trigger,
  },
  {
    ...head,
    kind: oneOf('deadlines'),
    idle: epoch,
    absolute: epoch,
    offset: Number.isFinite,
    canReauth: bool,
    user,
    extended: bool,
    reauthenticated: bool,
    trigger,
  },
];

/**
 * Validates a message from another tab. Anything that is not a well-formed version-1
 * message (garbage, another version of the SDK) yields `null` and is ignored.
 */
export function parseTabMessage(m: unknown): TabMessage | null {
  return SHAPES.some((shape) => matches(m, shape)) ? (m as TabMessage) : null;
}
