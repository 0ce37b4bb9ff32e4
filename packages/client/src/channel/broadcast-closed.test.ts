import { BroadcastChannel } from 'broadcast-channel';
import { expect, it } from 'vitest';
import { broadcastChannel } from './broadcast.js';

// Our build step shortens the package's error for a post after `close()` (its message
// carried the post's data, about 60 B gzip). The refusal itself stays; the SDK's channel
// never gets there, as it checks first.
it('still refuses a post after close(), with the shorter message', async () => {
  const channel = new BroadcastChannel(`closed-${Math.random()}`);
  await channel.close();
  expect(() => channel.postMessage({ secret: 1 })).toThrow(/^BroadcastChannel closed$/);
});

it("posts nothing and throws nothing from the SDK's channel once it is closed", () => {
  const channel = broadcastChannel(`closed-${Math.random()}`);
  channel.close();
  expect(() => channel.post({ v: 2 })).not.toThrow();
});
