import { BroadcastChannel, createLeaderElection } from 'broadcast-channel';
import type { TabChannel } from '../types.js';

/**
 * The default cross-tab channel: `broadcast-channel` (native BroadcastChannel where
 * present) with its leader election by Web Lock. Kept in its own module so the core can be
 * bundled without it.
 *
 * Throws where the browser has no Web Locks (Firefox before 96, Chromium before 69): our
 * bundles leave out the package's message-protocol election for those (about 630 B gzip),
 * so each tab there runs alone, as it does without `BroadcastChannel`.
 */
export function broadcastChannel(name: string): TabChannel {
  if (!navigator.locks) throw new TypeError('Lifeline: no Web Locks');
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
