import type { LockManagerLike } from '../types.js';

/** Fake Web Locks shared by simulated tabs: exclusive, first come first served, abortable while waiting. */
export interface FakeLocks extends LockManagerLike {
  /** Locks held or waited for right now. */
  active(): number;
  /** One tab's view of these locks: what it holds or waits for goes when the tab closes. */
  forTab(): TabLocks;
}

/** The lock manager as one tab sees it (its `navigator.locks`). */
export interface TabLocks extends LockManagerLike {
  /**
   * The tab closes: as a browser does, every lock it holds is released and every request it
   * queued is dropped at once, even if a callback's promise never settles. Its own pending
   * requests reject with an `AbortError` (nothing in a closed tab waits on them).
   */
  close(): void;
}

interface Entry {
  name: string;
  owner: object;
  callback: () => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Makes fake Web Locks (exclusive mode only, as the client uses). */
export function createFakeLocks(): FakeLocks {
  /** Requests in arrival order; the first of each name holds it. */
  let entries: Entry[] = [];
  const holder = (name: string) => entries.find((e) => e.name === name);

  const grant = (entry: Entry) => {
    const done = () => {
      // A closed tab's lock went when it closed; whoever came next may hold it already.
      if (!entries.includes(entry)) return;
      entries = entries.filter((e) => e !== entry);
      const next = holder(entry.name);
      if (next) grant(next);
    };
    // Never inside `request()`: a browser grants a lock asynchronously. As in a browser, the
    // lock is released before `request()` settles.
    Promise.resolve()
      .then(entry.callback)
      .then(
        (value) => {
          done();
          entry.resolve(value);
        },
        (error: unknown) => {
          done();
          entry.reject(error);
        },
      );
  };

  const request =
    (owner: object): LockManagerLike['request'] =>
    (name, { signal }, callback) =>
      new Promise((resolve, reject) => {
        // As in a browser: an aborted `signal` withdraws a request still waiting (it rejects
        // with the signal's reason) and does nothing to one already granted.
        if (signal?.aborted) return reject(signal.reason);
        const entry = { name, owner, callback, resolve: resolve as Entry['resolve'], reject };
        const free = !holder(name);
        entries.push(entry);
        if (free) grant(entry);
        signal?.addEventListener('abort', () => {
          if (!entries.includes(entry) || holder(name) === entry) return;
          entries = entries.filter((e) => e !== entry);
          reject(signal.reason);
        });
      });

  const shared = {};
  return {
    request: request(shared),
    active: () => entries.length,
    forTab() {
      const owner = {};
      return {
        request: request(owner),
        close() {
          const mine = entries.filter((e) => e.owner === owner);
          if (!mine.length) return;
          const held = new Set(mine.map((e) => e.name).filter((n) => holder(n)?.owner === owner));
          entries = entries.filter((e) => e.owner !== owner);
          for (const e of mine) e.reject(new DOMException('The tab was closed.', 'AbortError'));
          for (const name of held) {
            const next = holder(name);
            if (next) grant(next);
          }
        },
      };
    },
  };
}
