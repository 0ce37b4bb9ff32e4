// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as server from '@lifeline/server/contract';
import { DEADLINE_HEADER, formatDeadlineHeader, statusSchema } from '@lifeline/server/contract';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseStatus, sessionProblemReason } from './core/parse.js';
import { createClientCore } from './shell/client.js';
import * as wire from './wire.js';

type SessionStatus = server.SessionStatus;

describe('client and server contract', () => {
  it('parses /status into exactly the server schema type', () => {
    expectTypeOf(parseStatus).returns.toEqualTypeOf<SessionStatus | null>();
  });

  it("declares the server's zod-inferred wire types, zod-free, in both directions", () => {
    expectTypeOf<wire.SessionStatus>().toEqualTypeOf<server.SessionStatus>();
    expectTypeOf<server.SessionStatus>().toEqualTypeOf<wire.SessionStatus>();
    expectTypeOf<wire.ActiveStatus>().toEqualTypeOf<server.ActiveStatus>();
    expectTypeOf<wire.NoneStatus>().toEqualTypeOf<server.NoneStatus>();
    expectTypeOf<wire.PublicUser>().toEqualTypeOf<server.PublicUser>();
    expectTypeOf<server.PublicUser>().toEqualTypeOf<wire.PublicUser>();
    expectTypeOf<wire.EndReason>().toEqualTypeOf<server.EndReason>();
    expectTypeOf<wire.DeadlineHeader>().toEqualTypeOf<server.DeadlineHeader>();
  });

  it("copies the server's protocol constants exactly", () => {
    expect(wire.DEADLINE_HEADER).toBe(server.DEADLINE_HEADER);
    expect(wire.PASSIVE_HEADER).toBe(server.PASSIVE_HEADER);
    expect(wire.CSRF_HEADER).toBe(server.CSRF_HEADER);
    expect(wire.END_REASONS).toEqual(server.END_REASONS);
    expect(wire.SESSION_PROBLEM_CODES).toEqual(server.SESSION_PROBLEM_CODES);
    const twice = 'idle=1, absolute=2, now=3, idle=4, absolute=5, now=6';
    const values = ['idle=1, absolute=2, now=3', 'idle=1,now=3', 'idle=x', '', null, twice];
    for (const value of values) {
      expect(wire.parseDeadlineHeader(value)).toEqual(server.parseDeadlineHeader(value));
    }
    expect(wire.parseDeadlineHeader(twice)).toBeNull();
    const d = { idle: 10, absolute: 20, now: 5 };
    expect(wire.formatDeadlineHeader(d)).toBe(server.formatDeadlineHeader(d));
  });

  it('publishes nothing that imports @lifeline/server (a devDependency only)', () => {
    const root = fileURLToPath(new URL('.', import.meta.url));
    const shipped = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !/\.test\.ts$|\.fixture\.ts$/.test(f),
    );
    expect(shipped.length).toBeGreaterThan(10);
    for (const file of shipped) {
      expect(readFileSync(root + file, 'utf8'), file).not.toMatch(/from '@lifeline\/server/);
    }
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

  it('reads each session problem code as the reason it stands for, unless the body names one', () => {
    expect(server.SESSION_PROBLEM_CODES.map((code) => sessionProblemReason({ code }))).toEqual([
      'idle-timeout',
      'revoked',
      'missing',
    ]);
    expect(sessionProblemReason({ code: 'session_expired', reason: 'absolute-timeout' })).toBe(
      'absolute-timeout',
    );
    expect(sessionProblemReason({ code: 'session_revoked', reason: 'nope' })).toBe('revoked');
    for (const body of [{ code: 'forbidden' }, { reason: 'revoked' }, null, 'session_expired']) {
      expect(sessionProblemReason(body)).toBeNull();
    }
  });

  it('reads the deadline header the server formats', async () => {
    const withHeader = (value: string) =>
      createClientCore({
        now: () => 5,
        timers: { setTimeout: () => 0, clearTimeout: () => {} },
        channel: null,
        document: null,
        window: null,
        activity: false,
        // `/status` never answers: only the app response's header can tell the deadlines.
        fetch: async (input) =>
          String(input).endsWith('/session/status')
            ? new Promise<Response>(() => {})
            : new Response(null, { headers: { [DEADLINE_HEADER]: value } }),
      });
    const read = withHeader(formatDeadlineHeader({ idle: 10, absolute: 20, now: 5 }));
    await read.fetch('http://app.test/api');
    expect(read.getSnapshot()).toMatchObject({ idleExpiresAt: 10, absoluteExpiresAt: 20 });
    read.destroy();
    const malformed = withHeader('idle=x');
    await malformed.fetch('http://app.test/api');
    expect(malformed.getSnapshot()).toMatchObject({ state: 'unknown', idleExpiresAt: null });
    malformed.destroy();
  });
});
