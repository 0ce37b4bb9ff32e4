/**
 * The script-tag (IIFE) entry:
 * `<script src="/session/client.js" data-endpoint="/session" defer></script>` starts a
 * session client and the warning dialog with no other code, and defines `window.Lifeline`.
 * A `lifeline:ready` event on `window` tells scripts that loaded earlier.
 */
import { type LifelineGlobal, startFromScriptTag } from './start.js';

declare global {
  interface Window {
    /** Defined by Lifeline's script-tag build. */
    Lifeline?: LifelineGlobal;
  }
  interface WindowEventMap {
    'lifeline:ready': CustomEvent<LifelineGlobal>;
  }
}

// Imported on a server (no `document`), as a page rendered there may: nothing to start.
const script = globalThis.document?.currentScript;
// A second copy of the tag must not start a second client in the same page. An own
// property: an element with id "Lifeline" shows as `window.Lifeline` too, from the prototype.
if (script && script instanceof HTMLScriptElement) {
  // biome-ignore lint/suspicious/noPrototypeBuiltins: browsers without BroadcastChannel, which still run alone, lack Object.hasOwn too
  if (!{}.hasOwnProperty.call(window, 'Lifeline')) {
    const lifeline = startFromScriptTag(script);
    window.Lifeline = lifeline;
    window.dispatchEvent(new CustomEvent('lifeline:ready', { detail: lifeline }));
  } else if ([...document.scripts].some((other) => other !== script && other.src === script.src)) {
    // A layout's tag and a page's: this one's attributes are not used, which would
    // otherwise pass without a word (a dialog asked for that never comes). Not a tag run
    // again in a new <body> (Turbo's visits), which is the only one in the page.
    console.warn(
      'Lifeline: client.js is included more than once; the first tag started it, and the data-* attributes of this one are ignored',
    );
  }
} else if (globalThis.document) {
  // A module script (or a bundler's import) has no `currentScript`, so nothing says what to
  // start: say so rather than do nothing silently.
  console.error('Lifeline: client.js starts from a classic <script> tag (no currentScript)');
}

export type { LifelineGlobal };
