import { connect, createServer, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import { runDemo } from './main.fixture.js';

const LOADING_MS = 13_000;

/**
 * A healthy Redis that is loading its dataset at start-up (a big RDB/AOF), as Redis itself
 * answers then: INFO says `loading:1`, other commands `-LOADING`. Once loading is over,
 * each connection is piped to the real Redis on 127.0.0.1:6379.
 */
function loadingRedis() {
  const started = Date.now();
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    let upstream: Socket | null = null;
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      if (upstream) return void upstream.write(chunk);
      if (Date.now() - started >= LOADING_MS) {
        upstream = connect(6379, '127.0.0.1');
        sockets.push(upstream);
        upstream.on('error', () => socket.destroy());
        upstream.pipe(socket);
        upstream.write(chunk);
        return;
      }
      const text = chunk.toString();
      if (/INFO/i.test(text)) {
        const body = '# Persistence\r\nloading:1\r\nloading_eta_seconds:1\r\n';
        socket.write(`$${Buffer.byteLength(body)}\r\n${body}\r\n`);
      } else {
        socket.write('-LOADING Redis is loading the dataset in memory\r\n');
      }
    });
  });
  return { server, sockets };
}

// docs/demo.md: "exits if the first attempt fails or Redis has not answered within 10 s".
// A Redis loading its dataset answers at once (INFO: loading), and ioredis waits for it.
it('starts on a healthy Redis that takes longer than 10 s to load its dataset', async () => {
  const { server, sockets } = loadingRedis();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const run = await runDemo({ REDIS_URL: `redis://127.0.0.1:${port}` }, LOADING_MS + 40_000);
  run.child.kill();
  for (const s of sockets) s.destroy();
  server.close();
  // It gave up after 10 s: "REDIS_URL: cannot connect to Redis (…)".
  expect(run.output).not.toContain('REDIS_URL:');
  expect(run.outcome).toBe('listening');
}, 70_000);

// store.ts: an unreachable REDIS_URL fails the start. One whose port accepts connections
// but never answers (a wrong port, a firewall, a proxy that waits) is unreachable too: one
// line naming REDIS_URL, not a hang.
it('fails the start, naming REDIS_URL, when REDIS_URL points at a port that accepts but never answers', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  // It gives up 10 s after it asked, and starting takes a while on a loaded machine.
  const run = await runDemo({ REDIS_URL: `redis://127.0.0.1:${port}` }, 40_000);
  run.child.kill();
  for (const s of sockets) s.destroy();
  silent.close();
  expect(run.outcome).toBe('exited');
  expect(run.code).toBe(1);
  expect(run.output).toMatch(/^REDIS_URL: /m);
}, 60_000);
