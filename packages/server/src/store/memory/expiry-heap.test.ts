import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryHeap } from './expiry-heap.js';

describe('ExpiryHeap', () => {
  it('pops entries in deadline order whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 })), (deadlines) => {
        const heap = new ExpiryHeap<null>();
        for (const at of deadlines) heap.push({ at, key: String(at), slot: null });
        const popped: number[] = [];
        for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push(e.at);
        expect(popped).toEqual([...deadlines].sort((a, b) => a - b));
      }),
    );
  });

  it('keeps order after a rebuild that filters entries', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 })), (deadlines) => {
        const heap = new ExpiryHeap<null>();
        for (const at of deadlines) heap.push({ at, key: '', slot: null });
        heap.rebuild((e) => e.at % 3 !== 0);
        const popped: number[] = [];
        for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push(e.at);
        const kept = deadlines.filter((at) => at % 3 !== 0).sort((a, b) => a - b);
        expect(popped).toEqual(kept);
      }),
    );
  });
});
