import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { session } from '../session/middleware.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import type { RememberEvent, RememberMeOptions } from './options.js';
import { rememberMe } from './remember.js';

const DAY = 24 * 60 * 60 * 1000;

function setup(
  overrides: Partial<RememberMeOptions> = {},
  wrap: (store: SessionStore) => SessionStore = (store) => store,
) {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const store = memoryStore({ now });
  const events: RememberEvent[] = [];
  const disabled = new Set<string>();
  const remember = rememberMe({
    store: wrap(store),
    now,
    findUser: (id) => (disabled.has(id) ? null : { name: `User ${id}` }),
    onEvent: (e) => {
      events.push(e);
    },
    ...overrides,
  });
  const app = new Hono();
  app.post('/issue', async (c) => {
    await remember.issue(c, 'u1');
    return c.text('ok');
  });
  app.post('/reauth', async (c) => c.json(await remember.reauthenticate(c)));
  app.post('/forget', async (c) => {
    await remember.forget(c);
    return c.text('ok');
  });
  app.get('/can', (c) => c.json(remember.canReauth(c)));
  const call = (path: string, cookie?: string, base = 'http://localhost') =>
    app.request(`${base}${path}`, {
      method: path === '/can' ? 'GET' : 'POST',
      headers: cookie ? { Cookie: cookie } : {},
    });
  return { app, remember, store, events, disabled, call, advance: (ms: number) => (clock += ms) };
}

/** The `name=value` pair of the only Set-Cookie, asserting there is exactly one. */
function onlyCookie(res: Response): { pair: string; line: string } {
  const lines = res.headers.getSetCookie();
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  return { pair: line.split(';')[0]!, line };
}

describe('rememberMe', () => {
  it('issues one HttpOnly, SameSite=Lax cookie for 30 days by default', async () => {
    const { line, pair } = onlyCookie(await setup().call('/issue'));
    expect(pair).toMatch(/^lifeline_remember=[A-Za-z0-9_-]{43}$/);
    expect(line).toContain('HttpOnly');
    expect(line).toContain('SameSite=Lax');
    expect(line).toContain('Path=/');
    expect(line).toContain(`Max-Age=${30 * 24 * 60 * 60}`);
    expect(line).not.toMatch(/Domain/i);
  });

  it('uses the __Host- prefix and Secure over HTTPS', async () => {
    const res = await setup().call('/issue', undefined, 'https://app.test');
    const { line, pair } = onlyCookie(res);
    expect(pair.startsWith('__Host-lifeline_remember=')).toBe(true);
    expect(line).toContain('Secure');
  });

  it('trusts X-Forwarded-Proto only when told to, like session()', async () => {
    const behindProxy = (t: ReturnType<typeof setup>) =>
      t.app.request('http://localhost/issue', {
        method: 'POST',
        headers: { 'X-Forwarded-Proto': 'https' },
      });
    const trusted = onlyCookie(await behindProxy(setup({ trustProxy: true })));
    expect(trusted.pair.startsWith('__Host-lifeline_remember=')).toBe(true);
    const untrusted = onlyCookie(await behindProxy(setup()));
    expect(untrusted.pair.startsWith('lifeline_remember=')).toBe(true);
  });

  it('works with an HMAC secret, and a credential made under another secret fails', async () => {
    const a = setup({ secret: 'a'.repeat(32) });
    const issued = onlyCookie(await a.call('/issue')).pair;
    expect(await (await a.call('/reauth', issued)).json()).toMatchObject({ userId: 'u1' });
    // Same store, other key: the ids and hashes it wrote mean nothing under the first key.
    const b = setup({ secret: 'b'.repeat(32), store: a.store });
    const other = onlyCookie(await b.call('/issue')).pair;
    expect(await (await b.call('/reauth', other)).json()).toMatchObject({ userId: 'u1' });
    expect(await (await a.call('/reauth', other)).json()).toBeNull();
  });

  it('re-authenticates with the cookie, returns the user and credential id and rotates the cookie', async () => {
    const { call, events, store } = setup();
    const issued = onlyCookie(await call('/issue')).pair;
    expect(await (await call('/can', issued)).json()).toBe(true);
    const res = await call('/reauth', issued);
    const proof = await res.json();
    expect(proof).toEqual({
      userId: 'u1',
      user: { name: 'User u1' },
      credentialId: events[0]?.credentialId,
    });
    // The id is the credential's store key, which the new session records.
    expect(await store.getCredential(proof.credentialId)).toMatchObject({ userId: 'u1' });
    const rotated = onlyCookie(res).pair;
    expect(rotated).not.toBe(issued);
    // The rotated cookie works in turn.
    expect(await (await call('/reauth', rotated)).json()).toMatchObject({ userId: 'u1' });
    expect(events.map((e) => e.type)).toEqual(['issued', 'used', 'used']);
  });

  it('treats a replayed old cookie as theft: the credential dies for everyone', async () => {
    const { call, events, advance } = setup();
    const stolen = onlyCookie(await call('/issue')).pair;
    const current = onlyCookie(await call('/reauth', stolen)).pair;
    advance(10_000); // the replaced validator's grace window is over
    const replay = await call('/reauth', stolen);
    expect(await replay.json()).toBeNull();
    expect(onlyCookie(replay).line).toContain('Max-Age=0');
    expect(events.at(-1)).toMatchObject({ type: 'theft-suspected', userId: 'u1' });
    // The legitimate holder's current cookie no longer works either.
    expect(await (await call('/reauth', current)).json()).toBeNull();
  });

  describe('parallel uses of one cookie (two tabs, a retry) inside the grace window', () => {
    it('a second use of the replaced cookie gets the current one, no theft', async () => {
      const { call, events, advance } = setup();
      const issued = onlyCookie(await call('/issue')).pair;
      const first = await call('/reauth', issued);
      advance(9_999);
      const second = await call('/reauth', issued);
      expect(await second.json()).toMatchObject({ userId: 'u1', credentialId: expect.any(String) });
      expect(onlyCookie(second).pair).toBe(onlyCookie(first).pair);
      expect(events.map((e) => e.type)).toEqual(['issued', 'used', 'used']);
      // The current cookie still works, and rotates as usual.
      expect(await (await call('/reauth', onlyCookie(first).pair)).json()).not.toBeNull();
    });

    it('a use whose credential is revoked while it runs gets no user and loses the cookie', async () => {
      let reads = 0;
      let vanishAt = -1;
      const { call } = setup({}, (store) => ({
        ...store,
        getCredential: async (id) => (++reads === vanishAt ? null : store.getCredential(id)),
      }));
      const issued = onlyCookie(await call('/issue')).pair;
      await call('/reauth', issued);
      // The grace use reads the credential, then reads it again before it answers: gone then.
      vanishAt = reads + 2;
      const res = await call('/reauth', issued);
      expect(await res.json()).toBeNull();
      expect(onlyCookie(res).line).toContain('Max-Age=0');
    });

    it('two uses at the same instant both succeed with the same new cookie', async () => {
      const { call, events } = setup();
      const issued = onlyCookie(await call('/issue')).pair;
      const replies = await Promise.all([call('/reauth', issued), call('/reauth', issued)]);
      const proofs = await Promise.all(replies.map((r) => r.json()));
      expect(proofs).toEqual([
        expect.objectContaining({ userId: 'u1' }),
        expect.objectContaining({ userId: 'u1' }),
      ]);
      expect(onlyCookie(replies[0]!).pair).toBe(onlyCookie(replies[1]!).pair);
      expect(events.some((e) => e.type === 'theft-suspected')).toBe(false);
    });

    it('a validator two rotations old is theft even inside the window', async () => {
      const { call, events } = setup();
      const first = onlyCookie(await call('/issue')).pair;
      const second = onlyCookie(await call('/reauth', first)).pair;
      await call('/reauth', second);
      expect(await (await call('/reauth', first)).json()).toBeNull();
      expect(events.at(-1)).toMatchObject({ type: 'theft-suspected' });
    });

    it('graceMs: 0 takes any replaced cookie for theft at once', async () => {
      const { call, events } = setup({ graceMs: 0 });
      const issued = onlyCookie(await call('/issue')).pair;
      await call('/reauth', issued);
      expect(await (await call('/reauth', issued)).json()).toBeNull();
      expect(events.at(-1)).toMatchObject({ type: 'theft-suspected' });
    });

    it('a tampered sealed successor in the store is theft, never a crash', async () => {
      const { call, store, events } = setup();
      const issued = onlyCookie(await call('/issue')).pair;
      await call('/reauth', issued);
      const id = events[0]!.credentialId;
      const record = (await store.getCredential(id))!;
      const sealed = record.previous!.sealedSuccessor;
      // One character changed (never to itself: that would be no tampering at all).
      const previous = {
        ...record.previous!,
        sealedSuccessor: `${sealed[0] === 'x' ? 'y' : 'x'}${sealed.slice(1)}`,
      };
      await store.rotateCredential(
        id,
        record.tokenHash,
        record.tokenHash,
        record.expiresAt,
        previous,
      );
      expect(await (await call('/reauth', issued)).json()).toBeNull();
      expect(events.at(-1)).toMatchObject({ type: 'theft-suspected' });
    });

    it('a parallel use held while the cookie rotated on sends the newest cookie, not the one it read', async () => {
      let hold: Promise<void> | null = null;
      let entered = () => {};
      const { call, events, advance } = setup({
        findUser: async (id) => {
          if (hold) {
            const gate = hold;
            hold = null;
            entered();
            await gate;
          }
          return { name: `User ${id}` };
        },
      });
      const v0 = onlyCookie(await call('/issue')).pair;
      const v1 = onlyCookie(await call('/reauth', v0)).pair;
      let release!: () => void;
      hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      const inside = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const slow = call('/reauth', v0); // a second tab, inside the window, held in findUser
      await inside;
      const v2 = onlyCookie(await call('/reauth', v1)).pair; // the first tab moves on
      release();
      const late = onlyCookie(await slow).pair; // arrives last: the browser keeps it
      expect(late).toBe(v2);
      advance(10_000);
      expect(await (await call('/reauth', late)).json()).not.toBeNull();
      expect(events.some((e) => e.type === 'theft-suspected')).toBe(false);
    });

    it('another instance a few ms behind the one that rotated still sees the window', async () => {
      let real = 1_700_000_000_000;
      const store = memoryStore({ now: () => real });
      const events: RememberEvent[] = [];
      const instance = (skew: number) => {
        const remember = rememberMe({
          store,
          now: () => real + skew,
          findUser: (id) => ({ name: id }),
          onEvent: (e) => {
            events.push(e);
          },
        });
        const app = new Hono();
        app.post('/issue', async (c) => {
          await remember.issue(c, 'u1');
          return c.text('ok');
        });
        app.post('/reauth', async (c) => c.json(await remember.reauthenticate(c)));
        return (path: string, cookie?: string) =>
          app.request(`http://localhost${path}`, {
            method: 'POST',
            headers: cookie ? { Cookie: cookie } : {},
          });
      };
      const [a, b] = [instance(0), instance(-5)];
      const v0 = onlyCookie(await a('/issue')).pair;
      const v1 = onlyCookie(await a('/reauth', v0)).pair;
      real += 1;
      const res = await b('/reauth', v0);
      expect(await res.json()).not.toBeNull();
      expect(onlyCookie(res).pair).toBe(v1);
      expect(events.map((e) => e.type)).not.toContain('theft-suspected');
    });

    it('refuses a graceMs outside 0-60 s, naming it', () => {
      for (const graceMs of [-1, 60_001, 1.5]) {
        expect(() => setup({ graceMs })).toThrow(/`graceMs`/);
      }
    });
  });

  describe("a malformed `previous` from another store's records", () => {
    /** The app on a store whose credentials come back with `previous` bent by `corrupt`. */
    function corrupted(corrupt: (previous: Record<string, unknown>) => unknown) {
      return setup({}, (store) => ({
        ...store,
        getCredential: async (id) => {
          const record = await store.getCredential(id);
          if (!record?.previous) return record;
          return { ...record, previous: corrupt({ ...record.previous }) } as typeof record;
        },
      }));
    }

    it.each([
      ['no fields', () => ({})],
      ['a numeric hash', (p: Record<string, unknown>) => ({ ...p, tokenHash: 7 })],
      ['until NaN', (p: Record<string, unknown>) => ({ ...p, until: Number.NaN })],
      ['a window far past graceMs', (p: Record<string, unknown>) => ({ ...p, until: 8.64e15 })],
    ])('%s counts as no window: the replaced cookie is theft, never a 5xx', async (_, bend) => {
      const { call, events } = corrupted(bend);
      const v0 = onlyCookie(await call('/issue')).pair;
      await call('/reauth', v0);
      const res = await call('/reauth', v0);
      expect(res.status).toBe(200);
      expect(await res.json()).toBeNull();
      expect(events.at(-1)).toMatchObject({ type: 'theft-suspected' });
    });
  });

  it.each([
    ['a null hash', { tokenHash: null }],
    ['a numeric user', { userId: 7 }],
    ['no lifetime', { expiresAt: undefined }],
  ])(
    'takes a stored credential with %s for none: no user, the cookie cleared, never a 5xx',
    async (_, bend) => {
      let corrupt = false;
      const { call } = setup({}, (store) => ({
        ...store,
        getCredential: async (id) => {
          const record = await store.getCredential(id);
          return corrupt && record ? ({ ...record, ...bend } as unknown as typeof record) : record;
        },
      }));
      const v0 = onlyCookie(await call('/issue')).pair;
      corrupt = true;
      const res = await call('/reauth', v0);
      expect(res.status).toBe(200);
      expect(await res.json()).toBeNull();
      expect(onlyCookie(res).line).toContain('Max-Age=0');
    },
  );

  it('stores only hashes: neither the cookie nor its selector is a store key or value', async () => {
    const { call, store } = setup();
    const value = onlyCookie(await call('/issue')).pair.split('=')[1]!;
    expect(await store.getCredential(value)).toBeNull();
    expect(await store.getCredential(value.slice(0, 22))).toBeNull();
  });

  it('fails and clears the cookie once the credential is past its lifetime', async () => {
    const { call, advance } = setup({ maxAgeMs: 2 * DAY });
    const issued = onlyCookie(await call('/issue')).pair;
    advance(2 * DAY);
    const res = await call('/reauth', issued);
    expect(await res.json()).toBeNull();
    expect(onlyCookie(res).line).toContain('Max-Age=0');
  });

  it('does not extend the lifetime on use: the rotated cookie expires with the original', async () => {
    const { call, advance } = setup({ maxAgeMs: 2 * DAY });
    const issued = onlyCookie(await call('/issue')).pair;
    advance(DAY);
    const { line } = onlyCookie(await call('/reauth', issued));
    expect(line).toContain(`Max-Age=${24 * 60 * 60}`);
  });

  it('fails for a disabled account and deletes the credential', async () => {
    const { call, disabled, events } = setup();
    const issued = onlyCookie(await call('/issue')).pair;
    disabled.add('u1');
    expect(await (await call('/reauth', issued)).json()).toBeNull();
    disabled.delete('u1');
    expect(await (await call('/reauth', issued)).json()).toBeNull();
    expect(events.map((e) => e.type)).toContain('user-disabled');
  });

  // `users.get(id)` of a deleted account, an empty `rows[0]`, an "is active?" check.
  it.each([
    ['undefined', () => undefined],
    ['a promise of undefined', async () => undefined],
    ['false', () => false],
  ])('fails closed when findUser answers %s, not claims', async (_, lookup) => {
    let gone = false;
    const findUser = (id: string) => (gone ? lookup() : { name: id });
    const { call, events } = setup({ findUser: findUser as RememberMeOptions['findUser'] });
    const issued = onlyCookie(await call('/issue')).pair;
    gone = true;
    expect(await (await call('/reauth', issued)).json()).toBeNull();
    expect(events.map((e) => e.type)).toContain('user-disabled');
  });

  it('refuses claims no session could hold before the credential turns', async () => {
    let claims: unknown = { name: 'Ada' };
    const findUser = () => claims;
    const { call } = setup({ findUser: findUser as RememberMeOptions['findUser'] });
    const issued = onlyCookie(await call('/issue')).pair;
    claims = { id: 10n }; // a BigInt column straight from the database
    const refused = await call('/reauth', issued);
    expect(refused.status).toBe(500);
    expect(refused.headers.getSetCookie()).toEqual([]);
    claims = { name: 'Ada' }; // the app fixed: the same credential still works
    expect(await (await call('/reauth', issued)).json()).toMatchObject({ userId: 'u1' });
  });

  it('refuses malformed and unknown cookies without touching the store', async () => {
    const { call } = setup();
    for (const cookie of [
      'lifeline_remember=short',
      'lifeline_remember="x"',
      `lifeline_remember=${'A'.repeat(43)}`,
    ]) {
      expect(await (await call('/can', cookie)).json()).toBe(cookie.endsWith('A'));
      const res = await call('/reauth', cookie);
      expect(await res.json()).toBeNull();
      expect(onlyCookie(res).line).toContain('Max-Age=0');
    }
    expect(await (await call('/can')).json()).toBe(false);
  });

  it('reports every guessed credential to the audit hook, by its hash alone', async () => {
    const { call, events } = setup();
    const guesses = Array.from({ length: 50 }, () => randomBytes(32).toString('base64url'));
    for (const guess of guesses) {
      expect(await (await call('/reauth', `lifeline_remember=${guess}`)).json()).toBeNull();
    }
    expect(events).toHaveLength(50);
    expect(new Set(events.map((e) => e.credentialId)).size).toBe(50);
    for (const event of events) {
      expect(event).toMatchObject({ type: 'unknown', userId: null });
      expect(event.credentialId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(guesses).not.toContain(event.credentialId);
    }
  });

  it('forget deletes the credential and clears the cookie', async () => {
    const { call, events } = setup();
    const issued = onlyCookie(await call('/issue')).pair;
    const res = await call('/forget', issued);
    expect(onlyCookie(res).line).toMatch(/^lifeline_remember=; .*Max-Age=0/);
    expect(events.at(-1)?.type).toBe('forgotten');
    expect(await (await call('/reauth', issued)).json()).toBeNull();
  });

  // A login handler that issues, then decides against it ("remember me" unticked after
  // all, a check failing later): the cookie went out and the credential signed back in.
  it('forget after issue in the same request takes back the credential just issued', async () => {
    const { app, remember, store, events } = setup();
    let issuedId = '';
    app.post('/issue-then-forget', async (c) => {
      await remember.issue(c, 'u1');
      issuedId = String(events.at(-1)?.credentialId);
      await remember.forget(c);
      return c.json(remember.canReauth(c));
    });
    const res = await app.request('http://localhost/issue-then-forget', { method: 'POST' });
    expect(onlyCookie(res).line).toMatch(/^lifeline_remember=; .*Max-Age=0/);
    expect(await res.json()).toBe(false);
    expect(await store.getCredential(issuedId)).toBeNull();
    expect(events.at(-1)).toMatchObject({ type: 'forgotten', credentialId: issuedId });
  });

  it('issuing twice in one request keeps only the second credential', async () => {
    const { app, remember, store, events } = setup();
    const ids: string[] = [];
    app.post('/issue-twice', async (c) => {
      await remember.issue(c, 'u1');
      ids.push(String(events.at(-1)?.credentialId));
      await remember.issue(c, 'u1');
      ids.push(String(events.at(-1)?.credentialId));
      return c.text('ok');
    });
    const res = await app.request('http://localhost/issue-twice', { method: 'POST' });
    expect(onlyCookie(res).pair).toMatch(/^lifeline_remember=.{43}$/);
    expect(await store.getCredential(ids[0]!)).toBeNull();
    expect(await store.getCredential(ids[1]!)).not.toBeNull();
  });

  // An audit sink that is down must not hang sign-ins, re-auths and logouts.
  it('waits for an onEvent hook that never settles for at most storeTimeout', async () => {
    const { call } = setup({ onEvent: () => new Promise<void>(() => {}), storeTimeout: 50 });
    const issued = onlyCookie(await call('/issue')).pair;
    expect(await (await call('/reauth', issued)).json()).toMatchObject({ userId: 'u1' });
    expect(await (await call('/reauth', 'lifeline_remember=unknown')).json()).toBeNull();
    expect((await call('/forget', issued)).status).toBe(200);
  });

  it('issuing again replaces the old credential with exactly one Set-Cookie', async () => {
    const { call } = setup();
    const first = onlyCookie(await call('/issue')).pair;
    const second = onlyCookie(await call('/issue', first)).pair;
    expect(second).not.toBe(first);
    expect(await (await call('/reauth', first)).json()).toBeNull();
    expect(await (await call('/reauth', second)).json()).toMatchObject({ userId: 'u1' });
  });

  // Stored under a number, the credential outlived revokeUser('42'), which deletes the
  // user's credentials by their string id, and went on signing the device back in.
  it('refuses to issue for a userId that is not a non-empty string, storing and setting nothing', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser: () => ({ name: 'Ada' }) });
    const refusals: unknown[] = [];
    const app = new Hono();
    app.post('/issue/:kind', async (c) => {
      const userId = c.req.param('kind') === 'number' ? 42 : '';
      await remember.issue(c, userId as unknown as string).catch((error) => refusals.push(error));
      return c.text('ok');
    });
    for (const kind of ['number', 'empty']) {
      const res = await app.request(`/issue/${kind}`, { method: 'POST' });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect(refusals).toHaveLength(2);
    for (const error of refusals) {
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/`userId`/);
    }
    expect(store.stats().credentials).toBe(0);
  });

  // Unbounded, a stalled store held POST /session/reauth open for as long as the option
  // said, and past 2^31-1 ms the timer overflowed; session() refuses the same at start-up.
  it('refuses a storeTimeout over 60 s at creation, naming it, as session() does', () => {
    const store = memoryStore();
    const findUser = () => null;
    for (const storeTimeout of [60_001, 10 ** 9, 2 ** 31]) {
      expect(() => rememberMe({ store, findUser, storeTimeout })).toThrow(
        'rememberMe: `storeTimeout` must be at most 60 s',
      );
      expect(() => session({ store, storeTimeout })).toThrow(/"storeTimeout" must be at most 60 s/);
    }
    expect(() => rememberMe({ store, findUser, storeTimeout: 60_000 })).not.toThrow();
  });

  it('rejects bad options at creation, naming the option', () => {
    const store = memoryStore();
    const findUser = () => null;
    expect(() => rememberMe({ store, findUser, maxAgeMs: 401 * DAY })).toThrow(/maxAgeMs/);
    expect(() => rememberMe({ store, findUser, cookieName: 'a b' })).toThrow(/cookieName/);
    expect(() => rememberMe({ store, findUser, secret: 'short' })).toThrow(/secret/);
    // Counted in bytes, as session({ secret }) counts: 8 keys are 16 UTF-16 units, 32 bytes.
    const keys = '🔑'.repeat(8);
    expect(() => rememberMe({ store, findUser, secret: keys })).not.toThrow();
    expect(() => session({ store, secret: keys })).not.toThrow();
    expect(() => rememberMe({ store, findUser, secret: '🔑'.repeat(7) })).toThrow(/32 bytes/);
    expect(() => rememberMe({ store, findUser, now: () => 0.5 })).toThrow(/`now`.*whole epoch/);
    expect(() => rememberMe({ store, findUser, now: () => Date.now() * 1000 })).toThrow(/`now`/);
    // A misspelt option is refused, not ignored with its default left in force.
    expect(() => rememberMe({ store, findUser, maxAge: 5 } as never)).toThrow(
      /`maxAge` is not an option/,
    );
    expect(() => rememberMe({ store, findUser, cookieName: '__Host-r' })).toThrow(
      /cookieName.*__Host-/,
    );
    // Accepted before: the first sign-in or use then failed inside a request.
    const { rotateCredential: _, ...noRotate } = store;
    expect(() => rememberMe({ store: noRotate as never, findUser })).toThrow(
      'rememberMe: `store` must implement SessionStore: rotateCredential() is missing',
    );
    expect(() =>
      rememberMe({ store: { getCredential: async () => null } as never, findUser }),
    ).toThrow(/`store` must implement SessionStore: createCredential\(\) is missing/);
  });
});
