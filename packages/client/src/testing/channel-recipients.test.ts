// @vitest-environment node

import { expect, it } from 'vitest';
import { createMemoryHub, flush } from './index.js';

// HTML, BroadcastChannel postMessage(): the destinations are the channels of that name
// open *when postMessage() is called*; one made afterwards does not get the message.
it('a channel opened after a post does not receive that post (as BroadcastChannel)', async () => {
  // What a real BroadcastChannel does (Node's implements the spec):
  const realA = new BroadcastChannel('review-late');
  realA.postMessage('before B existed');
  const realB = new BroadcastChannel('review-late');
  const realGot: unknown[] = [];
  realB.onmessage = (e) => realGot.push(e.data);
  await new Promise((r) => setTimeout(r, 50));
  realA.close();
  realB.close();
  expect(realGot).toEqual([]);

  // The in-memory hub: a tab opened in the same task as another tab's post hears it.
  const hub = createMemoryHub();
  const a = hub.channel('lifeline');
  a.post({ type: 'signed-out' });
  const b = hub.forTab().channel('lifeline');
  const got: unknown[] = [];
  b.onMessage((m) => got.push(m));
  await flush();
  expect(got).toEqual(realGot);
});
