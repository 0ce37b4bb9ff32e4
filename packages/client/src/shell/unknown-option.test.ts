import { describe, expect, it } from 'vitest';
import { createSimulatedBrowser } from '../testing/index.js';
import type { SessionClientOptions } from '../types.js';

// The server's factories refuse an option they do not take ("`maxSession` is not an
// option"), since a misspelt option would leave its default in force. The client names
// the option for a wrong type, but a misspelt name falls into the "no default" branch of
// `merge()` (options.ts): with an object, a function or `false` it is taken silently, and
// with a number it is refused as if it had to be "an object or function".
describe('createSessionClient: a misspelt option', () => {
  it.each([
    [{ activty: false }], // meant: turn activity tracking off; tracking stays on
    [{ warnBfore: { ms: 60_000 } }],
    [{ fecth: (input: RequestInfo) => fetch(input) }], // meant: the app's own fetch
  ])('refuses %o, naming it as not an option', (bad) => {
    const browser = createSimulatedBrowser();
    expect(() => browser.openTab(bad as unknown as SessionClientOptions)).toThrow(/not an option/);
  });

  it('says a misspelt number option is not an option, not that it must be an object', () => {
    const browser = createSimulatedBrowser();
    expect(() => browser.openTab({ warnBfore: 60_000 } as unknown as SessionClientOptions)).toThrow(
      /"warnBfore" is not an option/,
    );
  });
});
