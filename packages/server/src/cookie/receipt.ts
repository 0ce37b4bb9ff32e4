import { type SessionToken, tokenFromValue } from '../token/token.js';
import { RECEIPT_PATTERN, readSessionCookie } from './parse.js';

/** How much of a bound session's sid a receipt carries: plenty to tell sessions apart. */
const BOUND_LENGTH = 22;
/** The most sessions one receipt is bound to (see `receiptValue`). */
const MAX_BOUNDS = 4;

/**
 * The renewal receipt's value: the renewal's token, bound to the session the renewing
 * request's cookie named (the start of its sid), then to the sessions the receipt that
 * request carried was bound to, when that receipt held a token of the session renewed:
 * a renewal made before the answers of an earlier crossing have all arrived keeps
 * covering them. A crossing rotation's answer carries a token of one of those sessions,
 * so the receipt brings back only those crossings, never a session of whoever used the
 * browser before or after.
 */
export function receiptValue(token: SessionToken, bounds: readonly string[]): string {
  const kept = [...new Set(bounds.map((sid) => sid.slice(0, BOUND_LENGTH)))];
  // Past the cap the middle goes: the first is this renewal's own crossing, the oldest
  // the one whose answer (a long request) is likeliest still on its way.
  const capped = kept.length > MAX_BOUNDS ? [kept[0]!, ...kept.slice(1 - MAX_BOUNDS)] : kept;
  return [token.value, ...capped].join('.');
}

/** Whether a receipt with these bindings was issued for the session `sid`. */
export const receiptBoundTo = (bounds: readonly string[], sid: string): boolean =>
  bounds.includes(sid.slice(0, BOUND_LENGTH));

/** The renewal receipt a `Cookie` header carries, or `null` when none is there well formed. */
export function readReceipt(
  header: string | null | undefined,
  name: string,
): { token: SessionToken; bounds: string[] } | null {
  const reading = readSessionCookie(header, name, RECEIPT_PATTERN);
  if (reading.kind !== 'token') return null;
  const [value = '', ...bounds] = reading.value.split('.');
  const token = tokenFromValue(value);
  return token && { token, bounds };
}
