import type { SessionEvent, SessionEventType, SessionSnapshot } from '../types.js';
import type { DialogClient } from './dialog.js';

/** A scripted stand-in for the session client, for the dialog's unit tests. */
export interface FakeClient extends DialogClient {
  /** Replaces part of the snapshot and notifies subscribers. */
  set(patch: Partial<SessionSnapshot>): void;
  /** Delivers an event to its listeners. */
  emit(event: SessionEvent): void;
  /** Calls made to the action methods, in order. */
  calls: string[];
  /** What `reauthenticate()` resolves to. */
  reauthResult: boolean;
  /** How many subscribers and event listeners are attached (to prove unmount cleans up). */
  attached(): number;
}

/** Makes a fake client whose snapshot starts active, deadlines far away. */
export function fakeClient(now: number): FakeClient {
  let snapshot: SessionSnapshot = {
    state: 'active',
    idleExpiresAt: now + 600_000,
    absoluteExpiresAt: now + 3_600_000,
    remaining: 600_000,
    warning: null,
    isLeader: true,
    lastReason: null,
    canReauth: false,
    user: { name: 'demo' },
    tabId: 'tab-a',
  };
  const subscribers = new Set<() => void>();
  const listeners = new Map<SessionEventType, Set<(e: SessionEvent) => void>>();
  const fake: FakeClient = {
    calls: [],
    reauthResult: true,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
    on(type, listener) {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      const l = listener as (e: SessionEvent) => void;
      set.add(l);
      return () => set.delete(l);
    },
    async extend() {
      fake.calls.push('extend');
      return true;
    },
    async logout() {
      fake.calls.push('logout');
      return true;
    },
    async reauthenticate() {
      fake.calls.push('reauthenticate');
      return fake.reauthResult;
    },
    attached: () => subscribers.size + [...listeners.values()].reduce((n, set) => n + set.size, 0),
    set(patch) {
      snapshot = { ...snapshot, ...patch };
      for (const s of subscribers) s();
    },
    emit(event) {
      for (const l of listeners.get(event.type) ?? []) l(event);
    },
  };
  return fake;
}
