import { type SessionToken, tokenFromValue } from '../token/token.js';
import { RECEIPT_PATTERN, readSessionCookie } from './parse.js';

/** How much of the bound session's sid a receipt carries: plenty to tell sessions apart. */
const BOUND_LENGTH = 22;

/**
 * The renewal receipt's value: the renewal's token, bound to the session the renewing
 * request's cookie named (the start of its sid). A rotation's answer that crosses the
 * renewal's carries a token of that session, so the receipt brings back only that
 * crossing, never a session of whoever used the browser before or after.
 */
export const receiptValue = (token: SessionToken, boundSid: string): string =>
  `${token.value}.${boundSid.slice(0, BOUND_LENGTH)}`;

/** Whether a receipt bound to `bound` was issued for the session `sid`. */
export const receiptBoundTo = (bound: string, sid: string): boolean =>
  sid.slice(0, BOUND_LENGTH) === bound;

/** The renewal receipt a `Cookie` header carries, or `null` when none is there well formed. */
export function readReceipt(
  header: string | null,
  name: string,
): { token: SessionToken; bound: string } | null {
  const reading = readSessionCookie(header, name, RECEIPT_PATTERN);
  if (reading.kind !== 'token') return null;
  const dot = reading.value.indexOf('.');
  const token = tokenFromValue(reading.value.slice(0, dot));
  return token && { token, bound: reading.value.slice(dot + 1) };
}
