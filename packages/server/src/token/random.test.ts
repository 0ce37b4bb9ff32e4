import { describe, expect, it } from 'vitest';
import { randomBytes } from './random.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('randomBytes', () => {
  it('hands out distinct, non-zero bytes of the asked length across pool refills', () => {
    // 400 × 32 bytes spans more than three fills of the 4 KB pool.
    const drawn = Array.from({ length: 400 }, () => randomBytes(32));
    expect(drawn.every((b) => b.length === 32)).toBe(true);
    expect(new Set(drawn.map(hex)).size).toBe(400);
    expect(drawn.some((b) => b.every((x) => x === 0))).toBe(false);
  });

  it('gives each caller its own copy: the pool zeroing and refilling never changes it', () => {
    const token = randomBytes(32);
    const saved = hex(token);
    for (let i = 0; i < 300; i++) randomBytes(32);
    expect(hex(token)).toBe(saved);
  });

  it('refills when the rest of the pool is too short, up to a whole pool at once', () => {
    randomBytes(16);
    const whole = randomBytes(4096);
    expect(whole.length).toBe(4096);
    // A whole pool of CSPRNG output has every byte value many times over, never long zeros.
    expect(new Set(whole).size).toBeGreaterThan(200);
  });
});
