import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// store.ts: "An unreachable REDIS_URL fails the start instead." A REDIS_URL whose port
// accepts connections but never answers (a wrong port, a firewall, a proxy that waits) is
// unreachable as Redis too: the start must fail with one line naming REDIS_URL, not hang.
it('fails the start, naming REDIS_URL, when REDIS_URL points at a port that accepts but never answers', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  const child = spawn(
    process.execPath,
    ['--conditions=lifeline-source', '--import', 'tsx', 'demo/server/main.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', REDIS_URL: `redis://127.0.0.1:${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (c) => (err += String(c)));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill();
      resolve(null); // still running: it hung
    }, 15_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  for (const s of sockets) s.destroy();
  silent.close();
  expect(code).toBe(1);
  expect(err).toMatch(/^REDIS_URL: /m);
}, 30_000);
