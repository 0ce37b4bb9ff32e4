import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../wire.js';
import { CONFIG, MIN } from './harness.fixture.js';
import { reduce } from './reducer.js';
import { initialState } from './state.js';
import type { Action, CoreState } from './types.js';

const T0 = 1_000_000;
const active = (now: number): SessionStatus => ({
  state: 'active',
  now,
  idleExpiresAt: T0 + 8 * MIN,
  absoluteExpiresAt: T0 + 60 * MIN,
  idleTimeoutMs: 10 * MIN,
  canReauth: false,
  user: null,
});

describe('a stepped local clock', () => {
  it('is corrected by the next answer, so the leader does not poll /status back to back', () => {
    const step = (s: CoreState, action: Action, now: number) => reduce(s, action, now);
    let s = step(initialState(CONFIG), { type: 'leadership', isLeader: true }, T0).state;
    // One precise sample (10 ms round trip): server and local clocks agree.
    s = step(
      s,
      { type: 'answer', op: 'status', status: active(T0 + 5), sentAt: T0, receivedAt: T0 + 10 },
      T0 + 10,
    ).state;
    // The local clock is stepped 3 minutes forward: locally the idle deadline has passed,
    // on the server 3 minutes are left. Every answer comes back after 40 ms.
    const jump = 3 * MIN;
    let local = T0 + 5 * MIN + jump + 1;
    let result = step(s, { type: 'tick', trigger: 'wake' }, local);
    let polls = result.request ? 1 : 0;
    for (let i = 0; i < 20; i++) {
      const sentAt = local;
      local += 40;
      const status = active(sentAt - jump + 20);
      result = step(
        result.state,
        { type: 'answer', op: 'status', status, sentAt, receivedAt: local },
        local,
      );
      if (result.request) polls++;
    }
    expect(polls).toBeLessThan(3);
    expect(result.state.phase).toBe('active');
  });
});
