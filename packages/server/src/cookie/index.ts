export { type CookieReading, type MalformedReason, readSessionCookie } from './parse.js';
export { replaceSessionCookie, writable } from './replace.js';
export {
  type CookieAttributes,
  MAX_COOKIE_AGE_S,
  serializeClearCookie,
  serializeSessionCookie,
} from './serialize.js';
