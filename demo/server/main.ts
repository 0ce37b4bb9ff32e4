import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createDemoApp } from './app.js';
import { type DemoConfig, loadConfig } from './config.js';
import { storeFor } from './store.js';

function configOrExit(): DemoConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

const config = configOrExit();
const store = await storeFor(config).catch((error: unknown) => {
  console.error(`REDIS_URL: cannot connect to Redis (${String(error)})`);
  process.exit(1);
});
// Built by `npm run build`: the demo page and the client's script-tag bundle.
const webRoot = fileURLToPath(new URL('../dist/', import.meta.url));
const bundle = fileURLToPath(import.meta.resolve('@lifeline/client/lifeline.iife.js'));
const app = createDemoApp(config, {
  ...(store === undefined ? {} : { store }),
  webRoot,
  clientScript: () => readFile(bundle, 'utf8'),
});

// Loopback unless HOST says otherwise: the demo account (demo / demo) is public, and its
// cookies travel over plain http.
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const where = config.redisUrl === null ? 'memory store' : 'Redis store';
  const host =
    config.host === '127.0.0.1'
      ? 'localhost'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
  console.log(`Lifeline demo on http://${host}:${info.port} (${where}); sign in as demo / demo`);
});
// A port in use or an address this machine has not got is a set-up mistake like a bad
// variable: one line naming it, not a stack.
server.on('error', (error: NodeJS.ErrnoException) => {
  if (['EADDRNOTAVAIL', 'ENOTFOUND', 'EINVAL'].includes(error.code ?? '')) {
    console.error(
      `HOST: cannot listen on ${config.host} (${error.code}); set HOST to an address of this machine`,
    );
  } else {
    const why = error.code === 'EADDRINUSE' ? `port ${config.port} is in use` : error.message;
    console.error(`PORT: cannot listen (${why}); set PORT to a free port`);
  }
  process.exit(1);
});
