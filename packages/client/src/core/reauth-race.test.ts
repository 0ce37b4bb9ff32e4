import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../wire.js';
import { CONFIG, MIN } from './harness.fixture.js';
import { reduce } from './reducer.js';
import { initialState } from './state.js';
import type { Action, CoreState } from './types.js';

const T0 = 1_000_000;
const OLD_ABSOLUTE = T0 + 60 * MIN;

const run = (s: CoreState, action: Action, now: number) => reduce(s, action, now).state;
const active = (now: number, idle: number, absolute: number): SessionStatus => ({
  state: 'active',
  now,
  idleExpiresAt: idle,
  absoluteExpiresAt: absolute,
  idleTimeoutMs: 10 * MIN,
  canReauth: true,
  user: null,
});
const revoked = (now: number): SessionStatus => ({
  state: 'none',
  reason: 'revoked',
  now,
  idleTimeoutMs: 10 * MIN,
  canReauth: true,
});
const serverSays = (op: 'status' | 'reauth', status: SessionStatus, sentAt: number, at: number) =>
  ({ type: 'answer', op, status, sentAt, receivedAt: at }) as const;

/** A live leader tab, then a re-auth answered at T0 + 150 (the old ID is now dead). */
function reauthenticated(): CoreState {
  let s = run(initialState(CONFIG), { type: 'leadership', isLeader: true }, T0);
  s = run(s, serverSays('status', active(T0, T0 + 10 * MIN, OLD_ABSOLUTE), T0, T0 + 10), T0 + 10);
  const fresh = active(T0 + 100, T0 + 100 + 10 * MIN, T0 + 100 + 60 * MIN);
  return run(s, serverSays('reauth', fresh, T0 + 50, T0 + 150), T0 + 150);
}

describe('after a silent re-authentication', () => {
  it('a "no session" answer to a request sent with the old cookie does not sign the new session out', () => {
    const late = revoked(T0 + 120);
    const s = run(reauthenticated(), serverSays('status', late, T0 + 40, T0 + 200), T0 + 200);
    expect(s.phase).toBe('active');
  });

  it('a 401 to an app request sent with the old cookie does not sign it out either', () => {
    const s = run(
      reauthenticated(),
      { type: 'answer', op: 'fetch', reason: 'revoked', sentAt: T0 + 60 },
      T0 + 210,
    );
    expect(s.phase).toBe('active');
  });

  it("another tab's news that the previous session ended does not end this one", () => {
    // Tab B's app request, sent with the old cookie before the re-auth, met a 401.
    const ended = {
      v: 2,
      from: 'B',
      trigger: 'response',
      type: 'answer',
      op: 'status',
      reason: 'revoked',
      sentAt: T0 + 40,
    } as const;
    const s = run(reauthenticated(), ended, T0 + 200);
    expect(s.phase).toBe('active');
  });

  it('a "no session" answer to a request sent after the re-auth still ends it', () => {
    const gone = revoked(T0 + 300);
    const s = run(reauthenticated(), serverSays('status', gone, T0 + 250, T0 + 300), T0 + 300);
    expect(s.phase).toBe('expired');
  });

  it("another tab's re-auth is taken even when a later-sent answer here still saw the old session", () => {
    let s = run(initialState(CONFIG), { type: 'leadership', isLeader: false }, T0);
    // This tab's check, sent at T0 + 60, reached the server before B's re-auth (sent at T0 + 50).
    const old = active(T0 + 70, T0 + 70 + 10 * MIN, OLD_ABSOLUTE);
    s = run(s, serverSays('status', old, T0 + 60, T0 + 80), T0 + 80);
    const fresh = active(T0 + 100, T0 + 100 + 10 * MIN, T0 + 100 + 60 * MIN);
    const message = {
      ...serverSays('reauth', fresh, T0 + 50, T0 + 150),
      v: 2,
      from: 'B',
      trigger: 'response',
    } as const;
    s = run(s, message, T0 + 160);
    expect(s.deadlines?.absolute).toBe(T0 + 100 + 60 * MIN);
  });
});
