import type { ChannelFactory } from '../types.js';

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
  /** Channels of their own for one tab, on this hub, to freeze that tab alone. */
  forTab(): TabChannels;
}

/** The hub as one tab sees it: every channel the tab opens, frozen and resumed together. */
export interface TabChannels {
  /** A `channel` option for this tab's client. */
  channel: ChannelFactory;
  /**
   * The tab stops hearing: messages and leadership news for it wait, in order, for
   * `resume()`. It stays in the election (a frozen leader still leads, as it keeps its lock).
   */
  freeze(): void;
  /** Delivers what waited, in order (asynchronously, as every delivery). */
  resume(): void;
}

/** Whether a tab hears now, and what waits for it while it does not. */
interface Tab {
  frozen: boolean;
  waiting: Array<() => void>;
}

interface Member {
  name: string;
  tab: Tab;
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
  /** Runs `fn` for `member` now, or when its tab resumes (after what waited before it). */
  const reach = ({ tab }: Member, fn: () => void) => {
    if (tab.frozen || tab.waiting.length) tab.waiting.push(fn);
    else fn();
  };
  const deliver = (from: Member | null, message: unknown) => {
    const copy = structuredClone(message);
    // The recipients are those open when the message is posted, as in a browser: a channel
    // opened after (a tab opened in the same task) does not hear it.
    const to = members.filter((m) => m !== from && (!from || m.name === from.name));
    queueMicrotask(() => {
      for (const m of to) {
        if (members.includes(m))
          reach(m, () => {
            for (const fn of [...m.messages]) fn(copy);
          });
      }
    });
  };
  const elect = (name: string) => {
    const first = members.find((m) => m.name === name);
    if (!first || first.leader) return;
    first.leader = true;
    queueMicrotask(() =>
      reach(first, () => {
        for (const fn of [...first.leadership]) fn(true);
      }),
    );
  };
  const channelOf =
    (tab: Tab): ChannelFactory =>
    (name) => {
      const me: Member = { name, tab, messages: new Set(), leadership: new Set(), leader: false };
      members.push(me);
      elect(name);
      return {
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
          // A closed channel leads nothing, as `broadcastChannel()`'s says.
          me.leader = false;
          elect(name);
        },
      };
    };
  return {
    channel: channelOf({ frozen: false, waiting: [] }),
    open: () => members.length,
    inject: (message) => deliver(null, message),
    forTab() {
      const tab: Tab = { frozen: false, waiting: [] };
      return {
        channel: channelOf(tab),
        freeze() {
          tab.frozen = true;
        },
        resume() {
          tab.frozen = false;
          queueMicrotask(() => {
            while (!tab.frozen && tab.waiting.length) tab.waiting.shift()?.();
          });
        },
      };
    },
  };
}
