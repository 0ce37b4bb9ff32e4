// The script-tag bundle imported through an app's bundler, as docs/dialog-and-script-tag.md
// allows: it has no `document.currentScript` there, so it starts nothing and says so in the
// console. A package-wide `sideEffects: false` let the bundler drop it silently (an empty
// chunk, no message, no client). Needs `npm run build` first (the export points at dist).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('keeps the script-tag bundle when an app imports it through Vite, console message included', async () => {
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules/.cache/bundler-import-'));
  try {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, "import '@lifeline/client/lifeline.iife.js';\n");
    const out = await build({
      configFile: false,
      logLevel: 'silent',
      root: dir,
      build: { write: false, lib: { entry, formats: ['es'], fileName: 'app' } },
    });
    const code = (Array.isArray(out) ? out : [out])
      .flatMap((result) => ('output' in result ? result.output : []))
      .map((chunk) => ('code' in chunk ? chunk.code : ''))
      .join('');
    expect(code).toContain('classic <script> tag');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
