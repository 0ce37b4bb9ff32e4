import { afterEach, expect, it } from 'vitest';
import { createClientCore } from '../shell/client.js';
import { defaultNow } from '../shell/clock.js';
import { createFakeServer } from '../testing/index.js';
import { broadcastChannel } from './broadcast.js';

const tick = () => new Promise((r) => setTimeout(r, 50));
const thrown: unknown[] = [];
const catchThrown = (error: unknown) => thrown.push(error);
afterEach(() => {
  process.removeListener('uncaughtException', catchThrown);
  thrown.length = 0;
});

/**
 * Messages on the SDK's channel name without `broadcast-channel`'s wrapping: another
 * script using the same name, or another version posting raw. The package's listener threw
 * on them into the page (`Cannot read properties of undefined (reading 'forEach')`), with
 * no `error` event; they are now refused as malformed cross-tab messages, and the session
 * goes on.
 */
it.each([
  ['null', null],
  ['a string', 'hello'],
  ['an unknown wrapping type', { type: 'other', data: {} }],
  ['`__proto__` as the type', JSON.parse('{"type":"__proto__","data":{}}')],
  [
    'a message of a future version, unwrapped',
    { v: 3, from: 'future', type: 'answer', op: 'status' },
  ],
])(
  'refuses a raw message on the channel (%s) with an error event, throwing nothing',
  async (_, raw) => {
    process.prependListener('uncaughtException', catchThrown);
    const server = createFakeServer({ now: defaultNow, idleTimeoutMs: 10 * 60_000 });
    server.signIn();
    const name = `raw-${Math.random()}`;
    const client = createClientCore({
      fetch: server.fetch,
      channel: broadcastChannel,
      channelName: name,
      locks: null,
    });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.operation));
    for (let i = 0; i < 5 && client.getSnapshot().state !== 'active'; i++) await tick();
    const other = new BroadcastChannel(name);
    other.postMessage(raw);
    await tick();
    other.close();
    expect(thrown.map(String)).toEqual([]);
    expect(errors).toEqual(['channel']);
    expect(client.getSnapshot().state).toBe('active');
    client.destroy();
  },
);
