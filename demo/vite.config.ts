import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The demo page, built like any app that depends on @lifeline/client: imported by name,
// resolved through the package's exports to its published ESM build (`dist/`, with the
// lean `broadcast-channel` inside), so the e2e tests run the code a bundler user gets.
// `npm run build` builds the client before the demo.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or styles anywhere: the demo runs under a strict CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
