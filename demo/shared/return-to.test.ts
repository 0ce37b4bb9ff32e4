import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

describe('safeReturnTo', () => {
  it('keeps paths on this origin, with query and fragment', () => {
    for (const path of ['/', '/orders/42?step=2', '/a#notes', '/x?next=//y']) {
      expect(safeReturnTo(path)).toBe(path);
    }
  });

  it('refuses anything a browser could read as another origin or that is not a path', () => {
    for (const value of [
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'orders',
      '',
      '/a\nb',
      '/\t/evil.example',
      `/${'a'.repeat(2048)}`,
      null,
      42,
    ]) {
      expect(safeReturnTo(value), String(value)).toBeNull();
    }
  });
});
