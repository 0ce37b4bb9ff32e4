import { BroadcastChannel, createLeaderElection } from 'broadcast-channel';
import type { TabChannel } from '../types.js';

/**
 * The default cross-tab channel: `broadcast-channel` (native BroadcastChannel where
 * present) with its leader election, which holds a Web Lock where the browser has them and
 * falls back to its message protocol elsewhere. Kept in its own module so the core can be
 * bundled without it.
 */
export function broadcastChannel(name: string): TabChannel {
  const channel = new BroadcastChannel<unknown>(name);
  const elector = createLeaderElection(channel);
  let closed = false;
  // Campaign from the start, so `isLeader()` turns true even before anyone listens. Dying
  // before winning rejects or never settles; either way there is nothing to do.
  const won = elector.awaitLeadership().then(
    () => true,
    () => false,
  );
  return {
    post(message) {
      if (!closed) channel.postMessage(message).catch(() => undefined);
    },
    onMessage(fn) {
      channel.addEventListener('message', fn);
      return () => channel.removeEventListener('message', fn);
    },
    isLeader: () => elector.isLeader && !closed,
    onLeadership(fn) {
      let listening = true;
      won.then((leader) => leader && listening && !closed && fn(true));
      return () => {
        listening = false;
      };
    },
    close() {
      if (closed) return;
      closed = true;
      void elector.die().finally(() => channel.close());
    },
  };
}
