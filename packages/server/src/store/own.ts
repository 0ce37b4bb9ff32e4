import type { JsonValue, SessionStore } from './types.js';

/** The session half of a store, for implementations that keep the halves in two modules. */
export type SessionMethods = Pick<
  SessionStore,
  | 'get'
  | 'getAndTouch'
  | 'getSealedSuccessor'
  | 'create'
  | 'update'
  | 'rotate'
  | 'confirmRotation'
  | 'end'
  | 'endIfExpired'
  | 'listByUser'
>;

/** The remember-me credential half of a store. */
export type CredentialMethods = Pick<
  SessionStore,
  | 'getCredential'
  | 'createCredential'
  | 'rotateCredential'
  | 'deleteCredential'
  | 'deleteCredentialsOfUser'
>;

/**
 * Sets an own data property. Plain assignment of a key named `__proto__` would change the
 * object's prototype instead of storing the app's value, so every store writes data keys
 * through this.
 */
export function setOwn(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
