// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSessionClient } from '../index.js';
import { broadcastChannel } from './broadcast.js';

afterEach(() => vi.unstubAllGlobals());

describe('broadcastChannel() without Web Locks', () => {
  it('refuses to open, so the client runs the tab alone as its own leader', () => {
    vi.stubGlobal('navigator', { ...navigator, locks: undefined });
    expect(() => broadcastChannel('lifeline-test')).toThrow('no Web Locks');
    const client = createSessionClient({
      fetch: () => new Promise<Response>(() => {}),
      locks: null,
    });
    expect(client.getSnapshot().isLeader).toBe(true);
    client.destroy();
  });
});
