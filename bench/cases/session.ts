import { type SessionEnv, type SessionStore, session, sessionRoutes } from '@lifeline/server';
import { Hono } from 'hono';
import { countingStore } from '../lib/counting-store.js';
import { BODY } from './bare.js';
import type { BenchCase, PreparedCase } from './types.js';

/** Builds the store a group of cases runs on; called once per measured server. */
export type StoreFactory = () => SessionStore | Promise<SessionStore>;

const ORIGIN = 'http://127.0.0.1';

/** An app with the middleware, the session routes and the three routes the cases drive. */
function benchApp(store: SessionStore, touchInterval?: number) {
  const app = new Hono<SessionEnv>();
  app.use(session({ store, ...(touchInterval === undefined ? {} : { touchInterval }) }));
  app.route('/session', sessionRoutes());
  app.get('/read', (c) => c.json({ ...BODY, value: c.var.session.get('value') ?? null }));
  app.get('/write', (c) => {
    c.var.session.set('value', BODY.value);
    return c.json(BODY);
  });
  return app;
}

/** Creates a session in-process and returns the `Cookie` header that carries it. */
async function seedCookie(app: Hono<SessionEnv>): Promise<string> {
  const response = await app.request(`${ORIGIN}/write`);
  const setCookie = response.headers.get('Set-Cookie');
  if (response.status !== 200 || setCookie === null) {
    throw new Error(`seeding a session failed: ${response.status}, no Set-Cookie`);
  }
  return setCookie.split(';')[0]!;
}

async function prepare(
  factory: StoreFactory,
  path: string,
  withCookie: boolean,
  touchInterval?: number,
) {
  const { store, counts } = countingStore(await factory());
  const app = benchApp(store, touchInterval);
  const headers: Record<string, string> = withCookie ? { Cookie: await seedCookie(app) } : {};
  const prepared: PreparedCase = {
    fetch: app.fetch,
    request: { method: 'GET', path, headers },
    counts,
  };
  if (store.close) prepared.close = () => store.close!();
  return prepared;
}

/**
 * The session cases for one store: an ordinary read with a valid cookie, a request that
 * creates a session, and `GET /session/status`. A store package adds its own group with
 * one call, e.g. `sessionCases('redis', () => redisStore({ client }))`.
 *
 * @example
 * export const memoryCases = sessionCases('memory', () => memoryStore());
 */
export function sessionCases(
  storeName: string,
  factory: StoreFactory,
  options: { touchEveryRequest?: boolean } = {},
): BenchCase[] {
  // touchInterval 0: every read is also a touch, the worst case for round trips.
  const touching: BenchCase[] = options.touchEveryRequest
    ? [
        {
          id: `${storeName}:touch-read`,
          title: `${storeName}: session read, touch due on every request (touchInterval 0)`,
          prepare: () => prepare(factory, '/read', true, 0),
        },
      ]
    : [];
  return [
    {
      id: `${storeName}:session-read`,
      title: `${storeName}: session read (valid cookie, route reads a key)`,
      target: { ratio: 0.75, maxWritesPerRequest: 0 },
      prepare: () => prepare(factory, '/read', true),
    },
    {
      id: `${storeName}:new-session`,
      title: `${storeName}: new session (no cookie, route writes a key)`,
      target: { ratio: 0.5 },
      prepare: () => prepare(factory, '/write', false),
    },
    {
      id: `${storeName}:status`,
      title: `${storeName}: GET /session/status (valid cookie)`,
      target: { maxWritesPerRequest: 0 },
      prepare: () => prepare(factory, '/session/status', true),
    },
    ...touching,
  ];
}
