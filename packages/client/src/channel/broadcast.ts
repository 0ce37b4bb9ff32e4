import { BroadcastChannel, createLeaderElection } from 'broadcast-channel';
import type { TabChannel } from '../types.js';

/**
 * The default cross-tab channel: `broadcast-channel` (native BroadcastChannel where
 * present) with its leader election by Web Lock. Kept in its own module so the core can be
 * bundled without it.
 *
 * Where there are no Web Locks (a page that is not a secure context: plain http on a host
 * other than localhost; Firefox before 96, Chromium before 69) the tabs still share their
 * news, but every tab leads: our bundles leave out the package's message-protocol election
 * (about 630 B gzip).
 */
export function broadcastChannel(name: string): TabChannel {
  // Only in a page that has one (every current browser; Safari before 15.4 has none). Node
  // has a `BroadcastChannel` too, which would pass one server-side client's news (one
  // person's session) to another, and keep the process alive. The client catches this and
  // runs the tab alone.
  if (typeof window === 'undefined' || typeof globalThis.BroadcastChannel !== 'function') {
    throw TypeError('broadcastChannel: no page');
  }
  const channel = new BroadcastChannel<unknown>(name);
  const elector = globalThis.navigator?.locks ? createLeaderElection(channel) : null;
  let closed = false;
  // Campaign from the start, so `isLeader()` turns true even before anyone listens (at once
  // without an election). Dying before winning rejects or never settles: nothing to do.
  const won = Promise.resolve(elector?.awaitLeadership()).then(
    () => true,
    () => false,
  );
  return {
    post(message) {
      if (!closed) channel.postMessage(message).catch(() => {});
    },
    onMessage(fn) {
      channel.addEventListener('message', fn);
      return () => channel.removeEventListener('message', fn);
    },
    isLeader: () => (!elector || elector.isLeader) && !closed,
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
      void Promise.resolve(elector?.die()).finally(() => channel.close());
    },
  };
}
