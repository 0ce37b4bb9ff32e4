import type { LockManagerLike, ReauthFunction } from '../types.js';
import { callRoute, type HttpDeps, type RouteOutcome, timeoutSignal } from './http.js';

export interface ReauthDeps extends HttpDeps {
  strategy: 'endpoint' | ReauthFunction | false;
  locks: LockManagerLike | null;
  lockName: string;
  /** Local time another tab last announced a successful re-auth. */
  lastReauthAt: () => number;
  /** Feeds the outcome to the core (which tells the other tabs). */
  settle: (outcome: RouteOutcome) => void;
  failed: (error: unknown) => void;
}

/**
 * Silent re-authentication, single-flight: concurrent callers in this tab share one
 * attempt, and the Web Lock makes tabs take turns; a tab that waited for the lock while
 * another succeeded takes that result instead of trying again.
 */
export function createReauth(deps: ReauthDeps) {
  let running: Promise<boolean> | null = null;

  const attempt = async (startedAt: number): Promise<boolean> => {
    if (deps.lastReauthAt() >= startedAt) return true;
    const { strategy } = deps;
    if (strategy === false) return false;
    try {
      if (strategy !== 'endpoint') {
        const signal = timeoutSignal(deps.requestTimeout * 6) ?? new AbortController().signal;
        if ((await strategy({ signal })) === false)
          throw new Error('reauth: the app function declined');
      }
      const outcome = await callRoute(deps, strategy === 'endpoint' ? 'reauth' : 'status');
      if (outcome.type !== 'server' || outcome.status.state !== 'active') {
        throw outcome.type === 'failed'
          ? outcome.error
          : new Error('reauth: no session after re-auth');
      }
      deps.settle({ ...outcome, op: 'reauth' });
      return true;
    } catch (error) {
      deps.failed(error);
      return false;
    }
  };

  return function reauthenticate(): Promise<boolean> {
    if (running) return running;
    const startedAt = deps.now();
    const run = () => attempt(startedAt);
    const locked = deps.locks ? deps.locks.request(deps.lockName, {}, run) : run();
    running = locked
      .catch(() => false)
      .finally(() => {
        running = null;
      });
    return running;
  };
}
