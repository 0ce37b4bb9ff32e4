import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createDemoApp } from '../../demo/server/app.js';
import { loadConfig } from '../../demo/server/config.js';

const DEMO_DIST = fileURLToPath(new URL('../../demo/dist/', import.meta.url));
const CLIENT_IIFE = fileURLToPath(
  new URL('../../packages/client/dist/lifeline.iife.js', import.meta.url),
);

/** The demo server of one test file, in-process, with a clock the test can move. */
export interface DemoServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /**
   * Moves the server's clock forward by `ms` once `moveBrowsers` has moved the browsers'
   * clocks. Requests arriving meanwhile wait, so no request ever sees one clock moved and
   * the other not (which would read as a 10-second clock skew and could stick).
   */
  advance(ms: number, moveBrowsers: () => Promise<void>): Promise<void>;
  /** Moves only the server's clock: the session ends there while the page does not know. */
  advanceServerOnly(ms: number): void;
  /** Requests to `/session/*` (the SDK's traffic) since the last reset. */
  sessionRequests(): number;
  resetCounts(): void;
  close(): Promise<void>;
}

/**
 * Starts the demo on an ephemeral port with short timeouts from `env`. Every request to
 * `/session/*` is counted here, at the server, so "N tabs cost what one does" is measured
 * where it matters.
 */
export async function startDemo(env: Record<string, string>): Promise<DemoServer> {
  if (!existsSync(`${DEMO_DIST}index.html`) || !existsSync(CLIENT_IIFE)) {
    throw new Error('The demo page or the client bundle is not built: run "npm run build" first.');
  }
  let shift = 0;
  let count = 0;
  let gate: Promise<void> | null = null;
  const app = createDemoApp(loadConfig({ PORT: '0', ...env }), {
    now: () => Date.now() + shift,
    clientScript: () => readFileSync(CLIENT_IIFE, 'utf8'),
    webRoot: DEMO_DIST,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      {
        hostname: '127.0.0.1',
        port: 0,
        fetch: async (req, ...rest) => {
          const path = new URL(req.url).pathname;
          if (path.startsWith('/session/') && path !== '/session/client.js') count++;
          while (gate) await gate;
          return app.fetch(req, ...rest);
        },
      },
      () => resolve(s),
    );
  });
  // The tests' own requests (`world.status()`) reuse a kept-alive connection; Node closes
  // an idle one after 5 s, and a request sent on it as it closes fails with ECONNRESET
  // (seen under load). Idle connections stay open for as long as a test runs instead.
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 120_000;
  http.headersTimeout = 121_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async advance(ms, moveBrowsers) {
      let open = () => {};
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      try {
        await moveBrowsers();
      } finally {
        shift += ms;
        gate = null;
        open();
      }
    },
    advanceServerOnly(ms) {
      shift += ms;
    },
    sessionRequests: () => count,
    resetCounts: () => {
      count = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
