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
export { defaultNow } from './shell/clock.js';
export type * from './types.js';

/**
 * Starts the session client for this tab: tracks activity, keeps the session alive while
 * the person is there, shares deadlines with the other tabs, warns before the end.
 *
 * On a server (no `window`) it runs without DOM listeners or a channel; nothing happens
 * on import. Where the browser has no `BroadcastChannel`, each tab runs alone (its own
 * leader, polling and extending for itself): still correct, just without the shared view.
 *
 * @example
 * const session = createSessionClient({ endpoint: '/session' });
 * session.on('warning', (e) => console.log(`${e.limit} limit in`, e.expiresAt - defaultNow(), 'ms'));
 * const res = await session.fetch('/api/me');
 */
export const createSessionClient = (options: SessionClientOptions = {}): SessionClient => {
  // `broadcastChannel` opens none on a server or where the browser has none: the tab then runs alone.
  const channel = options.channel !== undefined ? options.channel : broadcastChannel;
  return createClientCore({ ...options, channel });
};
