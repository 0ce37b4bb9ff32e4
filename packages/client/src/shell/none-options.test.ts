import { expect, it } from 'vitest';
import { createSessionClient } from '../index.js';
import { createFakeServer, flush } from '../testing/index.js';

// docs/client.md: an option without a default takes `null` or `false` for none. These
// calls are also type-checked: the published types once refused three of the six.
it('takes null and false for "none" in activity, channel and locks, and runs the tab alone', async () => {
  const server = createFakeServer({ now: Date.now });
  server.signIn();
  for (const none of [null, false] as const) {
    const client = createSessionClient({
      fetch: server.fetch,
      activity: none,
      channel: none,
      locks: none,
    });
    await flush();
    expect(client.getSnapshot()).toMatchObject({ state: 'active', isLeader: true });
    client.destroy();
  }
});
