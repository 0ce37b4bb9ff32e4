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
  const messageListeners = new Set<(message: unknown) => void>();
  const leaderListeners = new Set<(isLeader: boolean) => void>();
  let leader = false;
  let closed = false;
  channel.addEventListener('message', (message) => {
    for (const fn of [...messageListeners]) fn(message);
  });
  elector
    .awaitLeadership()
    .then(() => {
      if (closed) return;
      leader = true;
      for (const fn of [...leaderListeners]) fn(true);
    })
    // Dying before winning rejects or never settles; either way there is nothing to do.
    .catch(() => undefined);
  return {
    post(message) {
      if (!closed) channel.postMessage(message).catch(() => undefined);
    },
    onMessage(fn) {
      messageListeners.add(fn);
      return () => messageListeners.delete(fn);
    },
    isLeader: () => leader && !closed,
    onLeadership(fn) {
      leaderListeners.add(fn);
      return () => leaderListeners.delete(fn);
    },
    close() {
      if (closed) return;
      closed = true;
      messageListeners.clear();
      leaderListeners.clear();
      void elector.die().finally(() => channel.close());
    },
  };
}
