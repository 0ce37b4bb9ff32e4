import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RankHeap } from './rank-heap.js';

type Item = { rank: number; heapPos: number };
const op = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), rank: fc.integer({ min: 0, max: 100 }) }),
  fc.record({
    kind: fc.constant('update' as const),
    pick: fc.nat(),
    rank: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
);

describe('RankHeap', () => {
  it('always offers the least rank, through pushes, rank changes and removals anywhere', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new RankHeap<Item>();
        const held: Item[] = [];
        for (const o of ops) {
          if (o.kind === 'push') {
            const item = { rank: o.rank, heapPos: -1 };
            heap.push(item);
            held.push(item);
          } else if (held.length > 0) {
            const item = held[o.pick % held.length]!;
            if (o.kind === 'update') {
              item.rank = o.rank;
              heap.update(item);
            } else {
              heap.remove(item);
              held.splice(held.indexOf(item), 1);
              expect(item.heapPos).toBe(-1);
            }
          }
          expect(heap.size).toBe(held.length);
          expect(heap.peek()?.rank).toBe(
            held.length ? Math.min(...held.map((i) => i.rank)) : undefined,
          );
        }
      }),
    );
  });
});
