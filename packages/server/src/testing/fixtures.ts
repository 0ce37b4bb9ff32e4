import type { CredentialRecord, JsonValue, SessionRecord } from '../store/types.js';

/** A fresh random store key, so suites can share one real backend without clashing. */
export function randomKey(prefix = 'k'): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

/**
 * A valid live session record with plausible deadlines, for store and middleware tests.
 *
 * @example
 * await store.create('sid-1', sessionRecord({ userId: 'alice' }), Date.now() + 60_000);
 */
export function sessionRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return {
    tokenHash: randomKey('token'),
    previous: null,
    userId: null,
    user: null,
    createdAt: now,
    authenticatedAt: null,
    lastActiveAt: now,
    idleExpiresAt: now + 30 * 60_000,
    absoluteExpiresAt: now + 8 * 3_600_000,
    rotatedAt: now,
    userAgent: null,
    ended: null,
    data: {},
    ...overrides,
  };
}

/**
 * A valid remember-me credential record for `userId`, expiring in 30 days unless overridden.
 *
 * @example
 * await store.createCredential('cred-1', credentialRecord('alice'));
 */
export function credentialRecord(
  userId: string,
  overrides: Partial<CredentialRecord> = {},
): CredentialRecord {
  const now = Date.now();
  return {
    tokenHash: randomKey('cred'),
    userId,
    createdAt: now,
    expiresAt: now + 30 * 86_400_000,
    ...overrides,
  };
}

/** Deep JSON the data round trip must survive unchanged. */
export const AWKWARD_DATA: { [key: string]: JsonValue } = {
  nested: { list: [1, 'two', null, { deep: [true, false] }], empty: {}, none: [] },
  nothing: null,
  text: 'ünïcødé ✓ "quoted" \\ back\nslash',
  numbers: [0, -1, 1.5, Number.MAX_SAFE_INTEGER, -2.5e-7],
  flag: false,
  emptyString: '',
};

/** Settles after `ms` of real time (store deadlines such as Redis TTLs run on real time). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
