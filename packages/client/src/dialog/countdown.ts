/** Whole seconds left until `deadline`, never negative. Rounds up so 0.2 s left shows 0:01. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** `mm:ss` for the visible countdown (minutes grow past 59 rather than wrapping). */
export function formatClock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}`;
}

/**
 * The announcement step `seconds` falls in; screen readers hear the time when it changes.
 * A live region that changed every second would drown out everything else, so it speaks
 * in 20-second steps and only counts every second in the last 20 (WCAG 2.2.1 asks for at
 * least 20 s to react).
 */
export function announceStep(seconds: number): number {
  // Steps compare, never count: a late timer tick still lands in the right step.
  return seconds <= 20 ? seconds : 21 + Math.ceil(seconds / 20);
}

/**
 * The spoken time left, e.g. "1 minute 40 seconds", pluralised and translated by the
 * browser's `Intl` for `lang`, so no unit words need translating.
 */
export function spokenTime(seconds: number, lang: string | undefined): string {
  const unit = (n: number, u: string) =>
    new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'long' }).format(n);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return [m ? unit(m, 'minute') : '', s || !m ? unit(s, 'second') : ''].filter(Boolean).join(' ');
}
