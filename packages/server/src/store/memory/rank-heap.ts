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
    this.#items[i] = item;
    item.heapPos = i;
  }

  #siftUp(index: number): void {
    const items = this.#items;
    const item = items[index]!;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent]!;
      if (above.rank <= item.rank) break;
      this.#place(above, i);
      i = parent;
    }
    this.#place(item, i);
  }

  #siftDown(index: number): void {
    const items = this.#items;
    const item = items[index]!;
    const half = items.length >> 1;
    let i = index;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < items.length && items[right]!.rank < items[child]!.rank) child = right;
      if (items[child]!.rank >= item.rank) break;
      this.#place(items[child]!, i);
      i = child;
    }
    this.#place(item, i);
  }
}
