// @vitest-environment node
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { expect, it } from 'vitest';
import { DIALOG_CSS } from './styles.js';

/** Budgets in gzip bytes: the dialog's code and words, and its default stylesheet. */
const CODE_BUDGET = 2048;
const CSS_BUDGET = 512;

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

it(`keeps the dialog's code within ${CODE_BUDGET} B and its stylesheet within ${CSS_BUDGET} B gzip`, async () => {
  const code = await bundle();
  expect(code).toContain(DIALOG_CSS.slice(0, 40));
  const codeOnly = gzip(code.replace(DIALOG_CSS, ''));
  const css = gzip(DIALOG_CSS);
  console.info(
    `dialog: ${gzip(code)} B gzip in all = ${codeOnly} B code and words (budget ${CODE_BUDGET}) + ${css} B stylesheet (budget ${CSS_BUDGET})`,
  );
  expect(codeOnly).toBeLessThanOrEqual(CODE_BUDGET);
  expect(css).toBeLessThanOrEqual(CSS_BUDGET);
});
