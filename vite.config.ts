import { defineConfig } from 'vitest/config';
import { leanBroadcastChannel } from './packages/client/build/lean-broadcast-channel.js';

// In the repo every package resolves to its TypeScript source through the
// `lifeline-source` export condition; published builds use `dist/`.
const conditions = ['lifeline-source'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['packages/server/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        // The client's tests run the `broadcast-channel` its bundles ship (the lean copy).
        plugins: [leanBroadcastChannel()],
        test: {
          name: 'client',
          include: ['packages/client/src/**/*.test.ts'],
          environment: 'happy-dom',
          server: { deps: { inline: ['broadcast-channel'] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'demo/**/*.test.ts'],
          environment: 'node',
          // Real servers and sockets: on a loaded two-core machine a thousand sign-ins
          // can take longer than the default 5 s.
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One browser at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
