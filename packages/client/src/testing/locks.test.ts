import { describe, expect, it } from 'vitest';
import { createFakeLocks, flush } from './index.js';

const never = () => new Promise<never>(() => {});

describe('createFakeLocks', () => {
  it('lets one holder at a time have a lock, in the order asked', async () => {
    const locks = createFakeLocks();
    const ran: string[] = [];
    let release = () => {};
    const first = locks.request('x', {}, () => {
      ran.push('first');
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const second = locks.request('x', {}, async () => ran.push('second'));
    const other = locks.request('y', {}, async () => ran.push('other name'));
    await flush();
    expect(ran).toEqual(['first', 'other name']);
    expect(locks.active()).toBe(2);
    release();
    await Promise.all([first, second, other]);
    expect(ran).toEqual(['first', 'other name', 'second']);
    expect(locks.active()).toBe(0);
  });

  it("a closed tab's lock goes to the next tab at once, though its callback never settles", async () => {
    const locks = createFakeLocks();
    const [a, b] = [locks.forTab(), locks.forTab()];
    const held = a.request('reauth', {}, never);
    const next = b.request('reauth', {}, async () => 'b ran');
    await flush();
    expect(locks.active()).toBe(2);
    a.close();
    expect(await next).toBe('b ran');
    await expect(held).rejects.toMatchObject({ name: 'AbortError' });
    expect(locks.active()).toBe(0);
  });

  it("a closed tab's queued request never runs; the ones behind it still do, in order", async () => {
    const locks = createFakeLocks();
    const [a, b, c] = [locks.forTab(), locks.forTab(), locks.forTab()];
    const ran: string[] = [];
    let release = () => {};
    const first = a.request('reauth', {}, () => {
      ran.push('a');
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const dropped = b.request('reauth', {}, async () => ran.push('b'));
    const last = c.request('reauth', {}, async () => ran.push('c'));
    await flush();
    b.close();
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await Promise.all([first, last]);
    expect(ran).toEqual(['a', 'c']);
  });

  it('an aborted signal withdraws a waiting request, as in a browser, and leaves a granted one alone', async () => {
    const locks = createFakeLocks();
    const ran: string[] = [];
    let release = () => {};
    const granted = new AbortController();
    const first = locks.request('x', { signal: granted.signal }, () => {
      ran.push('first');
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const waiting = new AbortController();
    const withdrawn = locks.request('x', { signal: waiting.signal }, async () =>
      ran.push('withdrawn'),
    );
    const last = locks.request('x', {}, async () => ran.push('last'));
    await flush();
    granted.abort();
    waiting.abort();
    await expect(withdrawn).rejects.toMatchObject({ name: 'AbortError' });
    expect(locks.active()).toBe(2);
    const late = locks.request('x', { signal: waiting.signal }, async () => ran.push('late'));
    await expect(late).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await Promise.all([first, last]);
    expect(ran).toEqual(['first', 'last']);
    expect(locks.active()).toBe(0);
  });
});
