import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { COOKIE, login, MINUTE, sidOf, startServer, type TestServer } from './harness.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function decode(token: string): Buffer {
  return Buffer.from(token, 'base64url');
}

/** A well-formed token nobody issued. */
function forged(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ session: { rotationInterval: 15 * MINUTE } });
});
afterAll(() => srv.close());

describe('Token generation and acceptance', () => {
  it('7.2.3, 11.5.1 / item 1: 1,000 fresh cookies are distinct 32-byte random values with no bit bias', async () => {
    const N = 1000;
    const tokens: string[] = [];
    // Logins of one user, so an embedded user id, timestamp or counter would show as bias.
    for (let batch = 0; batch < N / 50; batch++) {
      const got = await Promise.all(
        Array.from({ length: 50 }, () => login(srv, 'same-user-every-time')),
      );
      tokens.push(...got);
      srv.clock.advance(1);
    }
    expect(new Set(tokens).size).toBe(N);
    const bytes = tokens.map((t) => {
      expect(t).toMatch(TOKEN);
      const b = decode(t);
      expect(b.length).toBe(32); // 256 bits, well over the 128 required
      return b;
    });
    // Both halves (family and secret) are distinct on their own too.
    expect(new Set(bytes.map((b) => b.subarray(0, 16).toString('hex'))).size).toBe(N);
    // Monobit test per bit position: ones ~ Binomial(N, 1/2), mean N/2, sigma sqrt(N)/2.
    // ±5 sigma: a fair generator fails one of 256 positions with probability ~1.5e-4.
    const sigma = Math.sqrt(N) / 2;
    const worst = { position: -1, deviation: 0 };
    for (let bit = 0; bit < 256; bit++) {
      let ones = 0;
      for (const b of bytes) ones += ((b[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1;
      const deviation = Math.abs(ones - N / 2) / sigma;
      if (deviation > worst.deviation) Object.assign(worst, { position: bit, deviation });
    }
    expect(worst.deviation, `bit ${worst.position} is biased`).toBeLessThan(5);
    // No byte position is constant or counting (an embedded timestamp or counter would be).
    for (let i = 0; i < 32; i++) {
      expect(new Set(bytes.map((b) => b[i])).size).toBeGreaterThan(200);
    }
  });

  it('OWASP strict mode / item 2: a well-formed never-issued ID is not adopted and is logged as rejected', async () => {
    const planted = forged();
    const before = srv.events.length;
    const status = await srv.send('/session/status', { token: planted });
    expect(status.json).toMatchObject({ state: 'none', reason: 'missing' });
    expect(status.token).toBeUndefined();
    // A write on that request creates a session, under a server-generated ID.
    const visit = await srv.send('/visit', { method: 'POST', token: planted });
    expect(visit.token).toMatch(TOKEN);
    expect(visit.token).not.toBe(planted);
    expect((await srv.send('/api/data', { token: planted })).json.state).toBe('none');
    const rejected = srv.events.slice(before).filter((e) => e.type === 'rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    for (const e of rejected) expect(e).toMatchObject({ type: 'rejected', reason: 'unknown' });
  });

  it('item 3: malformed IDs get the same answer as unknown ones, never a 5xx, and never reach the store', async () => {
    const unknown = await srv.send('/api/me', { token: forged() });
    expect(unknown.status).toBe(401);
    const answer = (r: { status: number; json: Record<string, unknown> }) => ({
      status: r.status,
      code: r.json.code,
      reason: r.json.reason,
    });
    const valid = forged();
    const headers = [
      `${COOKIE}=${'A'.repeat(5000)}`, // too long
      `${COOKIE}=${valid}A`, // one too many
      `${COOKIE}=${valid.slice(1)}`, // one too few
      `${COOKIE}=${valid.slice(0, 42)}+`, // base64, not base64url
      `${COOKIE}=${valid.slice(0, 42)}%`,
      `${COOKIE}="${valid}"`, // quoted
      `${COOKIE}=${valid.slice(0, 20)}"${valid.slice(21)}`,
      `${COOKIE}=${valid}; ${COOKIE}=${forged()}`, // duplicated name
      `${COOKIE}=${valid}; ${COOKIE}=${valid}`,
      `${COOKIE}=`,
      `${COOKIE}`,
      `${COOKIE}=${'%41'.repeat(43)}`, // escapes are not decoded
      `${COOKIE}=${valid.slice(0, 42)}B`, // non-canonical last character
    ];
    for (const cookieHeader of headers) {
      const label = cookieHeader.slice(0, 80);
      srv.store.reset();
      for (const path of ['/api/me', '/session/status', '/api/data']) {
        const res = await srv.send(path, { cookieHeader });
        expect(res.status, label).toBeLessThan(500);
        if (path === '/api/me') expect(answer(res), label).toEqual(answer(unknown));
        if (path === '/session/status') {
          expect(res.json, label).toMatchObject({ state: 'none', reason: 'missing' });
        }
        expect(res.token).toBeUndefined();
      }
      // Nothing reached the store: not a lookup, not a write.
      expect(srv.store.calls, label).toEqual([]);
    }
    // Past the HTTP server's own header limit: a 4xx from Node, never a 5xx.
    const huge = await srv.sendRaw('/api/me', `${COOKIE}=${valid}; x=${'y'.repeat(20_000)}`);
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    // Bytes `fetch` will not send (control characters, DEL, non-ASCII) go over a raw socket.
    const raw = [
      `${COOKIE}=${valid.slice(0, 20)}\x01${valid.slice(21)}`,
      `${COOKIE}=${valid.slice(0, 20)}\t${valid.slice(21)}`,
      `${COOKIE}=${valid.slice(0, 20)}\x7f${valid.slice(21)}`,
      `${COOKIE}=${valid.slice(0, 20)}\xe9${valid.slice(21)}`,
      `${COOKIE}=${valid}\x00`,
    ];
    for (const cookieHeader of raw) {
      srv.store.reset();
      const res = await srv.sendRaw('/api/me', cookieHeader);
      expect(res.status, JSON.stringify(cookieHeader)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(cookieHeader)).toBeLessThan(500);
      if (res.status === 401) expect(res.raw).toContain('"code":"session_required"');
      expect(srv.store.calls).toEqual([]);
    }
    // A well-formed unknown ID reaches the store only as its hash.
    srv.store.reset();
    const id = forged();
    await srv.send('/api/data', { token: id });
    const gets = srv.store.calls.filter((c) => c.method === 'get' || c.method === 'getAndTouch');
    expect(gets).toHaveLength(1);
    expect(gets[0]?.args[0]).not.toBe(id);
    expect(JSON.stringify(srv.store.calls)).not.toContain(id);
  });

  it('item 4: the store holds no raw cookie value, and a stored key replayed as a cookie fails', async () => {
    srv.store.reset();
    const token = await login(srv, 'store-reader');
    await srv.send('/visit', { method: 'POST', token });
    srv.clock.advance(15 * MINUTE + 1);
    const rotated = (await srv.send('/api/data', { token })).token;
    expect(rotated).toMatch(TOKEN);
    const tokens = [token, rotated as string];
    // Everything ever written to the store, and everything it holds for this user.
    const written = JSON.stringify(srv.store.calls);
    const held = JSON.stringify(await srv.store.listByUser('store-reader'));
    for (const t of tokens) {
      for (const form of [t, decode(t).toString('hex'), decode(t).toString('base64')]) {
        expect(written).not.toContain(form);
        expect(held).not.toContain(form);
      }
    }
    // Replay every key the store holds for this session as a cookie.
    const sid = await sidOf(srv, rotated as string);
    expect(sid).toMatch(TOKEN); // a 43-character key looks exactly like a token...
    const record = await srv.manager.get(sid as string);
    for (const key of [sid, record?.tokenHash, record?.previous?.tokenHash]) {
      if (typeof key !== 'string' || !TOKEN.test(key)) continue;
      const replay = await srv.send('/api/me', { token: key });
      expect(replay.status).toBe(401); // ...but resolves to nothing
    }
  });

  it('14.2.1 / item 5: the token is accepted only from the cookie, never from a query, form field or header', async () => {
    const token = await login(srv, 'cookie-only');
    const attempts: Array<Parameters<TestServer['send']>> = [
      [`/api/me?${COOKIE}=${token}`],
      [`/api/me?session=${token}&sid=${token}&token=${token}`],
      [
        '/session/extend',
        {
          method: 'POST',
          sameOrigin: true,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `${COOKIE}=${token}`,
        },
      ],
      ['/api/me', { headers: { Authorization: `Bearer ${token}` } }],
      ['/api/me', { headers: { 'X-Session-Id': token, 'Session-Token': token } }],
      ['/api/me', { headers: { 'X-Lifeline': token, Lifeline: token } }],
    ];
    for (const [path, init] of attempts) {
      const res = await srv.send(path, init);
      expect(res.status, path).toBe(401);
      expect(res.token).toBeUndefined();
    }
    expect((await srv.send('/api/me', { token })).status).toBe(200);
  });

  it('3.3.4, 16.2.5 / item 6: the token never appears in a body, a Location or the logs; logs carry only a hash', async () => {
    const printed: string[] = [];
    const capture =
      (stream: NodeJS.WriteStream) =>
      (chunk: unknown, ...rest: unknown[]): boolean => {
        printed.push(String(chunk));
        return (stream.write as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      };
    const spies = [
      ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
        vi.spyOn(console, m).mockImplementation((...args) => {
          printed.push(args.map(String).join(' '));
        }),
      ),
      vi.spyOn(process.stdout, 'write').mockImplementation(capture(process.stdout) as never),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture(process.stderr) as never),
    ];
    const before = srv.events.length;
    const tokens: string[] = [];
    const bodies: string[] = [];
    const locations: string[] = [];
    const track = (r: Awaited<ReturnType<TestServer['send']>>) => {
      bodies.push(r.text);
      const loc = r.headers.get('Location');
      if (loc) locations.push(loc);
      if (r.token) tokens.push(r.token);
      return r;
    };
    try {
      const first = track(await srv.send('/visit', { method: 'POST' })).token as string;
      const token = track(await srv.send('/login/logger', { method: 'POST', token: first }))
        .token as string;
      track(await srv.send('/session/status', { token }));
      track(await srv.send('/go', { token }));
      track(await srv.send('/session/extend', { method: 'POST', token, sameOrigin: true }));
      srv.clock.advance(15 * MINUTE + 1);
      const next = track(await srv.send('/api/data', { token })).token as string;
      srv.clock.advance(11_000);
      track(await srv.send('/api/me', { token })); // theft-suspected: logged
      track(await srv.send('/api/me', { token: first })); // ended by login
      track(await srv.send('/session/sessions', { token: next }));
      track(await srv.send('/session/logout', { method: 'POST', token: next, sameOrigin: true }));
      track(await srv.send('/session/status', { token: next }));
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    const events = srv.events.slice(before);
    expect(events.length).toBeGreaterThan(5);
    const haystacks = [...bodies, ...locations, ...printed, JSON.stringify(events)];
    for (const t of tokens) {
      for (const hay of haystacks) {
        expect(hay).not.toContain(t);
        expect(hay).not.toContain(decode(t).toString('hex'));
      }
    }
    // Events carry the store key: a 256-bit hash, not a token.
    for (const e of events) {
      if (e.sid !== null) {
        expect(e.sid).toMatch(TOKEN);
        expect(tokens).not.toContain(e.sid);
      }
    }
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
