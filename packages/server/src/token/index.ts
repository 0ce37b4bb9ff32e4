export { decodeBase64url, encodeBase64url, timingSafeEqual } from './base64url.js';
export { createHasher, type TokenHasher } from './hasher.js';
export { sealSuccessor, unsealSuccessor } from './seal.js';
export {
  generateToken,
  rotateToken,
  type SessionToken,
  TOKEN_BYTES,
  TOKEN_LENGTH,
  tokenFromBytes,
  tokenFromValue,
} from './token.js';
