interface Pending {
  at: number;
  fail: (error: Error) => void;
}

/**
 * Time limits for many calls on one shared timer. A `setTimeout` per call (armed and
 * cleared on every request) costs more than a memory read itself; here the timer is armed
 * only while calls are pending. All calls share one timeout, so `pending` stays in
 * deadline order and a tick visits only what expired. Time is the monotonic
 * `performance.now()`: a wall clock stepped back (NTP) must not stretch every limit.
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
  const pending = new Set<Pending>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number) => {
    if (timer !== undefined) return;
    timer = setTimeout(tick, ms);
    // Never keep a Node process alive just to time out nothing.
    (timer as { unref?: () => void }).unref?.();
  };
  function tick() {
    timer = undefined;
    const now = performance.now();
    for (const call of pending) {
      if (call.at > now) return arm(call.at - now);
      pending.delete(call);
      call.fail(timedOut());
    }
  }
  return <T>(promise: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const call: Pending = { at: performance.now() + timeoutMs, fail: reject };
      pending.add(call);
      arm(timeoutMs);
      promise.then(
        (value) => {
          pending.delete(call);
          resolve(value);
        },
        (error: unknown) => {
          pending.delete(call);
          reject(failed(error));
        },
      );
    });
}
