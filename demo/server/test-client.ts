import { memoryStore } from '@lifeline/server';
import { createDemoApp } from './app.js';
import { type DemoConfig, loadConfig } from './config.js';

export const MIN = 60_000;
export const ORIGIN = 'http://localhost';
export const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** The demo app with a hand-driven clock and a cookie-keeping, same-origin client. */
export function demo(overrides: Partial<DemoConfig> = {}, webRoot?: string) {
  let time = 1_700_000_000_000;
  const now = () => time;
  const store = memoryStore({ now });
  const app = createDemoApp({ ...loadConfig({}), ...overrides }, { now, store, webRoot });
  const jar = new Map<string, string>();
  async function send(method: string, path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('Sec-Fetch-Site')) headers.set('Sec-Fetch-Site', 'same-origin');
    if (!headers.has('Origin')) headers.set('Origin', ORIGIN);
    if (jar.size > 0) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await app.request(`${ORIGIN}${path}`, { ...init, method, headers });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const name = pair.slice(0, pair.indexOf('='));
      if (/Max-Age=0(;|$)/.test(line)) jar.delete(name);
      else jar.set(name, pair.slice(name.length + 1));
    }
    return res;
  }
  const postJson = (path: string, body: unknown) =>
    send('POST', path, { body: JSON.stringify(body), headers: JSON_HEADERS });
  const login = (remember = false) =>
    postJson('/login', { username: 'demo', password: 'demo', remember });
  const status = async () => (await send('GET', '/session/status')).json();
  return { app, store, jar, send, postJson, login, status, advance: (ms: number) => (time += ms) };
}
