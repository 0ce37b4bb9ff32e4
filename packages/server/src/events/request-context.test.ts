import { Hono } from 'hono';
import { contextStorage, getContext } from 'hono/context-storage';
import { expect, it } from 'vitest';
import { rememberMe } from '../remember/index.js';
import { sessionRoutes } from '../routes/routes.js';
import { session } from '../session/middleware.js';
import type { SessionEnv } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';

// docs/server.md, "Which client an event came from": the hooks carry no request, yet a
// guess is worth throttling per client. Both run inside the request, so Hono's context
// storage gives them its headers.
it("lets onEvent and rememberMe's onEvent name the client of a guessed cookie through Hono's context storage", async () => {
  const store = memoryStore();
  const from: string[] = [];
  const who = () => getContext().req.header('X-Client') ?? 'unknown';
  const app = new Hono<SessionEnv>();
  app.use(contextStorage());
  app.use(
    session({
      store,
      reauth: rememberMe({
        store,
        findUser: () => null,
        onEvent: (e) => void from.push(`${e.type} credential from ${who()}`),
      }),
      onEvent: (e) => {
        if (e.type === 'rejected') from.push(`${e.reason} session from ${who()}`);
      },
    }),
  );
  app.route('/session', sessionRoutes());
  app.get('/', (c) => c.text(c.var.session.state));
  const guess = 'A'.repeat(43);
  await app.request('/', { headers: { Cookie: `lifeline=${guess}`, 'X-Client': '198.51.100.7' } });
  await app.request('/session/reauth', {
    method: 'POST',
    headers: {
      Cookie: `lifeline_remember=${guess}`,
      'X-Client': '203.0.113.9',
      'Sec-Fetch-Site': 'same-origin',
      'Session-Request': '1',
    },
  });
  expect(from).toEqual([
    'unknown session from 198.51.100.7',
    'unknown credential from 203.0.113.9',
  ]);
});
