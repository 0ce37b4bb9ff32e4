import { describe, expect, it } from 'vitest';
import { touchHints } from './touch-hints.js';

describe('touchHints', () => {
  it('says not due only when the remembered touch is newer than the due line', () => {
    const hints = touchHints();
    expect(hints.notDue('a', 100)).toBe(false); // never seen: ask the script
    hints.remember('a', 150);
    expect(hints.notDue('a', 100)).toBe(true);
    expect(hints.notDue('a', 150)).toBe(false); // due at or before: the script decides
    expect(hints.notDue('b', 0)).toBe(false);
  });

  it('keeps the newest value it saw, so an older read cannot make it claim more', () => {
    const hints = touchHints();
    hints.remember('a', 200);
    hints.remember('a', 120);
    expect(hints.notDue('a', 150)).toBe(true);
  });

  it('stays within its bound, forgetting the least recently touched first', () => {
    const hints = touchHints(2);
    hints.remember('a', 10);
    hints.remember('b', 10);
    hints.remember('a', 20); // moves a to the back
    hints.remember('c', 10);
    expect(hints.notDue('b', 0)).toBe(false);
    expect(hints.notDue('a', 0)).toBe(true);
    expect(hints.notDue('c', 0)).toBe(true);
  });
});
