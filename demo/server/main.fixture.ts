import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a started demo ended up: listening (on `port`), exited (with `code`), or still waiting. */
export interface DemoRun {
  outcome: 'listening' | 'exited' | 'waiting';
  port: number | null;
  code: number | null;
  /** stdout and stderr so far. */
  output: string;
  /** Kill it once done (a no-op after it exited). */
  child: ChildProcess;
}

/**
 * Test support: runs `npm start`'s server (`demo/server/main.ts`, no build needed: it reads
 * the bundle only when asked) with `env` over this process's and `PORT=0`, until it listens,
 * exits, or `waitMs` passes.
 */
export function runDemo(env: Record<string, string>, waitMs: number): Promise<DemoRun> {
  const child = spawn(
    process.execPath,
    ['--conditions=lifeline-source', '--import', 'tsx', 'demo/server/main.ts'],
    { cwd: ROOT, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve) => {
    const done = (outcome: DemoRun['outcome'], code: number | null = null) => {
      clearTimeout(timer);
      const port = /Lifeline demo on http:\/\/\S+:(\d+) /.exec(output)?.[1];
      resolve({ outcome, port: port ? Number(port) : null, code, output, child });
    };
    const timer = setTimeout(() => done('waiting'), waitMs);
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      if (output.includes('Lifeline demo on')) done('listening');
    });
    child.on('exit', (code) => done('exited', code));
  });
}
