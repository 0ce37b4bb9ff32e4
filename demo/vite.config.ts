import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The demo page, built like any app that depends on @lifeline/client: imported by name,
// resolved through the package's exports (the source condition inside this repo).
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  resolve: { conditions: ['lifeline-source'] },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or styles anywhere: the demo runs under a strict CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
