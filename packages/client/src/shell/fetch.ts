import { sessionProblemReason } from '../core/parse.js';
import type { Action } from '../core/types.js';
import { SessionExpiredError } from '../errors.js';
import type { DocumentLike } from '../types.js';
import { type EndReason, PASSIVE_HEADER } from '../wire.js';
import { deadlineAction, readJson } from './http.js';

export interface FetchDeps {
  fetch: typeof fetch;
  now: () => number;
  document: DocumentLike | null;
  dispatch: (action: Action) => void;
  reauthenticate: () => Promise<boolean>;
}

/** The session problem a 401 carries, or `null` for any other response. */
async function sessionProblemOf(res: Response): Promise<EndReason | null> {
  return res.status === 401 ? sessionProblemReason(await readJson(res.clone())) : null;
}

/**
 * Builds the session-aware `fetch`: learns deadlines from every response, marks hidden-tab
 * requests passive, and on a 401 session problem re-authenticates once (shared by all
 * concurrent callers) and replays the request once. Never loops.
 */
export function createSessionFetch(deps: FetchDeps) {
  const send = async (request: Request): Promise<Response> => {
    const sentAt = deps.now();
    const res = await deps.fetch(request);
    const action = deadlineAction(res, sentAt, deps.now());
    if (action) deps.dispatch(action);
    return res;
  };

  return async function sessionFetch(
    input: RequestInfo | URL,
    init?: RequestInit,
  ): Promise<Response> {
    const request = new Request(input, init);
    if (deps.document?.visibilityState === 'hidden') request.headers.set(PASSIVE_HEADER, '1');
    let spare: Request | null = null;
    try {
      // Cloned before sending: once sent, a body cannot be read again.
      spare = request.clone();
    } catch {
      spare = null;
    }
    const sentAt = deps.now();
    const res = await send(request);
    const reason = await sessionProblemOf(res);
    if (reason === null) return res;
    if (spare && (await deps.reauthenticate())) {
      const replayed = await send(spare);
      const again = await sessionProblemOf(replayed);
      if (again === null) return replayed;
      deps.dispatch({ type: 'rejected', reason: again, sentAt: deps.now() });
      throw new SessionExpiredError(again, replayed);
    }
    deps.dispatch({ type: 'rejected', reason, sentAt });
    throw new SessionExpiredError(reason, res);
  };
}
