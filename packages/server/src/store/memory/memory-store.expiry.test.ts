import { describe, expect, it } from 'vitest';
import { credentialRecord, manualClock, sessionRecord } from '../../testing/index.js';
import { memoryStore } from './index.js';

const HOUR = 3_600_000;

describe('memoryStore expiry', () => {
  it('follows the injected clock, not the wall clock', async () => {
    const clock = manualClock();
    const store = memoryStore({ now: clock.now });
    await store.create('s', sessionRecord(), clock.now() + 1000);
    clock.advance(999);
    expect(await store.get('s')).not.toBeNull();
    clock.advance(1);
    expect(await store.get('s')).toBeNull();
  });

  it('examines only what expired: 25 of 10,000 records cost 25 heap entries', async () => {
    const clock = manualClock();
    const store = memoryStore({ now: clock.now });
    for (let i = 0; i < 10_000; i++) {
      const expiresAt = clock.now() + (i < 25 ? 1000 : HOUR);
      await store.create(`s${i}`, sessionRecord(), expiresAt);
    }
    clock.advance(1000);
    await store.get('s9999');
    expect(store.stats()).toMatchObject({ sessions: 9_975, expired: 25, examined: 25 });
  });

  it('schedules nothing new when a touch moves a deadline later', async () => {
    const clock = manualClock();
    const store = memoryStore({ now: clock.now });
    for (let i = 0; i < 100; i++) await store.create(`s${i}`, sessionRecord(), clock.now() + HOUR);
    for (let round = 1; round <= 50; round++) {
      for (let i = 0; i < 100; i++) await store.update(`s${i}`, {}, clock.now() + HOUR + round);
    }
    expect(store.stats().scheduled).toBe(100);
  });

  it('keeps stale heap entries within about twice the records when deadlines move earlier', async () => {
    const clock = manualClock();
    const store = memoryStore({ now: clock.now });
    await store.create('s', sessionRecord(), clock.now() + HOUR);
    for (let i = 1; i <= 1000; i++) await store.update('s', {}, clock.now() + HOUR - i);
    expect(store.stats().scheduled).toBeLessThanOrEqual(2 * 1 + 64 + 1);
    clock.advance(HOUR - 1000);
    expect(await store.get('s')).toBeNull();
  });

  it('spreads a burst of expiries over operations while hiding every expired record', async () => {
    const clock = manualClock();
    const store = memoryStore({ now: clock.now });
    for (let i = 0; i < 1000; i++) await store.create(`s${i}`, sessionRecord(), clock.now() + 10);
    clock.advance(10);
    expect(await store.get('s999')).toBeNull();
    const afterOne = store.stats().examined;
    expect(afterOne).toBeLessThan(1000);
    for (let i = 0; i < 20; i++) await store.get('unknown');
    expect(store.stats()).toMatchObject({ sessions: 0, expired: 1000 });
  });

  it("drops a credential's `previous` from storage once a read sees its until pass", async () => {
    let time = 1_700_000_000_000;
    const store = memoryStore({ now: () => time });
    const record = credentialRecord('ann', { expiresAt: time + HOUR });
    await store.createCredential('c', record);
    const previous = { tokenHash: record.tokenHash, until: time + 1000, sealedSuccessor: 's' };
    await store.rotateCredential('c', record.tokenHash, 'next', record.expiresAt, previous);
    time += 999;
    expect((await store.getCredential('c'))?.previous).toEqual(previous);
    time += 1;
    expect(await store.getCredential('c')).toEqual({ ...record, tokenHash: 'next' });
    // Gone from the record, not just hidden: a clock stepping back does not bring it back.
    time -= 500;
    expect((await store.getCredential('c'))?.previous).toBeUndefined();
  });

  it('keeps a tombstone until the deadline given to end, then forgets it', async () => {
    const clock = manualClock();
    const store = memoryStore({ now: clock.now });
    await store.create('s', sessionRecord({ userId: 'ann' }), clock.now() + HOUR);
    await store.end('s', { reason: 'idle-timeout', at: clock.now() }, clock.now() + 500);
    expect((await store.get('s'))?.ended?.reason).toBe('idle-timeout');
    clock.advance(500);
    expect(await store.get('s')).toBeNull();
    expect(store.stats().sessions).toBe(0);
  });
});
