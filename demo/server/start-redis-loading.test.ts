import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
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
  const child = spawn(
    process.execPath,
    ['--conditions=lifeline-source', '--import', 'tsx', 'demo/server/main.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', REDIS_URL: `redis://127.0.0.1:${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (c) => (out += String(c)));
  child.stderr.on('data', (c) => (out += String(c)));
  const outcome = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('still waiting'), LOADING_MS + 8_000);
    child.stdout.on('data', () => {
      if (out.includes('Lifeline demo on')) resolve('listening');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(`exited ${code}`);
    });
  });
  child.kill();
  for (const s of sockets) s.destroy();
  server.close();
  // Observed: "exited 1" after 10 s, "REDIS_URL: cannot connect to Redis (TimeoutError: …)".
  expect({ outcome, out: out.includes('REDIS_URL:') ? out.trim() : '' }).toEqual({
    outcome: 'listening',
    out: '',
  });
}, 40_000);
