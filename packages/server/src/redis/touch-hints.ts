/** Sessions whose last touch this process remembers; beyond this the oldest are forgotten. */
const MAX_HINTS = 10_000;

/**
 * The newest `lastActiveAt` this process has read per session. A touch only ever moves
 * `lastActiveAt` forward (it requires the stored one to be a whole touch interval older),
 * so a remembered value is a lower bound: when even it is recent, the touch cannot be due
 * and the read can be a plain `HGETALL` instead of the `READ_TOUCH` script, which costs
 * Redis several times more CPU. A missing or stale hint only costs the script.
 */
export function touchHints(max = MAX_HINTS) {
  const seen = new Map<string, number>();
  return {
    /** True when the touch is certainly not due for `sid` (else: ask the script). */
    notDue(sid: string, dueAtOrBefore: number): boolean {
      const last = seen.get(sid);
      return last !== undefined && last > dueAtOrBefore;
    },
    remember(sid: string, lastActiveAt: number): void {
      if ((seen.get(sid) ?? -1) >= lastActiveAt) return;
      seen.delete(sid); // re-insert: Map order is then least recently touched first
      seen.set(sid, lastActiveAt);
      if (seen.size > max) seen.delete(seen.keys().next().value!);
    },
  };
}
