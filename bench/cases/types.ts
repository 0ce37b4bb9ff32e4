import type { StoreCounts } from '../lib/counting-store.js';

/** The request the load generator repeats against a case's server. */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A case ready to serve: built in the server process, so its store lives there. */
export interface PreparedCase {
  /** The app's fetch handler, e.g. `app.fetch` of a Hono app. */
  fetch: (request: Request) => Response | Promise<Response>;
  request: BenchRequest;
  /** Store calls, when the case runs a store; reset after warm-up. */
  counts?: StoreCounts;
  /** Releases the store (connections) when the server stops. */
  close?: () => Promise<void>;
}

/** What a case should reach, printed next to its figures (never asserted). */
export interface BenchTarget {
  /** Minimum requests/s as a fraction of bare Hono in the same round. */
  ratio?: number;
  /** Store writes per request the case should stay within. */
  maxWritesPerRequest?: number;
}

/** One benchmark case: a server setup plus the request that drives it. */
export interface BenchCase {
  /** Stable id, used on the command line (`--only`) and to start the server process. */
  id: string;
  /** One line for the report. */
  title: string;
  target?: BenchTarget;
  prepare(): Promise<PreparedCase>;
}
