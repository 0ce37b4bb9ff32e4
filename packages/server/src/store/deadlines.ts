/** A call in flight: its deadline, and its rejecter until it settles (then `null`). */
interface Pending {
  at: number;
  fail: ((error: Error) => void) | null;
  next: Pending | null;
}

/**
 * Time limits for many calls on one shared timer. A `setTimeout` per call (armed and
 * cleared on every request) costs more than a memory read itself; here the timer is armed
 * only while calls are pending. All calls share one timeout, so the pending calls form a
 * queue in deadline order and a tick visits only what expired. Time is the monotonic
 * `performance.now()`: a wall clock stepped back (NTP) must not stretch every limit.
 *
 * The queue is a linked list: a call that settles is only marked, and leaves when it
 * reaches the head. Calls to one store mostly settle in the order they were made (Redis
 * answers a connection's commands in order), so the head moves on at once; one that
 * hangs holds the ones behind it for at most the timeout. A `Set` of calls cost several
 * times more per call (each delete leaves a hole its table must later rehash away).
 *
 * @example
 * const limit = sharedDeadline(1000, () => new Error('Redis did not answer in 1000 ms'));
 * const reply = await limit(client.hgetall(key));
 */
export function sharedDeadline(
  timeoutMs: number,
  timedOut: () => Error,
  /** Maps a call's own rejection (default: passed on as it is). */
  failed: (error: unknown) => unknown = (error) => error,
): <T>(promise: Promise<T>) => Promise<T> {
  let head: Pending | null = null;
  let tail: Pending | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number) => {
    if (timer !== undefined) return;
    timer = setTimeout(tick, ms);
    // Never keep a Node process alive just to time out nothing.
    (timer as { unref?: () => void }).unref?.();
  };
  /** Drops settled calls off the head of the queue. */
  const dropSettled = () => {
    while (head !== null && head.fail === null) head = head.next;
    if (head === null) tail = null;
  };
  function tick() {
    timer = undefined;
    const now = performance.now();
    dropSettled();
    while (head !== null) {
      if (head.at > now) return arm(head.at - now);
      const fail = head.fail!;
      head.fail = null;
      dropSettled();
      fail(timedOut());
    }
  }
  return <T>(promise: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const call: Pending = { at: performance.now() + timeoutMs, fail: reject, next: null };
      if (tail === null) head = call;
      else tail.next = call;
      tail = call;
      arm(timeoutMs);
      promise.then(
        (value) => {
          if (call.fail === null) return; // timed out already
          call.fail = null;
          if (call === head) dropSettled();
          resolve(value);
        },
        (error: unknown) => {
          if (call.fail === null) return;
          call.fail = null;
          if (call === head) dropSettled();
          reject(failed(error));
        },
      );
    });
}

/**
 * How a store says that one of its methods settles on its own: the method (the function
 * itself) carries the ms within which every call of it resolves or rejects. The session
 * middleware's guard then adds no time limit of its own to that method when the method's
 * is no longer than `storeTimeout`: one limit per call instead of two, on every request's
 * read. Both built-in stores declare it (the memory store: every method, 0 ms; the Redis
 * store: its session reads, `commandTimeoutMs`).
 *
 * On the function, not the store: a wrapper (a `Proxy` that delays or fails calls, a
 * spread copy with one method replaced, `bind`) makes a new function that carries nothing,
 * so the guard times it as usual. A wrapper that adds no waiting may copy the property.
 */
export const OWN_TIME_LIMIT = Symbol.for('lifeline.ownTimeLimit');

/** Marks `store`'s named methods as settling on their own within the given ms. */
export function declareOwnTimeLimits<T extends object>(
  store: T,
  limits: Readonly<Record<string, number>>,
): T {
  for (const [name, ms] of Object.entries(limits)) {
    const method = (store as Record<string, unknown>)[name];
    if (typeof method === 'function') Object.defineProperty(method, OWN_TIME_LIMIT, { value: ms });
  }
  return store;
}

/** The ms within which `method` settles on its own, if it was declared (else undefined). */
export function ownTimeLimit(method: unknown): number | undefined {
  if (typeof method !== 'function') return undefined;
  const ms = (method as { [OWN_TIME_LIMIT]?: unknown })[OWN_TIME_LIMIT];
  return typeof ms === 'number' && ms >= 0 ? ms : undefined;
}
