import { type HeapOrder, siftDown, siftUp } from './heap-order.js';

/** One scheduled expiry: `key` may be forgotten at `at` (epoch ms), if `slot` is still current. */
export interface ExpiryEntry<Slot> {
  at: number;
  key: string;
  /** The stored object this entry was scheduled for; a replaced or deleted slot makes it stale. */
  slot: Slot;
}

/**
 * A binary min-heap of expiry entries ordered by `at`.
 *
 * Entries are never removed from the middle: a store marks them stale (lazy deletion) and
 * drops them when they surface at the top, so scheduling and sweeping both cost
 * O(log n) per entry touched, never a scan of everything stored.
 */
export class ExpiryHeap<Slot> {
  #items: ExpiryEntry<Slot>[] = [];
  readonly #order: HeapOrder<ExpiryEntry<Slot>> = {
    rankOf: (entry) => entry.at,
    place: (entry, i) => {
      this.#items[i] = entry;
    },
  };

  /** Entries held, stale ones included. */
  get size(): number {
    return this.#items.length;
  }

  /** The entry with the earliest `at`, without removing it. */
  peek(): ExpiryEntry<Slot> | undefined {
    return this.#items[0];
  }

  push(entry: ExpiryEntry<Slot>): void {
    this.#items.push(entry);
    this.#siftUp(this.#items.length - 1);
  }

  /** Removes and returns the entry with the earliest `at`. */
  pop(): ExpiryEntry<Slot> | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top !== undefined && last !== undefined && items.length > 0) {
      items[0] = last;
      this.#siftDown(0);
    }
    return top;
  }

  /** Keeps only the entries `keep` accepts, then restores heap order in O(n). */
  rebuild(keep: (entry: ExpiryEntry<Slot>) => boolean): void {
    this.#items = this.#items.filter(keep);
    for (let i = (this.#items.length >> 1) - 1; i >= 0; i--) this.#siftDown(i);
  }

  #siftUp(index: number): void {
    siftUp(this.#items, index, this.#order);
  }

  #siftDown(index: number): void {
    siftDown(this.#items, index, this.#order);
  }
}
