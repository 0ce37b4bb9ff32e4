import type { SessionStatus } from '../contract/schemas.js';
import type { Session } from './types.js';

/**
 * The `GET /status` body for a request's session, from the same snapshot the
 * `Session-Deadline` header is built from, so the two always agree.
 *
 * @param canReauth default `session.canReauth` (the configured `reauth` strategy's answer).
 * @example
 * app.get('/status', (c) => c.json(sessionStatus(c.var.session), 200, { 'Cache-Control': 'no-store' }));
 */
export function sessionStatus(session: Session, canReauth = session.canReauth): SessionStatus {
  const { now, idleTimeoutMs, deadlines } = session;
  if (session.state === 'active' && deadlines) {
    return {
      state: 'active',
      now,
      idleExpiresAt: deadlines.idleExpiresAt,
      absoluteExpiresAt: deadlines.absoluteExpiresAt,
      idleTimeoutMs,
      canReauth,
      user: session.user,
    };
  }
  return { state: 'none', reason: session.reason ?? 'missing', now, idleTimeoutMs, canReauth };
}
