/**
 * `npm run bench`: throughput of Lifeline's session middleware against bare Hono in the
 * same run, with store calls per request. Each case's server runs in its own process on
 * 127.0.0.1 (ephemeral port) and autocannon drives it from this one.
 *
 * Flags: --duration=5 (s per measured run) --warmup=2 (s) --rounds=3 --connections=50
 *        --only=<id prefix, comma-separated> (e.g. --only=memory:session-read)
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CASES } from './cases/registry.js';
import { type CaseReport, measureCase, type RunOptions, startWarm } from './lib/measure.js';
import { formatTable } from './lib/report.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
  },
});

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const options: RunOptions = {
  duration: positive('duration', values.duration),
  warmup: positive('warmup', values.warmup),
  rounds: Math.round(positive('rounds', values.rounds)),
  connections: Math.round(positive('connections', values.connections)),
};
const prefixes = values.only?.split(',') ?? [''];
const [bareCase, ...rest] = CASES;
if (bareCase === undefined) throw new Error('the registry has no bare case');
const selected = rest.filter((c) => prefixes.some((p) => c.id.startsWith(p)));

console.log(
  `Lifeline bench: ${selected.length} cases × ${options.rounds} rounds of ${options.duration} s,` +
    ` ${options.connections} connections, Node ${process.version}, ${os.cpus().length} CPUs` +
    ` (${os.cpus()[0]?.model ?? 'unknown'}), load avg ${os.loadavg()[0]?.toFixed(2)}`,
);
const bare = await startWarm(bareCase, options);
const reports: CaseReport[] = [];
try {
  for (const c of selected) {
    process.stdout.write(`  measuring ${c.id} …\n`);
    reports.push(await measureCase(c, bare, options));
  }
} finally {
  await bare.stop();
}
console.log(`\n${formatTable(reports)}\n`);
console.log(
  'ratio = median over rounds of (case req/s ÷ bare Hono req/s in the run just before it)\n' +
    "server CPU = median over rounds of the server process's user + system CPU per answered request,\n" +
    '  case (bare Hono in the paired runs); steadier than req/s when other work shares the machine',
);
