import { type HeapOrder, siftDown, siftUp } from './heap-order.js';

/** An item a {@link RankHeap} orders: its `rank`, and its place in the heap (-1 when out). */
export interface Ranked {
  rank: number;
  heapPos: number;
}

/**
 * A binary min-heap by `rank` whose items know their place, so one whose rank changes
 * moves in O(log n) (`update`) and one deleted leaves at once (`remove`): no stale entries
 * to pop, so taking the least ranked is O(log n) in the worst case, not only on average.
 * The memory store's eviction order, where every touch moves a session's rank.
 */
export class RankHeap<T extends Ranked> {
  readonly #items: T[] = [];
  readonly #order: HeapOrder<T> = {
    rankOf: (item) => item.rank,
    place: (item, i) => {
      this.#items[i] = item;
      item.heapPos = i;
    },
  };

  get size(): number {
    return this.#items.length;
  }

  /** The item with the least rank, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    item.heapPos = this.#items.length;
    this.#items.push(item);
    this.#siftUp(item.heapPos);
  }

  /** Restores the order after `item.rank` changed. */
  update(item: T): void {
    if (item.heapPos < 0) return;
    this.#siftUp(item.heapPos);
    this.#siftDown(item.heapPos);
  }

  remove(item: T): void {
    const i = item.heapPos;
    if (i < 0) return;
    const last = this.#items.pop()!;
    item.heapPos = -1;
    if (last === item) return;
    this.#place(last, i);
    this.update(last);
  }

  #place(item: T, i: number): void {
    this.#order.place(item, i);
  }

  #siftUp(index: number): void {
    siftUp(this.#items, index, this.#order);
  }

  #siftDown(index: number): void {
    siftDown(this.#items, index, this.#order);
  }
}
