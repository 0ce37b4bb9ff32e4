import type { SessionStatus } from '@lifeline/server/contract';
import { DEADLINE_HEADER, formatDeadlineHeader, statusSchema } from '@lifeline/server/contract';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseStatus } from './core/parse.js';
import { deadlineAction } from './shell/http.js';

describe('client and server contract', () => {
  it('parses /status into exactly the server schema type', () => {
    expectTypeOf(parseStatus).returns.toEqualTypeOf<SessionStatus | null>();
  });

  it('accepts every body the server schema accepts, and only those', () => {
    const active = {
      state: 'active',
      now: 5,
      idleExpiresAt: 9,
      absoluteExpiresAt: 20,
      idleTimeoutMs: 4,
      canReauth: true,
      user: { name: 'a' },
    };
    const none = { state: 'none', reason: 'revoked', now: 5, idleTimeoutMs: 4, canReauth: false };
    const bad = [
      { ...active, now: -1 },
      { ...active, user: [1] },
      { ...none, reason: 'nope' },
      { ...active, state: 'x' },
      null,
      'active',
    ];
    for (const body of [active, none]) {
      expect(statusSchema.safeParse(body).success).toBe(true);
      expect(parseStatus(body)).toEqual(body);
    }
    for (const body of bad) {
      expect(statusSchema.safeParse(body).success).toBe(false);
      expect(parseStatus(body)).toBeNull();
    }
  });

  it('reads the deadline header the server formats', () => {
    const header = formatDeadlineHeader({ idle: 10, absolute: 20, now: 5 });
    const res = new Response(null, { headers: { [DEADLINE_HEADER]: header } });
    expect(deadlineAction(res, 1, 3)).toEqual({
      type: 'header',
      idle: 10,
      absolute: 20,
      serverNow: 5,
      sentAt: 1,
      receivedAt: 3,
    });
    expect(
      deadlineAction(new Response(null, { headers: { [DEADLINE_HEADER]: 'idle=x' } }), 1, 3),
    ).toBeNull();
  });
});
