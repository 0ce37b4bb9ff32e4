import type { Plugin } from 'vite';

/**
 * Keeps `broadcast-channel` to its native transport in our bundles (the ESM build, the
 * script-tag IIFE and the size test). Its method chooser imports the IndexedDB,
 * localStorage and test-only `simulate` transports unconditionally, so no bundler can drop
 * them (about 1.9 KB gzip). Every browser the SDK supports has `BroadcastChannel` (the SDK
 * opens no channel without it), so the chooser is replaced by one that answers the native
 * transport, less the parts only the chooser read (its feature test, its speed).
 *
 * Leader election keeps only its Web Lock elector: the message-protocol one (about 630 B
 * gzip) serves pages without Web Locks (not a secure context, or an old browser), where
 * `broadcastChannel()` holds no election and every tab leads. Its `unload` hook goes too,
 * below, and so do the option defaults only the stubbed transports read and the filter
 * that drops messages by their senders' clocks.
 */
const PREFIX = '\0lean-broadcast-channel:';
const PACKAGE = /[\\/]broadcast-channel[\\/]dist[\\/]/;
/** `chooseMethod` with the native transport always; `dir` is the package's folder. */
const nativeChooser = (dir: string) => `
import { create, close, onMessage, postMessage, microSeconds, type } from ${JSON.stringify(`${dir}methods/native.js`)};
const NATIVE = { create, close, onMessage, postMessage, microSeconds, type };
export function chooseMethod() {
  return NATIVE;
}`;
/**
 * The `unload` package, which leader election uses to announce a leader's death, listens
 * to `unload`: any such listener bars the page from the back/forward cache, and the SDK
 * re-checks its session when a page comes back from it. A leader's Web Lock is released
 * when its page goes away anyway, which hands leadership on; so the hook is a no-op here.
 */
const UNLOAD_STUB = 'export const add = (fn) => ({ remove() {}, run: fn });';
/**
 * `fillOptionsWithDefaults` without defaults: only the method chooser and the transports
 * left out above read them (about 100 B gzip); the native transport reads no option.
 */
const OPTIONS_STUB = 'export const fillOptionsWithDefaults = (options = {}) => options;';
/** `createLeaderElection` as the package writes it, with the Web Lock elector always. */
const webLockElection = (dir: string) => `
import { LeaderElectionWebLock } from ${JSON.stringify(`${dir}leader-election-web-lock.js`)};
export function createLeaderElection(channel, options) {
  const elector = new LeaderElectionWebLock(channel, options);
  channel._befC.push(() => elector.die());
  return elector;
}`;

const CHANNEL = /[\\/]broadcast-channel[\\/]dist[\\/][^\\/]+[\\/]broadcast-channel\.js$/;
/**
 * The package's listener of every message on the channel, rewritten twice:
 * - It dropped a message stamped (with the sender's `Date.now()`) before the listener was
 *   added, which only its buffering transports need. Between tabs it dropped every message
 *   of a tab opened after the computer's clock was set back, for as long as the step: older
 *   tabs missed its sign-outs, extensions and activity. The native transport delivers only
 *   what is posted while a channel is open anyway.
 * - It threw into the page on a message without its wrapping (another script on the channel
 *   name, another version posting raw: `null`, an unknown `type`, `__proto__`). Such a
 *   message now goes to the message listeners as it came, where the SDK refuses it as
 *   malformed with an `error` event.
 */
const LISTENER = `channel._addEL[msgObj.type].forEach(function (listenerObject) {
        if (msgObj.time >= listenerObject.time) {
          listenerObject.fn(msgObj.data);
        }`;
const GUARDED_LISTENER = `var wrapped = msgObj && (msgObj.type === 'message' || msgObj.type === 'internal');
      channel._addEL[wrapped ? msgObj.type : 'message'].forEach(function (listenerObject) {
        {
          listenerObject.fn(wrapped ? msgObj.data : msgObj);
        }`;

/**
 * The error `postMessage` throws after `close()`, which the SDK never calls then (its
 * channel checks first): the message, with the post's data, comes to about 60 B gzip.
 */
const CLOSED_ERROR =
  /'BroadcastChannel\.postMessage\(\): ' \+ 'Cannot post message after channel has closed ' \+[^;]*JSON\.stringify\(msg\)\)/;
const SHORT_CLOSED_ERROR = "'BroadcastChannel closed')";

export function leanBroadcastChannel(): Plugin {
  return {
    name: 'lifeline:lean-broadcast-channel',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'unload' && importer && PACKAGE.test(importer)) return `${PREFIX}unload`;
      if (source === './options.js' && importer && PACKAGE.test(importer))
        return `${PREFIX}options`;
      // Virtual modules have no folder: these name the package's, to import from it.
      if (source === './leader-election.js' && importer && PACKAGE.test(importer)) {
        return `${PREFIX}election:${importer.replace(/[^\\/]+$/, '')}`;
      }
      if (source === './method-chooser.js' && importer && PACKAGE.test(importer)) {
        return `${PREFIX}chooser:${importer.replace(/[^\\/]+$/, '')}`;
      }
      return null;
    },
    transform(code, id) {
      if (!CHANNEL.test(id)) return null;
      // A new version of the package that changed it must fail the build, not keep the old one.
      if (!code.includes(LISTENER)) throw new Error(`${id}: its message listener changed`);
      if (!CLOSED_ERROR.test(code)) throw new Error(`${id}: its closed-channel error changed`);
      return code.replace(LISTENER, GUARDED_LISTENER).replace(CLOSED_ERROR, SHORT_CLOSED_ERROR);
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      if (id === `${PREFIX}unload`) return UNLOAD_STUB;
      if (id === `${PREFIX}options`) return OPTIONS_STUB;
      if (id.startsWith(`${PREFIX}election:`)) {
        return webLockElection(id.slice(`${PREFIX}election:`.length));
      }
      if (id.startsWith(`${PREFIX}chooser:`)) {
        return nativeChooser(id.slice(`${PREFIX}chooser:`.length));
      }
      return null;
    },
  };
}
