import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { leanBroadcastChannel } from './build/lean-broadcast-channel.js';

// Build of @lifeline/client. `vite build` makes the ESM entries for bundlers (one per
// subpath export); `vite build --mode iife` makes the one-file script-tag bundle. Both
// carry `broadcast-channel` inside, kept to its native transport (lean-broadcast-channel):
// an app's bundler cannot drop the package's unused fallbacks on its own.

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/** ESM entries: output name -> source. Parts a teammate has not landed yet are skipped. */
const ENTRIES: Record<string, string> = {
  index: 'index.ts',
  'testing/index': 'testing/index.ts',
  'dialog/index': 'dialog/index.ts',
};

const esmEntries = Object.fromEntries(
  Object.entries(ENTRIES)
    .filter(([, path]) => existsSync(src(path)))
    .map(([name, path]) => [name, src(path)]),
);

const IIFE_ENTRY = existsSync(src('script-tag/index.ts')) ? 'script-tag/index.ts' : 'index.ts';

export default defineConfig(({ mode }) => ({
  plugins: [leanBroadcastChannel()],
  // Workspace packages from source; everything else as a browser build resolves it (the
  // `browser` condition picks broadcast-channel's ES module build, not its ES5 one).
  resolve: { conditions: ['lifeline-source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: mode !== 'iife',
    minify: mode === 'iife',
    // Not for the script-tag bundle: /session/client.js serves it alone, without its map.
    sourcemap: mode !== 'iife',
    target: 'es2020',
    lib:
      mode === 'iife'
        ? {
            entry: src(IIFE_ENTRY),
            formats: ['iife'],
            name: 'Lifeline',
            fileName: () => 'lifeline.iife.js',
          }
        : { entry: esmEntries, formats: ['es'], fileName: (_format, name) => `${name}.js` },
  },
}));
