import autocannon from 'autocannon';
import type { BenchRequest } from '../cases/types.js';

/** How hard and how long to drive a server. */
export interface LoadOptions {
  connections: number;
  /** Seconds measured. */
  duration: number;
}

/** Throughput of one measured run. */
export interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered 2xx, the denominator for store calls per request. */
  ok: number;
  /** Requests answered with any status: the denominator for server CPU per request. */
  answered: number;
  /** Non-2xx answers, errors and timeouts: a case that fails them is broken, not slow. */
  failed: number;
  latencyP99Ms: number;
}

/** Drives `url` with `request` for `duration` seconds over `connections` keep-alive sockets. */
export async function drive(url: string, request: BenchRequest, load: LoadOptions) {
  const result = await autocannon({
    url: `${url}${request.path}`,
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
    connections: load.connections,
    duration: load.duration,
  });
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / (result.duration || load.duration),
    ok,
    answered: ok + result.non2xx,
    failed: result.non2xx + result.errors + result.timeouts,
    latencyP99Ms: result.latency.p99,
  } satisfies LoadResult;
}
