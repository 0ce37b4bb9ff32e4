import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { SessionClient, SessionEvent } from '@lifeline/client';
import { createVirtualClock, type VirtualClock } from '@lifeline/client/testing';
import { DEADLINE_HEADER, parseDeadlineHeader } from '@lifeline/server/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoApp } from '../../demo/server/app.js';
import { loadConfig } from '../../demo/server/config.js';
import { nodeClient } from './node-client.fixture.js';

const SKEW = 90_000; // the server's clock runs 90 s ahead of the browser's

/** A browser-ish fetch for Node: one cookie jar, same-origin `Origin`, relative URLs. */
function cookieJarFetch(base: string): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const request =
      typeof input === 'object' && 'url' in input
        ? input
        : new Request(new URL(String(input), base), init);
    const headers = new Headers(request.headers);
    headers.set('origin', base);
    headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(new Request(request, { headers }));
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      const gone =
        value === '' || attrs.some((a) => /max-age=0\b|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (gone) jar.delete(name.trim());
      else jar.set(name.trim(), value.trim());
    }
    return res;
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

let close: () => void;
let base: string;
let clock: VirtualClock;
let client: SessionClient;
let browserFetch: typeof fetch;
let events: SessionEvent[];

beforeEach(async () => {
  clock = createVirtualClock(Date.now());
  const config = loadConfig({
    IDLE_TIMEOUT_S: '600',
    ABSOLUTE_TIMEOUT_S: '3600',
    WARN_BEFORE_S: '60',
  });
  const app = createDemoApp(config, { now: () => clock.now() + SKEW });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
  browserFetch = cookieJarFetch(base);
  const login = await browserFetch('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password: 'demo', remember: true }),
  });
  expect(login.ok).toBe(true);
  client = nodeClient(`${base}/session`, browserFetch, clock);
  events = [];
  for (const type of ['extended', 'expired', 'reauthenticated', 'signed-out', 'error'] as const) {
    client.on(type, (e) => events.push(e));
  }
  await until(() => client.getSnapshot().state === 'active');
});

afterEach(() => {
  client.destroy();
  close();
});

describe('client against a real Lifeline server', () => {
  it('reads /status with the server clock skew corrected', () => {
    const snap = client.getSnapshot();
    expect(snap.user).toMatchObject({});
    // 10 minutes of idle time from a login that happened at the (local) now.
    expect(snap.idleExpiresAt).toBe(clock.now() + 600_000);
    expect(snap.absoluteExpiresAt).toBe(clock.now() + 3_600_000);
  });

  it('learns a slid idle deadline from the Session-Deadline header of app responses', async () => {
    clock.advance(120_000);
    const res = await client.fetch(`${base}/api/me`);
    expect(res.status).toBe(200);
    const header = parseDeadlineHeader(res.headers.get(DEADLINE_HEADER));
    expect(header).not.toBeNull();
    expect(client.getSnapshot().idleExpiresAt).toBe((header?.idle ?? 0) - SKEW);
    expect(client.getSnapshot().idleExpiresAt).toBeGreaterThan(clock.now() + 590_000);
  });

  it('extends the idle deadline with POST /session/extend', async () => {
    const before = client.getSnapshot().idleExpiresAt ?? 0;
    clock.advance(300_000);
    await client.extend();
    await until(() => events.some((e) => e.type === 'extended'));
    expect(client.getSnapshot().idleExpiresAt).toBe(before + 300_000);
  });

  it('on a 401 re-authenticates with the remember-me credential and replays the request once', async () => {
    clock.sleep(700_000); // past the idle timeout, as a laptop lid would
    const res = await client.fetch(`${base}/api/cart`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'kept draft' }),
    });
    expect(res.status).toBe(200);
    expect(events.map((e) => e.type)).toContain('reauthenticated');
    expect(client.getSnapshot().state).toBe('active');
  });

  it('signs out with POST /session/logout and the server agrees', async () => {
    // The logout names the session it is meant for; the server takes that body.
    expect(await client.logout()).toBe(true);
    await until(() => client.getSnapshot().state === 'signed-out');
    const status = await (await browserFetch('/session/status')).json();
    expect(status).toMatchObject({ state: 'none' });
  });
});
