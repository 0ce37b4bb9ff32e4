import { Hono } from 'hono';
import type { SessionOptions } from '../config/options.js';
import type { SessionEvent } from '../events/types.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore, TouchIfDue } from '../store/types.js';
import { manualClock } from '../testing/clock.js';
import { session } from './middleware.js';
import type { SessionEnv } from './types.js';

/** Counts calls per store method, passing everything through to a real memory store. */
export function countingStore(inner: SessionStore) {
  const calls: Record<string, number> = {};
  const wrapped = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      if (key === 'getAndTouch') return countedGetAndTouch(value);
      return (...args: unknown[]) => {
        calls[key] = (calls[key] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  // A read that touched is a write too: compare the stored lastActiveAt before and after.
  const countedGetAndTouch =
    (fn: NonNullable<SessionStore['getAndTouch']>) => async (sid: string, touch: TouchIfDue) => {
      calls.getAndTouch = (calls.getAndTouch ?? 0) + 1;
      const before = await inner.get(sid);
      const after = await fn.call(inner, sid, touch);
      if (after && after.lastActiveAt !== before?.lastActiveAt) {
        calls.touch = (calls.touch ?? 0) + 1;
      }
      return after;
    };
  const writes = () =>
    (calls.create ?? 0) +
    (calls.update ?? 0) +
    (calls.rotate ?? 0) +
    (calls.end ?? 0) +
    (calls.touch ?? 0);
  return { store: wrapped, calls, writes };
}

/** A real Hono app with the session middleware, a manual clock and an event log. */
export function testApp(options: SessionOptions = {}) {
  const clock = manualClock();
  const events: SessionEvent[] = [];
  const memory = memoryStore({ now: clock.now });
  const counting = countingStore(options.store ?? memory);
  const middleware = session({
    now: clock.now,
    onEvent: (e) => {
      events.push(e);
    },
    ...options,
    store: counting.store,
  });
  const app = new Hono<SessionEnv>();
  app.use(middleware);
  app.get('/read', (c) => {
    const s = c.var.session;
    return c.json({
      state: s.state,
      reason: s.reason,
      id: s.id,
      userId: s.userId,
      cart: s.get('cart') ?? null,
    });
  });
  app.get('/get/:key', (c) => c.json(c.var.session.get(c.req.param('key')) ?? null));
  app.post('/write/:key/:value', (c) => {
    c.var.session.set(c.req.param('key'), c.req.param('value'));
    return c.json({ ok: true });
  });
  app.post('/login/:user', async (c) => {
    await c.var.session.regenerate({
      userId: c.req.param('user'),
      user: { name: c.req.param('user') },
    });
    return c.json({ id: c.var.session.id });
  });
  app.post('/logout', async (c) => {
    await c.var.session.destroy();
    return c.json({ ok: true });
  });
  app.post('/extend', (c) => {
    c.var.session.extend();
    return c.json(c.var.session.deadlines);
  });
  return { app, clock, events, memory, counting, manager: middleware.manager };
}

/** The value of our session cookie in a response, `''` when cleared, `null` when not set. */
export function sessionCookie(res: Response, name = 'lifeline'): string | null {
  const lines = res.headers.getSetCookie().filter((l) => l.startsWith(`${name}=`));
  if (lines.length > 1) throw new Error(`more than one Set-Cookie for ${name}`);
  const line = lines[0];
  return line === undefined ? null : line.slice(name.length + 1).split(';')[0]!;
}

/** Request init carrying a session cookie. */
export function withCookie(token: string, init: RequestInit = {}, name = 'lifeline'): RequestInit {
  return {
    ...init,
    headers: { ...(init.headers as Record<string, string>), Cookie: `${name}=${token}` },
  };
}
