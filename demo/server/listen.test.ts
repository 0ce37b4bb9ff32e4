import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { runDemo } from './main.fixture.js';

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

let running: ChildProcess | undefined;
afterEach(() => {
  running?.kill();
});

// The whole of 127.0.0.0/8 reaches this machine, so 127.0.0.2 stands in for another
// computer's view: a server on every interface answers there, one on 127.0.0.1 does not.
it('listens on 127.0.0.1 only by default: the public demo account is not offered to the network', async () => {
  const { child, port } = await runDemo({}, 30_000);
  running = child;
  expect(await reachable('127.0.0.1', port!)).toBe(true);
  expect(await reachable('127.0.0.2', port!)).toBe(false);
});

it('listens where HOST says', async () => {
  const { child, port } = await runDemo({ HOST: '0.0.0.0' }, 30_000);
  running = child;
  expect(await reachable('127.0.0.2', port!)).toBe(true);
});
