/**
 * A real server and real clients sharing one browser's cookie jar, whose requests can be
 * held on the way to the server (cookies already attached) or on the way back: for races
 * between the tabs of one browser.
 */

import type { SessionEvent } from '@lifeline/client';
import {
  createSimulatedBrowser,
  createVirtualClock,
  flush,
  type SimulatedBrowser,
} from '@lifeline/client/testing';
import { type AppConfig, startServer, type TestServer } from './security/harness.js';

/** A browser's cookie jar: cookies attached at send time; a hold can delay the network leg. */
export function jar(base: string) {
  const cookies = new Map<string, string>();
  const log: Array<{ method: string; path: string; status?: number }> = [];
  let hold: ((req: Request) => Promise<void> | undefined) | null = null;
  let holdAnswer: ((req: Request) => Promise<void> | undefined) | null = null;
  const state = { inflight: 0 };
  const fetchFn: typeof fetch = async (input, init) => {
    const request =
      typeof input === 'object' && 'url' in input
        ? new Request(input as Request, init)
        : new Request(new URL(String(input), base), init);
    const headers = new Headers(request.headers);
    headers.set('origin', base);
    headers.set('sec-fetch-site', 'same-origin');
    const cookieHeader = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookieHeader) headers.set('cookie', cookieHeader);
    const entry = {
      method: request.method,
      path: new URL(request.url).pathname,
    } as (typeof log)[number];
    log.push(entry);
    state.inflight++;
    try {
      const wait = hold?.(request);
      const body =
        request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
      if (wait) await wait; // in flight: cookies already attached
      const res = await fetch(request.url, {
        method: request.method,
        headers,
        body,
        redirect: 'manual',
      });
      entry.status = res.status;
      const after = holdAnswer?.(request);
      if (after) await after; // answered, but the answer is still on its way
      for (const line of res.headers.getSetCookie()) {
        const [pair = '', ...attrs] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const gone =
          value === '' || attrs.some((a) => /max-age=0\b|expires=thu, 01 jan 1970/i.test(a.trim()));
        if (gone) cookies.delete(name);
        else cookies.set(name, value);
      }
      await res.clone().arrayBuffer();
      return res;
    } finally {
      state.inflight--;
    }
  };
  return {
    cookies,
    log,
    state,
    fetch: fetchFn,
    setHold(h: typeof hold) {
      hold = h;
    },
    setHoldAnswer(h: typeof holdAnswer) {
      holdAnswer = h;
    },
  };
}

export async function until(check: () => boolean, rounds = 300): Promise<boolean> {
  for (let i = 0; i < rounds && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  return check();
}

/** A real server whose clock is the simulated browser's clock, plus a jar and tabs. */
export async function world(config: AppConfig = {}, clientOptions = {}) {
  const clock = createVirtualClock(Date.now());
  const srv: TestServer = await startServer({
    ...config,
    clock: { now: clock.now, advance: (ms) => clock.advance(ms) },
  });
  const j = jar(srv.base);
  const browser: SimulatedBrowser = createSimulatedBrowser({
    clock,
    url: `${srv.base}/`,
    endpoint: `${srv.base}/session`,
    fetch: j.fetch,
    activity: false,
    ...clientOptions,
  });
  const events: Array<SessionEvent & { tab: number }> = [];
  let n = 0;
  const open = async () => {
    const tab = browser.openTab();
    const i = ++n;
    for (const t of [
      'expired',
      'signed-out',
      'reauthenticated',
      'reauth-failed',
      'extended',
      'error',
      'warning',
    ] as const)
      tab.client.on(t, (e) => events.push({ ...(e as SessionEvent), tab: i }));
    return tab;
  };
  /** Lets every request in flight finish and its effects run. */
  const settle = async () => {
    for (let i = 0; i < 400; i++) {
      await flush(20);
      if (j.state.inflight === 0) {
        await new Promise((r) => setTimeout(r, 2));
        await flush(50);
        if (j.state.inflight === 0) return;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  /** Moves time in steps, settling the network after each. */
  const run = async (ms: number, stepMs = 1000, each?: (t: number) => void) => {
    for (let t = 0; t < ms; t += stepMs) {
      clock.advance(Math.min(stepMs, ms - t));
      each?.(t);
      await settle();
    }
  };
  const count = (method: string, path: string) =>
    j.log.filter((l) => l.method === method && l.path === path).length;
  return { clock, srv, jar: j, browser, events, open, flush, settle, run, count };
}
