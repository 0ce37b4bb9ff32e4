/**
 * `@lifeline/client`: keeps the browser's view of a Lifeline session in step with the
 * server across every open tab.
 */
import { broadcastChannel } from './channel/broadcast.js';
import { createClientCore } from './shell/client.js';
import type { SessionClient, SessionClientOptions } from './types.js';

export { broadcastChannel } from './channel/broadcast.js';
export { SessionExpiredError } from './errors.js';
export { createClientCore } from './shell/client.js';
export type * from './types.js';

const hasWindow = () => typeof window !== 'undefined';

/**
 * Starts the session client for this tab: tracks activity, keeps the session alive while
 * the person is there, shares deadlines with the other tabs, warns before the end.
 *
 * On a server (no `window`) it runs without DOM listeners or a channel; nothing happens
 * on import.
 *
 * @example
 * const session = createSessionClient({ endpoint: '/session' });
 * session.on('warning', (e) => console.log(`${e.limit} limit at`, new Date(e.expiresAt)));
 * const res = await session.fetch('/api/me');
 */
export function createSessionClient(options: SessionClientOptions = {}): SessionClient {
  const channel =
    options.channel !== undefined ? options.channel : hasWindow() ? broadcastChannel : null;
  return createClientCore({ ...options, channel });
}
