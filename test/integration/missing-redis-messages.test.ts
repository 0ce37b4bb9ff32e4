import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// README: without a Redis, the Redis tests "fail and say so"; docs/benchmarks.md and
// bench/cases/redis.ts: "with REDIS_URL set, an unreachable Redis fails the bench".
// A developer must be able to tell from the output that Redis is what is missing.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += String(c)));
  child.stderr.on('data', (c) => (out += String(c)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

it('the security suite’s Redis file, with no Redis, says a Redis server is needed and how to start one', async () => {
  const url = `redis://127.0.0.1:${await closedPort()}`;
  const { code, out } = await run(
    ['node_modules/vitest/vitest.mjs', 'run', 'test/integration/security/redis.test.ts'],
    { REDIS_URL: url },
  );
  expect(code).not.toBe(0);
  expect(out).toMatch(/need a Redis server/);
  expect(out).toMatch(/redis-server --save/);
}, 60_000);

it('npm run bench with REDIS_URL unreachable fails with one line naming REDIS_URL, not an ioredis stack', async () => {
  const url = `redis://127.0.0.1:${await closedPort()}`;
  const { code, out } = await run(
    [
      '--import',
      'tsx',
      'bench/run.ts',
      '--only=redis:session-read',
      '--warmup=0.2',
      '--duration=0.2',
      '--rounds=1',
      '--connections=1',
    ],
    { REDIS_URL: url },
  );
  expect(code).not.toBe(0);
  expect(out).toContain('REDIS_URL');
  expect(out).not.toMatch(/^Error: Connection is closed\.$/m);
}, 60_000);
