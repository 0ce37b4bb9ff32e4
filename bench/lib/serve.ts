/**
 * The server process of one bench case. It runs apart from the load generator so the
 * two do not share an event loop. Protocol over the IPC channel:
 * child → parent `{ type: 'ready', port, request }`; parent → child `{ type: 'reset' }` (answered
 * `{ type: 'reset-done' }`), `{ type: 'counts' }` (answered `{ type: 'counts', counts }`) and
 * `{ type: 'cpu' }` (answered `{ type: 'cpu', micros }`: this process's user + system CPU so far).
 */
import { serve } from '@hono/node-server';
import { findCase } from '../cases/registry.js';
import type { BenchRequest } from '../cases/types.js';

export type ParentMessage = { type: 'reset' } | { type: 'counts' } | { type: 'cpu' };
export type ChildMessage =
  | { type: 'ready'; port: number; request: BenchRequest }
  | { type: 'reset-done' }
  | { type: 'counts'; counts: { reads: number; writes: number } | null }
  | { type: 'cpu'; micros: number };

const id = process.argv[2];
if (id === undefined || process.send === undefined) {
  throw new Error('bench/lib/serve.ts runs as a forked child: serve.ts <case-id>');
}
const send = (message: ChildMessage) => process.send?.(message);
const prepared = await findCase(id).prepare();

const server = serve({ fetch: prepared.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
  send({ type: 'ready', port: info.port, request: prepared.request }),
);

process.on('message', (message: ParentMessage) => {
  const counts = prepared.counts;
  if (message.type === 'reset') {
    if (counts) Object.assign(counts, { reads: 0, writes: 0 });
    send({ type: 'reset-done' });
  } else if (message.type === 'counts') {
    send({ type: 'counts', counts: counts ? { ...counts } : null });
  } else if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    send({ type: 'cpu', micros: user + system });
  }
});

process.on('disconnect', () => {
  server.close();
  void prepared.close?.().finally(() => process.exit(0));
  if (!prepared.close) process.exit(0);
});
