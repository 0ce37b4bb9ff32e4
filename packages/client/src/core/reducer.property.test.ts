import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIG, createHarness, MIN } from './harness.fixture.js';

type Command =
  | { kind: 'advance'; ms: number }
  | { kind: 'sleep'; ms: number }
  | { kind: 'activity' }
  | { kind: 'wake' }
  | { kind: 'extend' }
  | { kind: 'answer'; rtt: number; fail: boolean }
  | { kind: 'header'; passive: boolean };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 4 * MIN }) }),
  fc.record({ kind: fc.constant('sleep' as const), ms: fc.integer({ min: 0, max: 30 * MIN }) }),
  fc.constant({ kind: 'activity' as const }),
  fc.constant({ kind: 'wake' as const }),
  fc.constant({ kind: 'extend' as const }),
  fc.record({
    kind: fc.constant('answer' as const),
    rtt: fc.integer({ min: 0, max: 1000 }).map((n) => n * 2),
    fail: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('header' as const), passive: fc.boolean() }),
);

const scenario = fc.record({
  skew: fc.integer({ min: -3 * 3600_000, max: 3 * 3600_000 }),
  idle: fc.integer({ min: 3, max: 30 }).map((m) => m * MIN),
  absolute: fc.integer({ min: 5, max: 120 }).map((m) => m * MIN),
  commands: fc.array(command, { maxLength: 60 }),
});

type Scenario = { skew: number; idle: number; absolute: number; commands: Command[] };

/** Runs a scenario, checking the invariants after every step. */
function run({ skew, idle, absolute, commands }: Scenario) {
  const h = createHarness({ skew, idle, absolute });
  h.dispatch({ type: 'leadership', isLeader: true });
  h.answer(0);
  let owed = false; // user activity since the last extension
  let lastExtendFailed = false;
  let seen = h.log.length;
  for (const c of commands) {
    if (c.kind === 'advance') h.advance(c.ms);
    else if (c.kind === 'sleep') h.sleep(c.ms);
    else if (c.kind === 'wake') h.dispatch({ type: 'tick', trigger: 'wake' });
    else if (c.kind === 'header') h.header(c.passive);
    else if (c.kind === 'answer') {
      const op = h.answer(c.rtt, c.fail);
      if (op === 'extend') lastExtendFailed = c.fail;
    } else {
      if (h.state().phase === 'active' && (c.kind === 'extend' || h.state().warning !== 'idle'))
        owed = true;
      h.dispatch(c.kind === 'activity' ? { type: 'activity' } : { type: 'extend' });
    }
    for (const [i, effect] of h.log.entries()) {
      if (i < seen) continue;
      const at = h.logAt[i] ?? Number.NaN;
      if (effect.type === 'request' && effect.op === 'extend') {
        // Never extends without user activity since the last extension (a retry of a failed one excepted).
        expect(owed || lastExtendFailed).toBe(true);
        owed = false;
        lastExtendFailed = false;
      }
      if (effect.type === 'emit' && effect.event.type === 'warning') {
        // A warning starts only inside the window, never after the deadline.
        expect(at).toBeLessThan(effect.event.expiresAt);
        expect(at).toBeGreaterThanOrEqual(effect.event.expiresAt - CONFIG.warnBefore);
      }
    }
    seen = h.log.length;
    const s = h.state();
    // Never expired while the server still holds the session.
    if (s.phase === 'expired') expect(h.serverLive()).toBe(false);
    const deadline = h.localDeadline();
    if (s.warning && deadline !== null) {
      expect(h.now()).toBeGreaterThanOrEqual(deadline - CONFIG.warnBefore);
    }
  }
}

describe('core reducer invariants', () => {
  it('hold for any sequence of time, activity, answers, failures and headers', () => {
    fc.assert(fc.property(scenario, run), { numRuns: 300 });
  });

  it('waking after the deadline goes straight to expired without a warning', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3600_000, max: 3600_000 }),
        fc.integer({ min: 0, max: 24 * 3600_000 }),
        (skew, overslept) => {
          const h = createHarness({ skew, idle: 10 * MIN });
          h.dispatch({ type: 'leadership', isLeader: true });
          h.answer(0);
          h.advance(MIN);
          h.sleep(9 * MIN + overslept);
          const from = h.log.length;
          h.dispatch({ type: 'tick', trigger: 'wake' });
          h.drain();
          const events = h.log
            .slice(from)
            .flatMap((e) => (e.type === 'emit' ? [e.event.type] : []));
          expect(events).toEqual(['expired']);
          expect(h.state().phase).toBe('expired');
        },
      ),
      { numRuns: 200 },
    );
  });
});
