import type { CredentialMethods } from '../own.js';
import type { CredentialRecord } from '../types.js';
import { copyJson } from './copy.js';
import type { ExpiringTable } from './expiring-table.js';

/**
 * The remember-me half of the memory store: credentials expire at their own `expiresAt`
 * and are indexed by user so "sign out everywhere" can delete them all. Synchronous
 * bodies make the rotation a true compare-and-set. A rotation's `previous` is dropped by
 * the first read at or past its `until`: no timer, and never returned after it.
 */
export function credentialMethods(
  table: ExpiringTable<CredentialRecord>,
  sweep: () => void,
  now: () => number,
): CredentialMethods {
  return {
    async getCredential(id) {
      sweep();
      const slot = table.get(id);
      if (slot === undefined) return null;
      const previous = slot.value.previous;
      if (previous != null && previous.until <= now()) delete slot.value.previous;
      return copyJson(slot.value);
    },

    async createCredential(id, record) {
      sweep();
      if (table.get(id) !== undefined) return false;
      const copy = copyJson(record);
      table.insert(id, copy, copy.expiresAt, copy.userId);
      return true;
    },

    async rotateCredential(id, expectedTokenHash, tokenHash, expiresAt, previous) {
      sweep();
      const slot = table.get(id);
      if (slot === undefined) return 'missing';
      if (slot.value.tokenHash !== expectedTokenHash) return 'conflict';
      table.reschedule(id, slot, expiresAt);
      slot.value.tokenHash = tokenHash;
      slot.value.expiresAt = expiresAt;
      if (previous === undefined) delete slot.value.previous;
      else slot.value.previous = copyJson(previous);
      return 'ok';
    },

    async deleteCredential(id) {
      sweep();
      table.delete(id);
    },

    async deleteCredentialsOfUser(userId) {
      sweep();
      for (const id of table.keysOfUser(userId)) table.delete(id);
    },
  };
}
