import type { EndReason } from './wire.js';

/**
 * Thrown by the client's `fetch` when a request met an ended session that silent
 * re-authentication could not revive. The `expired` event has already fired by then, so
 * the app had its chance to save what the user typed.
 */
export class SessionExpiredError extends Error {
  override readonly name = 'SessionExpiredError';
  /** Why the server says there is no session. */
  declare readonly reason: EndReason;
  /** The 401 response, body unread. */
  declare readonly response: Response;

  constructor(reason: EndReason, response: Response) {
    super(`Session ended (${reason})`);
    this.reason = reason;
    this.response = response;
  }
}
