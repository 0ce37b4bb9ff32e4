import { parseStatus, sessionProblemReason } from '../core/parse.js';
import type { Action } from '../core/types.js';
import { CSRF_HEADER, DEADLINE_HEADER, parseDeadlineHeader } from '../wire.js';

/** What a session-route call came to, as the core action to dispatch. */
export type RouteOutcome =
  | Extract<Action, { type: 'server' }>
  | Extract<Action, { type: 'rejected' }>
  | { type: 'failed'; error: unknown };

export interface HttpDeps {
  endpoint: string;
  fetch: typeof fetch;
  now: () => number;
  requestTimeout: number;
}

/** Aborts after `ms`; `AbortSignal.timeout` where present (every current browser). */
export function timeoutSignal(ms: number): AbortSignal | undefined {
  return typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal
    ? AbortSignal.timeout(ms)
    : undefined;
}

/** Reads a JSON body when the response says it is JSON; `undefined` otherwise. */
export async function readJson(res: Response): Promise<unknown> {
  if (!/\bjson\b/i.test(res.headers.get('content-type') ?? '')) return undefined;
  return res.json().catch(() => undefined);
}

/** Reads the deadline header of any response into a core action; `null` when absent or malformed. */
export function deadlineAction(res: Response, sentAt: number, receivedAt: number): Action | null {
  const d = parseDeadlineHeader(res.headers.get(DEADLINE_HEADER));
  return (
    d && {
      type: 'header',
      idle: d.idle,
      absolute: d.absolute,
      serverNow: d.now,
      sentAt,
      receivedAt,
    }
  );
}

/**
 * Calls one session route. Never throws: a network error, timeout, 5xx or malformed body
 * becomes `failed`, so the core keeps its last good state and retries.
 */
export async function callRoute(
  deps: HttpDeps,
  op: 'status' | 'extend' | 'logout' | 'reauth',
): Promise<RouteOutcome> {
  const post = op !== 'status';
  const sentAt = deps.now();
  try {
    const accept = { accept: 'application/json' };
    const res = await deps.fetch(`${deps.endpoint}/${op}`, {
      method: post ? 'POST' : 'GET',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: post
        ? { ...accept, 'content-type': 'application/json', [CSRF_HEADER]: '1' }
        : accept,
      body: post ? '{}' : null,
      signal: timeoutSignal(deps.requestTimeout) ?? null,
    });
    const receivedAt = deps.now();
    const body = await readJson(res);
    // A logout answered without a status body still succeeded.
    const status =
      (res.ok && parseStatus(body)) ||
      (op === 'logout' && res.ok
        ? {
            state: 'none' as const,
            reason: 'logged-out' as const,
            now: receivedAt,
            idleTimeoutMs: 0,
            canReauth: false,
          }
        : null);
    if (status) return { type: 'server', op, status, sentAt, receivedAt };
    const reason = res.status === 401 ? sessionProblemReason(body) : null;
    if (reason) return { type: 'rejected', reason, sentAt };
    const code = (body as { code?: unknown } | undefined)?.code;
    return {
      type: 'failed',
      error: new Error(`${op}: unexpected answer (HTTP ${res.status} ${code})`),
    };
  } catch (error) {
    return { type: 'failed', error };
  }
}
