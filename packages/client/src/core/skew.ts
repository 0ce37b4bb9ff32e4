import type { ClockOffset } from './types.js';

/** A sample older than this is replaced even by a noisier one: clocks drift and get corrected. */
const SAMPLE_MAX_AGE = 10 * 60_000;

/**
 * Estimates server-minus-local clock offset from one round trip: the server stamped `now`
 * somewhere between send and receive, so the midpoint is the best guess, off by at most
 * half the round trip.
 */
export function offsetSample(serverNow: number, sentAt: number, receivedAt: number): ClockOffset {
  const rtt = Math.max(0, receivedAt - sentAt);
  return { value: serverNow - (sentAt + rtt / 2), rtt, at: receivedAt };
}

/**
 * Keeps the more precise of two estimates, unless the kept one has grown stale or the new
 * one contradicts it: two honest samples differ by at most the sum of their half round
 * trips, so a bigger gap means a clock was stepped (NTP after sleep, a manual change) and
 * the old estimate is simply wrong.
 */
export function pickOffset(current: ClockOffset | null, sample: ClockOffset): ClockOffset {
  if (
    !current ||
    sample.rtt <= current.rtt ||
    sample.at - current.at > SAMPLE_MAX_AGE ||
    Math.abs(sample.value - current.value) > (sample.rtt + current.rtt) / 2 + 1
  ) {
    return sample;
  }
  return current;
}

/** Converts a server-clock instant to this tab's clock. */
export function toLocal(serverTime: number, offset: ClockOffset | null): number {
  return serverTime - (offset?.value ?? 0);
}
