import { describe, expect, it } from 'vitest';
import { createCountingTarget } from './index.js';

describe('createCountingTarget', () => {
  it('counts a capturing listener removed without capture as still attached, as a browser keeps it', () => {
    // The DOM removes a listener by type, function and capture flag: this one stays.
    const target = createCountingTarget();
    const heard: string[] = [];
    const fn = () => heard.push('heard');
    target.addEventListener('keydown', fn, { capture: true });
    target.removeEventListener('keydown', fn);
    target.dispatch('keydown');
    expect(heard).toEqual(['heard']);
    expect(target.listeners()).toBe(1);
    target.removeEventListener('keydown', fn, { capture: true });
    expect(target.listeners()).toBe(0);
  });

  it('keeps one listener per capture flag, and calls both', () => {
    const target = createCountingTarget();
    const heard: string[] = [];
    const fn = () => heard.push('heard');
    target.addEventListener('scroll', fn, { capture: true, passive: true });
    target.addEventListener('scroll', fn);
    target.addEventListener('scroll', fn, { passive: true });
    expect(target.listeners()).toBe(2);
    target.dispatch('scroll');
    expect(heard).toEqual(['heard', 'heard']);
  });
});
