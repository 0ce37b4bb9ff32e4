import { parseStatus, sessionProblemReason } from '../core/parse.js';
import type { Action, Operation } from '../core/types.js';
import { SessionExpiredError } from '../errors.js';
import { CSRF_HEADER, DEADLINE_HEADER, PASSIVE_HEADER, parseDeadlineHeader } from '../wire.js';
import type { ResolvedOptions } from './options.js';

type Dispatch = (action: Action) => void;

/** Aborts after `ms`; `AbortSignal.timeout` where present (every current browser). */
export const timeoutSignal = (ms: number): AbortSignal | undefined =>
  globalThis.AbortSignal?.timeout?.(ms);

/** Reads a JSON body when the response says it is JSON; `undefined` otherwise. */
async function readJson(res: Response): Promise<unknown> {
  if (!/\bjson\b/i.test(res.headers.get('content-type') ?? '')) return undefined;
  return res.json().catch(() => undefined);
}

/** Reads the deadline header of any response into a core action; `null` when absent or malformed. */
export function deadlineAction(res: Response, sentAt: number, receivedAt: number): Action | null {
  const d = parseDeadlineHeader(res.headers.get(DEADLINE_HEADER));
  return d && { type: 'header', ...d, sentAt, receivedAt };
}

/**
 * Calls one session route and says what came of it as the core action to dispatch. The
 * one place that sends the CSRF header and reads status and problem bodies. Never throws:
 * a network error, timeout, 5xx or malformed body becomes `failed`, so the core keeps its
 * last good state and retries.
 */
export async function callRoute(o: ResolvedOptions, op: Operation | 'reauth'): Promise<Action> {
  const post = op !== 'status';
  const sentAt = o.now();
  try {
    const res = await o.fetch(`${o.endpoint}/${op}`, {
      method: post ? 'POST' : 'GET',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(post && { 'content-type': 'application/json', [CSRF_HEADER]: '1' }),
      },
      body: post ? '{}' : null,
      signal: timeoutSignal(o.requestTimeout) ?? null,
    });
    const receivedAt = o.now();
    const body = await readJson(res);
    const status =
      res.ok &&
      (parseStatus(body) ||
        // A logout answered without a status body still succeeded.
        (op === 'logout'
          ? {
              state: 'none',
              reason: 'logged-out',
              now: receivedAt,
              idleTimeoutMs: 0,
              canReauth: false,
            }
          : null));
    if (status) return { type: 'server', op, status, sentAt, receivedAt };
    const reason = res.status === 401 && sessionProblemReason(body);
    if (reason) return { type: 'rejected', reason, sentAt };
    const code = (body as { code?: unknown } | undefined)?.code;
    throw new Error(`${op}: unexpected answer (HTTP ${res.status} ${code})`);
  } catch (error) {
    // A failed re-auth never reaches the core as `failed`: the re-auth code reports it.
    return { type: 'failed', op: op as Operation, error };
  }
}

/**
 * Builds the session-aware `fetch`: learns deadlines from every response, marks hidden-tab
 * requests passive, and on a 401 session problem re-authenticates once (shared by all
 * concurrent callers) and replays the request once. Never loops.
 */
export function createSessionFetch(
  o: ResolvedOptions,
  dispatch: Dispatch,
  reauthenticate: (since?: number) => Promise<boolean>,
) {
  /** Sends, learns the deadlines, and reads the session problem of a 401 (else `null`). */
  const send = async (request: Request) => {
    const sentAt = o.now();
    const res = await o.fetch(request);
    const action = deadlineAction(res, sentAt, o.now());
    if (action) dispatch(action);
    const reason = res.status === 401 ? sessionProblemReason(await readJson(res.clone())) : null;
    return { res, reason, sentAt };
  };

  return async function sessionFetch(
    input: RequestInfo | URL,
    init?: RequestInit,
  ): Promise<Response> {
    const request = new Request(input, init);
    if (o.document?.visibilityState === 'hidden') request.headers.set(PASSIVE_HEADER, '1');
    let spare: Request | null = null;
    try {
      // Cloned before sending: once sent, a body cannot be read again.
      spare = request.clone();
    } catch {}
    let { res, reason, sentAt } = await send(request);
    // `sentAt`: a re-auth that finished after this request left is enough; another would
    // kill the session it created.
    if (reason && spare && (await reauthenticate(sentAt))) {
      ({ res, reason, sentAt } = await send(spare));
    }
    if (!reason) return res;
    dispatch({ type: 'rejected', reason, sentAt });
    throw new SessionExpiredError(reason, res);
  };
}
