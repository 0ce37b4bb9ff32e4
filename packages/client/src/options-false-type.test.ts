// @vitest-environment node
// docs/client.md, Options: an option without a default, "such as `channel` or `activity`,
// takes an object or a function, or `null`/`false` for none"; the Size section says
// `locks: false` is "accepted for 'none'" (a test covers it). The runtime takes both; the
// published `SessionClientOptions` refuses them (checked by `npm run check`).
import { expect, it } from 'vitest';
import { createClientCore } from './shell/client.js';
import type { SessionClientOptions } from './types.js';

// Fails `tsc --noEmit` today: Type 'boolean' is not assignable to type 'ChannelFactory' /
// 'LockManagerLike'.
const none: SessionClientOptions = { channel: false, locks: false };

it('channel: false and locks: false are accepted at runtime', () => {
  const client = createClientCore({
    ...none,
    fetch: async () => new Response(null, { status: 503 }),
  });
  expect(client.getSnapshot().isLeader).toBe(true);
  client.destroy();
});
