import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHarness, MIN } from './harness.fixture.js';
import { reduce } from './reducer.js';
import type { Action, CoreState } from './types.js';

// A follower fed other tabs' activity, ticks and its own answers: it never asks to be woken
// at or before now twice in a row without anything changing (a busy loop).
describe('a follower that heard of activity', () => {
  it('never arms a timer in the past twice in a row', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 3 * MIN }).map((ms) => ({ kind: 'advance' as const, ms })),
            fc.constant({ kind: 'heard' as const }),
            fc.constant({ kind: 'own' as const }),
            fc.integer({ min: 0, max: 2000 }).map((rtt) => ({ kind: 'answer' as const, rtt })),
          ),
          { maxLength: 60 },
        ),
        (commands) => {
          const h = createHarness({});
          h.dispatch({ type: 'leadership', isLeader: true });
          h.answer(0);
          h.dispatch({ type: 'leadership', isLeader: false });
          for (const c of commands) {
            if (c.kind === 'advance') h.advance(c.ms);
            else if (c.kind === 'answer') h.answer(c.rtt);
            else if (c.kind === 'own') h.dispatch({ type: 'activity' });
            else
              h.dispatch({
                type: 'activity',
                v: 2,
                from: 'other',
                trigger: 'activity',
                sentAt: h.now(),
              } as unknown as Action);
            // Two ticks at the same instant: the second must not again ask for now or earlier.
            const s: CoreState = h.state();
            const first = reduce(s, { type: 'tick', trigger: 'timer' }, h.now());
            if (first.wakeAt !== null && first.wakeAt <= h.now() && !first.request) {
              const second = reduce(first.state, { type: 'tick', trigger: 'timer' }, h.now());
              expect(
                second.request || second.wakeAt === null || second.wakeAt > h.now(),
              ).toBeTruthy();
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
