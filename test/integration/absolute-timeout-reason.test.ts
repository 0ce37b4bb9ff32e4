import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { SessionEvent } from '@lifeline/client';
import { createVirtualClock, type VirtualClock } from '@lifeline/client/testing';
import { afterEach, expect, it } from 'vitest';
import { createDemoApp } from '../../demo/server/app.js';
import { loadConfig } from '../../demo/server/config.js';
import { nodeClient } from './node-client.fixture.js';

// A browser drops a cookie at its Max-Age. When the session cookie's Max-Age ended at the
// absolute deadline, a tab that asked just after it (a laptop waking, a throttled tab) sent
// no cookie, heard `missing`, and told the person "Your session ended" instead of
// "Maximum session length reached".

/** A fetch with a cookie jar that expires cookies at their Max-Age on `clock`, as a browser does. */
function browserFetch(base: string, clock: VirtualClock): typeof fetch {
  const jar = new Map<string, { value: string; expiresAt: number }>();
  return async (input, init) => {
    const request =
      input instanceof Request ? input : new Request(new URL(String(input), base), init);
    const headers = new Headers(request.headers);
    headers.set('origin', base);
    for (const [name, cookie] of jar) if (clock.now() >= cookie.expiresAt) jar.delete(name);
    headers.set('cookie', [...jar].map(([name, c]) => `${name}=${c.value}`).join('; '));
    const res = await fetch(new Request(request, { headers }));
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      const maxAge = Number(
        attributes.map((a) => /max-age=(\d+)/i.exec(a.trim())?.[1]).find(Boolean) ?? 'NaN',
      );
      if (value === '' || maxAge === 0) jar.delete(name.trim());
      else jar.set(name.trim(), { value: value.trim(), expiresAt: clock.now() + maxAge * 1000 });
    }
    return res;
  };
}

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup) undo();
  cleanup = [];
});

it('tells a tab that asks just after the absolute deadline that it was the absolute timeout', async () => {
  const clock = createVirtualClock(Date.now());
  const env = { IDLE_TIMEOUT_S: '600', ABSOLUTE_TIMEOUT_S: '900', WARN_BEFORE_S: '60' };
  const app = createDemoApp(loadConfig(env), { now: () => clock.now() });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  cleanup.push(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = browserFetch(base, clock);
  const login = await browser('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password: 'demo' }),
  });
  expect(login.ok).toBe(true);
  const client = nodeClient(`${base}/session`, browser, clock);
  cleanup.push(() => client.destroy());
  const ended: SessionEvent[] = [];
  client.on('expired', (event) => ended.push(event));
  await expect.poll(() => client.getSnapshot().state).toBe('active');

  clock.sleep(500_000);
  expect(await client.extend()).toBe(true); // the person works on: idle now reaches past absolute
  clock.sleep(401_000); // a second past the absolute deadline, asleep (no timer ran)
  await client.refresh(); // what waking does (`focus`, `resume`, `pageshow`)
  await expect.poll(() => client.getSnapshot().state).toBe('expired');
  expect(client.getSnapshot().lastReason).toBe('absolute-timeout');
  expect(ended.at(-1)).toMatchObject({ reason: 'absolute-timeout', limit: 'absolute' });
});
