import type { ChannelFactory, TabChannel } from '../types.js';

/**
 * Tabs sharing in-memory channels, one per name as with BroadcastChannel, each with a
 * deterministic leader (its oldest open tab).
 */
export interface MemoryHub {
  /** A `channel` option for `createSessionClient`: each call is one more tab on that name. */
  channel: ChannelFactory;
  /** Channels still open, of every name. */
  open(): number;
  /** Delivers raw data to every open tab, as a foreign or broken sender would. */
  inject(message: unknown): void;
}

interface Member {
  name: string;
  messages: Set<(m: unknown) => void>;
  leadership: Set<(leader: boolean) => void>;
  leader: boolean;
}

/**
 * An in-memory cross-tab channel. Delivery is asynchronous and structured-cloned like a
 * real BroadcastChannel's (`undefined`, `NaN` and `Infinity` arrive as sent); the sender
 * does not hear itself.
 */
export function createMemoryHub(): MemoryHub {
  const members: Member[] = [];
  const deliver = (from: Member | null, message: unknown) => {
    const copy = structuredClone(message);
    queueMicrotask(() => {
      for (const m of members) {
        if (m !== from && (!from || m.name === from.name))
          for (const fn of [...m.messages]) fn(copy);
      }
    });
  };
  const elect = (name: string) => {
    const first = members.find((m) => m.name === name);
    if (!first || first.leader) return;
    first.leader = true;
    queueMicrotask(() => {
      for (const fn of [...first.leadership]) fn(true);
    });
  };
  const channel: ChannelFactory = (name) => {
    const me: Member = { name, messages: new Set(), leadership: new Set(), leader: false };
    members.push(me);
    elect(name);
    const tab: TabChannel = {
      post: (message) => deliver(me, message),
      onMessage(fn) {
        me.messages.add(fn);
        return () => me.messages.delete(fn);
      },
      isLeader: () => me.leader,
      onLeadership(fn) {
        me.leadership.add(fn);
        return () => me.leadership.delete(fn);
      },
      close() {
        const at = members.indexOf(me);
        if (at < 0) return;
        members.splice(at, 1);
        me.messages.clear();
        me.leadership.clear();
        elect(name);
      },
    };
    return tab;
  };
  return { channel, open: () => members.length, inject: (message) => deliver(null, message) };
}
