import { BroadcastChannel, createLeaderElection } from 'broadcast-channel';
import type { TabChannel } from '../types.js';

/**
 * The default cross-tab channel: `broadcast-channel` (native BroadcastChannel) with its
 * leader election, which holds a Web Lock. Kept in its own module so the core can be
 * bundled without it.
 */
export function broadcastChannel(name: string): TabChannel {
  // Without Web Locks (no browser the bundles' syntax runs in), the tab runs alone: the
  // client takes a channel that throws as none. Our bundles carry the Web Lock elector only.
  if (!globalThis.navigator?.locks) throw new Error('broadcastChannel: no Web Locks');
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
