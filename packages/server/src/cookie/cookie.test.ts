import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { generateToken } from '../token/token.js';
import { readSessionCookie } from './parse.js';
import { replaceSessionCookie } from './replace.js';
import { serializeClearCookie, serializeSessionCookie } from './serialize.js';

const token = generateToken().value;

describe('readSessionCookie', () => {
  // A header of separators without `=` (128 KB where the runtime allows it) was scanned to
  // its end for every pair: 60 ms a request, 813 -> 12 requests/s. Counted, not timed: the
  // characters the parser's searches pass over.
  it('reads a header of many pairs with work linear in its length', () => {
    const headers = [';'.repeat(16_384), `${'a;'.repeat(8_192)}lifeline=${token}`];
    for (const header of headers) {
      let scanned = 0;
      const indexOf = String.prototype.indexOf;
      const spy = vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (
        this: string,
        search: string,
        from?: number,
      ) {
        const at = indexOf.call(this, search, from);
        if (this === header) scanned += (at === -1 ? this.length : at) - (from ?? 0);
        return at;
      });
      try {
        readSessionCookie(header, 'lifeline');
      } finally {
        spy.mockRestore();
      }
      expect(scanned).toBeLessThanOrEqual(3 * header.length);
    }
  });

  it('finds our cookie among others', () => {
    expect(readSessionCookie(`a=1; lifeline=${token}; b=2`, 'lifeline')).toEqual({
      kind: 'token',
      value: token,
    });
    expect(readSessionCookie('a=1', 'lifeline')).toEqual({ kind: 'absent' });
    expect(readSessionCookie(null, 'lifeline')).toEqual({ kind: 'absent' });
  });

  it('allows the spaces and tabs RFC 6265 permits around a pair, and nothing else', () => {
    expect(readSessionCookie(`a=1;\t lifeline = ${token}\t`, 'lifeline')).toEqual({
      kind: 'token',
      value: token,
    });
    expect(readSessionCookie(`\u00a0lifeline=${token}`, 'lifeline')).toEqual({ kind: 'absent' });
  });

  it('finds our cookie in a long header, however many cookies the site has', () => {
    // 200 cookies of 80 bytes: over 16 KB, which a runtime with larger header limits
    // than Node's default (Workers, a raised maxHeaderSize) delivers as it is.
    const others = Array.from({ length: 200 }, (_, i) => `c${i}=${'x'.repeat(80)}`).join('; ');
    expect(others.length).toBeGreaterThan(16_384);
    expect(readSessionCookie(`${others}; lifeline=${token}`, 'lifeline')).toEqual({
      kind: 'token',
      value: token,
    });
  });

  it('does not confuse a cookie whose name merely contains ours', () => {
    expect(readSessionCookie(`xlifeline=${token}; lifelinex=${token}`, 'lifeline')).toEqual({
      kind: 'absent',
    });
  });

  it.each([
    ['too long', `${token}A`],
    ['too short', token.slice(1)],
    ['wrong alphabet', `${token.slice(1)}+`],
    ['quoted', `"${token.slice(2)}"`],
    ['control character', `${token.slice(1)}\u0001`],
    ['percent-encoded', `${token.slice(3)}%41`],
    ['empty', ''],
    ['no-break-space-wrapped', `\u00a0${token}`],
    ['byte-order-mark-wrapped', `${token}\ufeff`],
  ])('refuses a %s value', (_, value) => {
    expect(readSessionCookie(`lifeline=${value}`, 'lifeline')).toEqual({
      kind: 'malformed',
      reason: 'malformed',
    });
  });

  it('refuses a duplicated cookie name even when both values are equal', () => {
    expect(readSessionCookie(`lifeline=${token}; lifeline=${token}`, 'lifeline')).toEqual({
      kind: 'malformed',
      reason: 'duplicate',
    });
  });

  it('never throws and only ever yields a 43-character base64url token (property)', () => {
    const cookieChar = fc.constantFrom(...'lifene=;, "\\%\t\u0000\u007fAZaz09-_+/'.split(''));
    const header = fc.oneof(
      fc.string({ unit: cookieChar, maxLength: 200 }),
      fc.string({ maxLength: 200 }),
      fc
        .tuple(fc.string({ maxLength: 50 }), fc.string({ unit: cookieChar, maxLength: 60 }))
        .map(([a, b]) => `${a}; lifeline=${b}`),
    );
    fc.assert(
      fc.property(header, (h) => {
        const reading = readSessionCookie(h, 'lifeline');
        if (reading.kind === 'token') expect(reading.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }),
    );
  });
});

describe('session cookie serialization', () => {
  const attrs = { name: '__Host-lifeline', secure: true, sameSite: 'Lax' as const };

  it('sets HttpOnly, Path=/, explicit SameSite, Secure and no Domain', () => {
    const line = serializeSessionCookie(attrs, token, 3_600_000);
    expect(line).toBe(
      `__Host-lifeline=${token}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(line).not.toMatch(/domain/i);
  });

  it('caps Max-Age at 400 days', () => {
    expect(serializeSessionCookie(attrs, token, 10 ** 13)).toContain('Max-Age=34560000;');
  });

  it('clears with the same name and attributes and Max-Age=0', () => {
    expect(serializeClearCookie(attrs)).toBe(
      '__Host-lifeline=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure',
    );
  });
});

describe('replaceSessionCookie', () => {
  it('leaves exactly our Set-Cookie and keeps unrelated ones', () => {
    const res = new Response(null);
    res.headers.append('Set-Cookie', 'lifeline=stale; Path=/');
    res.headers.append('Set-Cookie', 'theme=dark; Path=/');
    res.headers.append('Set-Cookie', 'lifeline=other; Path=/');
    res.headers.append('Set-Cookie', '__Host-lifeline=old; Path=/; Secure');
    const out = replaceSessionCookie(
      res,
      ['lifeline', '__Host-lifeline'],
      ['lifeline=ours; Path=/'],
    );
    expect(out.headers.getSetCookie()).toEqual(['theme=dark; Path=/', 'lifeline=ours; Path=/']);
  });

  it('copies a response whose headers are immutable', async () => {
    const immutable = Response.redirect('https://example.test/', 302);
    const out = replaceSessionCookie(immutable, ['lifeline'], ['lifeline=ours']);
    expect(out).not.toBe(immutable);
    expect(out.status).toBe(302);
    expect(out.headers.getSetCookie()).toEqual(['lifeline=ours']);
  });
});
