import { expectTypeOf, it } from 'vitest';
import type { LifelineGlobal } from '../index.js';

// Checked by the type-check: a TypeScript page declares `window.Lifeline` with the
// package's own type, which once lived only in a file no export reached.
it('exports the type of window.Lifeline from @lifeline/client', () => {
  expectTypeOf<NonNullable<Window['Lifeline']>>().toEqualTypeOf<LifelineGlobal>();
});
