import { describe, expect, it } from 'vitest';
import { Browser, routesTestApp } from './test-app.fixture.js';

async function signedIn() {
  const t = routesTestApp();
  const browser = new Browser(t.app);
  await browser.post('/login');
  return { ...t, browser };
}

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toBe('application/problem+json');
  expect(await res.json()).toMatchObject({ status, code });
}

const alive = async (browser: Browser) =>
  (await (await browser.get('/session/status')).json()).state === 'active';

describe('session routes: CSRF', () => {
  it('refuses a cross-site logout and keeps the session', async () => {
    const { browser } = await signedIn();
    const res = await browser.send('POST', '/session/logout', {
      headers: { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.test' },
    });
    await expectProblem(res, 403, 'csrf_rejected');
    expect(await alive(browser)).toBe(true);
  });

  it('refuses a foreign Origin from a browser without Sec-Fetch-Site', async () => {
    const { browser } = await signedIn();
    const res = await browser.send('POST', '/session/extend', {
      headers: { 'Sec-Fetch-Site': null, Origin: 'https://evil.test' },
    });
    await expectProblem(res, 403, 'csrf_rejected');
  });

  it('refuses a simple form post without the Session-Request header', async () => {
    const { browser } = await signedIn();
    const res = await browser.send('POST', '/session/logout', {
      body: 'x=1',
      headers: { 'Session-Request': null, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await expectProblem(res, 403, 'csrf_rejected');
    expect(await alive(browser)).toBe(true);
  });

  it('accepts a same-origin JSON post without the marker header', async () => {
    const { browser } = await signedIn();
    const res = await browser.send('POST', '/session/extend', {
      body: '{}',
      headers: { 'Session-Request': null, 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
  });
});

describe('session routes: bad input is a 4xx problem', () => {
  it('answers a wrong method with 405 and Allow', async () => {
    const { browser } = await signedIn();
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/session/status', 'GET, HEAD'],
      ['PUT', '/session/extend', 'POST'],
      ['GET', '/session/reauth', 'POST'],
      ['POST', '/session/client.js', 'GET, HEAD'],
      ['PATCH', '/session/sessions', 'GET, HEAD'],
      ['GET', '/session/sessions/revoke', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await browser.send(method, path);
      await expectProblem(res, 405, 'invalid_request');
      expect(res.headers.get('Allow')).toBe(allow);
    }
  });

  it('answers a non-JSON body with 415', async () => {
    const { browser } = await signedIn();
    const res = await browser.send('POST', '/session/extend', {
      body: 'hello',
      headers: { 'Content-Type': 'text/plain' },
    });
    await expectProblem(res, 415, 'invalid_request');
  });

  it('answers malformed JSON and unknown fields with 400', async () => {
    const { browser } = await signedIn();
    const json = { 'Content-Type': 'application/json; charset=utf-8' };
    for (const body of ['{', '[]', 'null', '{"extra":true}', '"x"']) {
      const res = await browser.send('POST', '/session/extend', { body, headers: json });
      await expectProblem(res, 400, 'invalid_request');
    }
  });

  it('answers a body over 4 KB with 413, with or without Content-Length', async () => {
    const { browser } = await signedIn();
    const big = JSON.stringify({ pad: 'x'.repeat(5000) });
    const res = await browser.send('POST', '/session/logout', {
      body: big,
      headers: { 'Content-Type': 'application/json' },
    });
    await expectProblem(res, 413, 'invalid_request');
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        controller.close();
      },
    });
    const streamed = await browser.send('POST', '/session/logout', {
      body: chunks,
      headers: { 'Content-Type': 'application/json' },
    });
    await expectProblem(streamed, 413, 'invalid_request');
    expect(await alive(browser)).toBe(true);
  });

  it('leaves the session untouched when a logout body is refused', async () => {
    const { browser } = await signedIn();
    await browser.send('POST', '/session/logout', {
      body: '{"all":true}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(await alive(browser)).toBe(true);
  });
});
