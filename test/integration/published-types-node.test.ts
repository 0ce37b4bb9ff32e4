// The published declarations, as an app's Node-only TypeScript project reads them: a test
// suite or an SSR server compiled with `lib: ["ES2022"]` and `types: ["node"]` (no DOM
// lib), which docs/client.md says the client and its test kit run under ("Pass `fetch` to
// use it in Node", the kit's examples "run under happy-dom and under Node"). Needs
// `npm run build` first (it reads packages/*/dist through the package exports).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('@lifeline/client and @lifeline/client/testing type-check without the DOM lib', () => {
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules/.cache/node-types-'));
  try {
    writeFileSync(
      join(dir, 'app.ts'),
      [
        "import { createSessionClient } from '@lifeline/client';",
        "import { createFakeServer, createSimulatedBrowser } from '@lifeline/client/testing';",
        'const browser = createSimulatedBrowser();',
        'const server = createFakeServer({ now: browser.clock.now });',
        'export const tab = browser.openTab({ fetch: server.fetch });',
        'export const client = createSessionClient({ fetch: server.fetch });',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022'],
          types: ['node'],
          strict: true,
          noEmit: true,
        },
        files: ['app.ts'],
      }),
    );
    let out = '';
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], {
        encoding: 'utf8',
      });
    } catch (error) {
      out = String((error as { stdout?: string }).stdout);
    }
    // Today: "Cannot find name 'DocumentVisibilityState'", "'AddEventListenerOptions'",
    // "'RequestInfo'" in dist/types.d.ts and dist/testing/browser.d.ts.
    expect(out).toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
