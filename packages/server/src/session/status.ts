import type { SessionStatus } from '../contract/schemas.js';
import type { Session } from './types.js';

/**
 * The `GET /status` body for a request's session. On a `GET`/`HEAD` it is the same
 * snapshot the `Session-Deadline` header is built from (the touch rides on the read). On
 * other methods the touch comes after the handler (a CSRF refusal must not count as
 * activity), so when one falls due the header carries an idle deadline that much later.
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
