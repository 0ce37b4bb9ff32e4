import { afterEach, describe, expect, it, vi } from 'vitest';
import { sharedDeadline } from './deadlines.js';

const never = () => new Promise<never>(() => {});

describe('sharedDeadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects a call that has not settled in time, and passes settled ones through', async () => {
    const limit = sharedDeadline(30, () => new Error('too slow'));
    await expect(limit(Promise.resolve('fast'))).resolves.toBe('fast');
    await expect(limit(Promise.reject(new Error('own')))).rejects.toThrow('own');
    await expect(limit(never())).rejects.toThrow('too slow');
  });

  it('times out hung calls among ones that settle, whatever their order', async () => {
    const limit = sharedDeadline(30, () => new Error('too slow'));
    const first = limit(never());
    await expect(limit(Promise.resolve('after'))).resolves.toBe('after');
    const third = limit(never());
    await expect(limit(Promise.reject(new Error('own')))).rejects.toThrow('own');
    await expect(first).rejects.toThrow('too slow');
    await expect(third).rejects.toThrow('too slow');
    await expect(limit(Promise.resolve('again'))).resolves.toBe('again');
    await expect(limit(never())).rejects.toThrow('too slow');
  });

  it('maps a call’s own rejection when told how, never the timeout', async () => {
    const limit = sharedDeadline(
      30,
      () => new Error('too slow'),
      (error) => new Error(`mapped: ${(error as Error).message}`),
    );
    await expect(limit(Promise.reject(new Error('own')))).rejects.toThrow('mapped: own');
    await expect(limit(never())).rejects.toThrow('too slow');
  });

  it('still times out when the wall clock is stepped back an hour meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // only the wall clock is fake; timers are real
    const limit = sharedDeadline(50, () => new Error('too slow'));
    const pending = limit(never());
    vi.setSystemTime(Date.now() - 3_600_000);
    const started = performance.now();
    await expect(pending).rejects.toThrow('too slow');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
