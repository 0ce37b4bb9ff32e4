import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/** Starts `npm start`'s server (no build needed: it reads the bundle only when asked) and waits for its port. */
function startDemo(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--conditions=lifeline-source', '--import', 'tsx', 'demo/server/main.ts'],
    { cwd: ROOT, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const port = /:(\d+) \(/.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.on('exit', (code) => reject(new Error(`the demo exited with ${code}: ${out}`)));
  });
}

let running: ChildProcess | undefined;
afterEach(() => {
  running?.kill();
});

// The whole of 127.0.0.0/8 reaches this machine, so 127.0.0.2 stands in for another
// computer's view: a server on every interface answers there, one on 127.0.0.1 does not.
it('listens on 127.0.0.1 only by default: the public demo account is not offered to the network', async () => {
  const { child, port } = await startDemo({});
  running = child;
  expect(await reachable('127.0.0.1', port)).toBe(true);
  expect(await reachable('127.0.0.2', port)).toBe(false);
});

it('listens where HOST says', async () => {
  const { child, port } = await startDemo({ HOST: '0.0.0.0' });
  running = child;
  expect(await reachable('127.0.0.2', port)).toBe(true);
});
