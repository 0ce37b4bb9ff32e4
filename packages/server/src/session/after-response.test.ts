import { stream } from 'hono/streaming';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionCookie, testApp, withCookie } from './app.fixture.js';
import type { Session } from './types.js';

afterEach(() => vi.restoreAllMocks());

/**
 * A change made after the handler returned (in a stream's callback, or a promise it did
 * not await) reaches neither the store nor the response: the middleware has committed.
 * It used to vanish without a word; now it is logged once per `session()`, and a
 * `regenerate()`, which would have ended the session while the browser kept its cookie,
 * is refused.
 */
describe('a session change after the response was sent', () => {
  async function streamingApp(late: (session: Session) => Promise<unknown>) {
    const t = testApp();
    const outcome: { error?: unknown } = {};
    t.app.post('/stream', (c) =>
      stream(c, async (s) => {
        await s.write('working… ');
        try {
          await late(c.var.session);
        } catch (error) {
          outcome.error = error;
        }
        await s.write('done');
      }),
    );
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    return { ...t, token, outcome };
  }

  it('set(): logged once, naming the way out, and nothing written', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { app, token, outcome } = await streamingApp(async (session) => {
      session.set('step', 'done');
      session.set('again', 1);
    });
    const res = await app.request('/stream', withCookie(token, { method: 'POST' }));
    expect(await res.text()).toBe('working… done');
    expect(outcome.error).toBeUndefined();
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(
      /session\.set\(\) came after the response was sent .*before the handler returns/,
    );
    expect(await (await app.request('/get/step', withCookie(token))).json()).toBeNull();
  });

  it('regenerate(): refused, and the session the browser holds still works', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { app, token, outcome } = await streamingApp((session) =>
      session.regenerate({ userId: 'mallory' }),
    );
    const res = await app.request('/stream', withCookie(token, { method: 'POST' }));
    expect(await res.text()).toBe('working… done');
    expect(String(outcome.error)).toMatch(/session\.regenerate\(\) came after the response/);
    const read = await (await app.request('/read', withCookie(token))).json();
    expect(read).toMatchObject({ state: 'active', userId: 'ada' });
  });

  it('a change made before the stream starts is kept as ever', async () => {
    const t = testApp();
    t.app.post('/stream', (c) => {
      c.var.session.set('step', 'started');
      return stream(c, (s) => s.write('ok'));
    });
    const token = sessionCookie(await t.app.request('/login/ada', { method: 'POST' }))!;
    await (await t.app.request('/stream', withCookie(token, { method: 'POST' }))).text();
    expect(await (await t.app.request('/get/step', withCookie(token))).json()).toBe('started');
  });
});
