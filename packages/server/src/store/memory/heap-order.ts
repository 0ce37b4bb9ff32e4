/**
 * The two sift steps of a binary min-heap kept in an array, shared by the expiry heap
 * (lazy entries) and the eviction order (items that know their place). `rankOf` reads an
 * item's key; `place` puts an item at an index (and may record the index on it).
 */
export interface HeapOrder<T> {
  rankOf(item: T): number;
  place(item: T, index: number): void;
}

/** Moves the item at `index` up to its place. */
export function siftUp<T>(items: readonly T[], index: number, order: HeapOrder<T>): void {
  const item = items[index]!;
  const rank = order.rankOf(item);
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = items[parent]!;
    if (order.rankOf(above) <= rank) break;
    order.place(above, i);
    i = parent;
  }
  order.place(item, i);
}

/** Moves the item at `index` down to its place. */
export function siftDown<T>(items: readonly T[], index: number, order: HeapOrder<T>): void {
  const item = items[index]!;
  const rank = order.rankOf(item);
  const half = items.length >> 1;
  let i = index;
  while (i < half) {
    let child = 2 * i + 1;
    const right = child + 1;
    if (right < items.length && order.rankOf(items[right]!) < order.rankOf(items[child]!)) {
      child = right;
    }
    if (order.rankOf(items[child]!) >= rank) break;
    order.place(items[child]!, i);
    i = child;
  }
  order.place(item, i);
}
