import { checkExpiresAt } from '../expires-at.js';
import { ExpiryHeap } from './expiry-heap.js';
import { RankHeap } from './rank-heap.js';

/** A stored value with its expiry and the user it is indexed under. */
export interface Slot<V> {
  key: string;
  value: V;
  /** When the value may be forgotten (epoch ms); gone once `now >= expiresAt`. */
  expiresAt: number;
  /** `at` of the heap entry scheduled for this slot; the slot is due no earlier than this. */
  heapAt: number;
  /** Its place in the eviction order (see `EvictionRank`), kept current by the table. */
  rank: number;
  heapPos: number;
  userId: string | null;
}

/** Why a value left the table without being deleted. */
export type DropCause = 'expired' | 'evicted';

/** Counters that show what expiry and the bound cost; see `MemoryStore.stats()`. */
export interface TableCounters {
  /** Heap entries popped by sweeps and evictions (stale ones included). */
  examined: number;
  expired: number;
  evicted: number;
}

/**
 * Bounds the work one operation spends sweeping: a burst of simultaneous expiries is
 * spread over the following operations instead of stalling one request. Values past
 * their deadline are still invisible at once, because every read checks `expiresAt`.
 */
const SWEEP_BUDGET = 128;

/**
 * Where a slot stands in the eviction order when the table is full: the earliest goes
 * first. Default: its deadline. A caller that changes what it depends on calls `rerank`.
 */
export type EvictionRank<V> = (slot: Slot<V>) => number;

/** A deadline that is no number would silently break the heap's order. */
const checkDeadline = (expiresAt: number) => checkExpiresAt('memoryStore', expiresAt);

/**
 * A bounded map whose values expire, indexed by user. Expiry costs O(expired): a min-heap
 * of deadlines is drained from the top, never scanned.
 */
export class ExpiringTable<V> {
  readonly counters: TableCounters = { examined: 0, expired: 0, evicted: 0 };
  readonly #slots = new Map<string, Slot<V>>();
  readonly #heap = new ExpiryHeap<Slot<V>>();
  /** The same slots ordered by `rank`, for eviction; moved at once when a rank changes. */
  readonly #order = new RankHeap<Slot<V>>();
  readonly #byUser = new Map<string, Set<string>>();
  /**
   * Keys to evict before any other when full, oldest first (ended sessions' tombstones):
   * `[0]` goes first; `[1]`, the ones something still follows, only once `[0]` is empty.
   */
  readonly #evictFirst = [new Set<string>(), new Set<string>()] as const;

  constructor(
    private readonly max: number,
    private readonly now: () => number,
    private readonly onDrop: (key: string, slot: Slot<V>, cause: DropCause) => void,
    private readonly rank: EvictionRank<V> = (slot) => slot.expiresAt,
  ) {}

  get size(): number {
    return this.#slots.size;
  }

  /** Heap entries held, stale ones included (bounded by about twice the size). */
  get scheduled(): number {
    return this.#heap.size;
  }

  /** The slot under `key` unless it is absent or past its deadline. */
  get(key: string): Slot<V> | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt > this.now()) return slot;
    this.#drop(key, slot, 'expired');
    return undefined;
  }

  /** Adds a value under a key the caller checked is free, making room first when full. */
  insert(key: string, value: V, expiresAt: number, userId: string | null): void {
    checkDeadline(expiresAt);
    let room = true;
    while (room && this.#slots.size >= this.max) room = this.#dropEarliest();
    // An `onDrop` hook that wrote this key meanwhile (a re-entrant create) is replaced whole,
    // or its slot would stay in the eviction order after leaving the map.
    this.delete(key);
    const slot: Slot<V> = {
      key,
      value,
      expiresAt,
      heapAt: expiresAt,
      rank: 0,
      heapPos: -1,
      userId: null,
    };
    this.#slots.set(key, slot);
    this.#heap.push({ at: expiresAt, key, slot });
    slot.rank = this.#rankOf(slot);
    this.#order.push(slot);
    this.setUser(key, slot, userId);
  }

  /** Moves a slot's deadline; only an earlier deadline needs a new heap entry. */
  reschedule(key: string, slot: Slot<V>, expiresAt: number): void {
    checkDeadline(expiresAt);
    slot.expiresAt = expiresAt;
    this.rerank(slot);
    if (expiresAt >= slot.heapAt) return; // the old entry surfaces first and is re-queued
    slot.heapAt = expiresAt;
    this.#heap.push({ at: expiresAt, key, slot });
    this.#compactIfBloated();
  }

  /** Call after changing what a slot's rank depends on (a touch, an update). */
  rerank(slot: Slot<V>): void {
    const rank = this.#rankOf(slot);
    if (rank === slot.rank) return;
    slot.rank = rank;
    this.#order.update(slot);
  }

  /** Re-indexes a slot under another user, or under none. */
  setUser(key: string, slot: Slot<V>, userId: string | null): void {
    if (slot.userId === userId) return;
    if (slot.userId !== null) this.#unindex(key, slot.userId);
    slot.userId = userId;
    if (userId === null) return;
    const keys = this.#byUser.get(userId) ?? new Set<string>();
    keys.add(key);
    this.#byUser.set(userId, keys);
  }

  /** Keys indexed under a user; values may still be past their deadline (use `get`). */
  keysOfUser(userId: string): string[] {
    return [...(this.#byUser.get(userId) ?? [])];
  }

  /**
   * Marks `key` to be evicted before any unmarked value when the table is full. Without it
   * the bound evicts by deadline, and an ended session's tombstone keeps the deadline of
   * the session it was: one account signing in and out in a loop filled a full store with
   * tombstones and evicted every live session. A `followed` one (a revocation still
   * follows it to the device's next session) goes after every other marked one and after
   * values no longer usable, and is reported as `evicted`: dropped first, the next sign-in
   * from anyone dropped it, and `revoke()` of the id an admin had listed missed the device.
   */
  evictFirst(key: string, followed = false): void {
    if (!this.#slots.has(key)) return;
    this.#evictFirst[followed ? 0 : 1].delete(key);
    this.#evictFirst[followed ? 1 : 0].add(key);
  }

  delete(key: string): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    for (const marked of this.#evictFirst) marked.delete(key);
    this.#slots.delete(key);
    this.#order.remove(slot);
    if (slot.userId !== null) this.#unindex(key, slot.userId);
    this.#compactIfBloated();
  }

  /** Forgets values whose deadline has passed, at most `SWEEP_BUDGET` heap entries. */
  sweep(): void {
    const now = this.now();
    for (let budget = SWEEP_BUDGET; budget > 0; budget--) {
      const top = this.#heap.peek();
      if (top === undefined || top.at > now) return;
      this.#heap.pop();
      this.counters.examined++;
      const slot = top.slot;
      if (this.#slots.get(top.key) !== slot || top.at !== slot.heapAt) continue; // stale
      if (slot.expiresAt <= now) this.#drop(top.key, slot, 'expired');
      else this.#requeue(top.key, slot);
    }
  }

  /**
   * Removes, in this order: the oldest tombstone nothing follows, the value ranked
   * earliest if it is past its rank or deadline, the oldest followed tombstone, the value
   * ranked earliest; `false` when the table is empty. The first two signed nobody out
   * early: `expired`, not `evicted`.
   */
  #dropEarliest(): boolean {
    const [plain, followed] = this.#evictFirst;
    if (this.#dropMarked(plain, 'expired')) return true;
    // A value no longer usable (an idled-out session) costs nobody more than its reason:
    // it goes before a tombstone a revocation follows.
    const slot = this.#order.peek();
    const now = this.now();
    const spent = slot !== undefined && (slot.expiresAt <= now || slot.rank <= now);
    if (!spent && this.#dropMarked(followed, 'evicted')) return true;
    if (slot === undefined) return false;
    this.counters.examined++;
    this.#drop(slot.key, slot, spent ? 'expired' : 'evicted');
    return true;
  }

  /** Drops the oldest key still held in `marked`; false when none is. */
  #dropMarked(marked: Set<string>, cause: DropCause): boolean {
    for (const key of marked) {
      const slot = this.#slots.get(key);
      if (slot === undefined) marked.delete(key);
      else {
        this.#drop(key, slot, cause);
        return true;
      }
    }
    return false;
  }

  /** A rank that is no finite number (a hand-made record) falls back to the deadline. */
  #rankOf(slot: Slot<V>): number {
    const rank = this.rank(slot);
    return Number.isFinite(rank) ? Math.min(rank, slot.expiresAt) : slot.expiresAt;
  }

  /** Stale entries (earlier deadlines, deleted keys) may not outgrow the live ones. */
  #compactIfBloated(): void {
    if (this.#heap.size <= 2 * this.#slots.size + 64) return;
    this.#heap.rebuild((e) => this.#slots.get(e.key) === e.slot && e.at === e.slot.heapAt);
  }

  #requeue(key: string, slot: Slot<V>): void {
    slot.heapAt = slot.expiresAt;
    this.#heap.push({ at: slot.expiresAt, key, slot });
  }

  #drop(key: string, slot: Slot<V>, cause: DropCause): void {
    this.delete(key);
    this.counters[cause]++;
    this.onDrop(key, slot, cause);
  }

  #unindex(key: string, userId: string): void {
    const keys = this.#byUser.get(userId);
    keys?.delete(key);
    if (keys?.size === 0) this.#byUser.delete(userId);
  }
}
