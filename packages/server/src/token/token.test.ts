import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64url,
  encodeBase64url,
  isCanonicalBase64url,
  timingSafeEqual,
} from './base64url.js';
import { createHasher } from './hasher.js';
import { sealSuccessor, unsealSuccessor } from './seal.js';
import { generateToken, rotateToken, tokenFromBytes, tokenFromValue } from './token.js';

describe('session tokens', () => {
  it('draws 1,000 distinct 43-character tokens that decode to 32 bytes', () => {
    const values = Array.from({ length: 1000 }, () => generateToken().value);
    expect(new Set(values).size).toBe(1000);
    for (const value of values) {
      expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(decodeBase64url(value).length).toBe(32);
    }
  });

  it('shows no per-bit bias over 1,000 tokens', () => {
    const ones = new Array<number>(256).fill(0);
    for (let n = 0; n < 1000; n++) {
      const bytes = generateToken().bytes;
      for (let bit = 0; bit < 256; bit++) ones[bit]! += (bytes[bit >> 3]! >> (bit & 7)) & 1;
    }
    // Binomial(1000, 0.5): sd ≈ 15.8; ±6 sd never fails by chance in practice.
    for (const count of ones) expect(Math.abs(count - 500)).toBeLessThan(95);
  });

  it('keeps the family and draws a new secret on rotation', () => {
    const token = generateToken();
    const next = rotateToken(token);
    expect(next.family).toEqual(token.family);
    expect(next.bytes.subarray(16)).not.toEqual(token.bytes.subarray(16));
  });

  it('refuses non-canonical encodings so two strings never name one token', () => {
    const { value } = generateToken();
    expect(tokenFromValue(value)?.value).toBe(value);
    // 43 characters carry 258 bits: the last one's lowest 2 bits are padding. Flipping one
    // would decode to the same bytes, so it must be refused.
    const last = value.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(tokenFromValue(value.slice(0, 42) + twin)).toBeNull();
  });
});

describe('base64url', () => {
  it('round-trips any bytes, and every encoding it makes is canonical', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = encodeBase64url(bytes);
        expect(text).toBe(
          btoa(String.fromCharCode(...bytes))
            .replace(/=+$/, '')
            .replace(/\+/g, '-')
            .replace(/\//g, '_'),
        );
        expect(decodeBase64url(text)).toEqual(new Uint8Array(bytes));
        expect(isCanonicalBase64url(text)).toBe(true);
      }),
    );
  });

  it('encodes inputs longer than one string-building chunk (8192 characters) like btoa', () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 131 + 7) & 255);
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const expected = btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    expect(encodeBase64url(bytes)).toBe(expected);
    expect(decodeBase64url(expected)).toEqual(bytes);
  });

  it('decodes like atob, and calls an encoding canonical exactly when it re-encodes to itself', () => {
    const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/).filter((t) => t.length % 4 !== 1);
    fc.assert(
      fc.property(base64url, (text) => {
        const bytes = decodeBase64url(text);
        const padded = text
          .replace(/-/g, '+')
          .replace(/_/g, '/')
          .padEnd(Math.ceil(text.length / 4) * 4, '=');
        expect(bytes).toEqual(Uint8Array.from(atob(padded), (ch) => ch.charCodeAt(0)));
        expect(isCanonicalBase64url(text)).toBe(encodeBase64url(bytes) === text);
      }),
    );
  });

  it('throws on characters outside the alphabet', () => {
    for (const text of ['AB+C', 'AB/C', 'AB=C', 'ABé', 'A']) {
      expect(() => decodeBase64url(text), text).toThrow(TypeError);
    }
  });
});

describe('hashing', () => {
  it('gives the one-shot SHA-256 and HMAC-SHA-256 digests, call after call, though it reuses its hash state', () => {
    const key = 'k'.repeat(32);
    const plain = createHasher();
    const keyed = createHasher(key);
    const keyBytes = new TextEncoder().encode(key);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (raw) => {
        const token = tokenFromBytes(raw)!;
        expect(plain.sid(token)).toBe(encodeBase64url(sha256(token.family)));
        expect(plain.tokenHash(token)).toBe(encodeBase64url(sha256(token.bytes)));
        expect(keyed.sid(token)).toBe(encodeBase64url(hmac(sha256, keyBytes, token.family)));
        expect(keyed.tokenHash(token)).toBe(encodeBase64url(hmac(sha256, keyBytes, token.bytes)));
      }),
    );
    // A known answer: SHA-256 of 16 zero bytes.
    const zero = tokenFromBytes(new Uint8Array(32))!;
    expect(plain.sid(zero)).toBe('N0cI__dxndWXnsh11WzSKG9tPPfsMXo7JWMqqyjsN7s');
  });
  it('derives the same sid for a token and its rotated successor, but different token hashes', async () => {
    const hasher = createHasher();
    const token = generateToken();
    const next = rotateToken(token);
    expect(hasher.sid(next)).toBe(hasher.sid(token));
    expect(hasher.tokenHash(next)).not.toBe(hasher.tokenHash(token));
    expect(hasher.tokenHash(token)).not.toContain(token.value);
  });

  it('uses HMAC when a secret is configured, so ids differ from plain SHA-256', async () => {
    const token = generateToken();
    const plain = createHasher();
    const keyed = createHasher('k'.repeat(32));
    expect(keyed.sid(token)).not.toBe(await plain.sid(token));
    expect(keyed.sid(token)).toBe(createHasher('k'.repeat(32)).sid(token));
  });

  it('compares hashes by value', () => {
    expect(timingSafeEqual('abc', 'abc')).toBe(true);
    expect(timingSafeEqual('abc', 'abd')).toBe(false);
    expect(timingSafeEqual('abc', 'ab')).toBe(false);
  });
});

describe('sealed successor', () => {
  it('opens only with the predecessor token and the same sid', async () => {
    const token = generateToken();
    const next = rotateToken(token);
    const sealed = await sealSuccessor(token, next, 'sid-1');
    expect(sealed).not.toContain(next.value);
    expect((await unsealSuccessor(token, sealed, 'sid-1'))?.value).toBe(next.value);
    expect(await unsealSuccessor(next, sealed, 'sid-1')).toBeNull();
    expect(await unsealSuccessor(token, sealed, 'sid-2')).toBeNull();
  });

  it('returns null for garbage instead of throwing', async () => {
    const token = generateToken();
    for (const junk of ['', 'x', '!!!', 'A'.repeat(300), 'A'.repeat(40)]) {
      expect(await unsealSuccessor(token, junk, 'sid')).toBeNull();
    }
  });
});
