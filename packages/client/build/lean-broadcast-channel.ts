import type { Plugin } from 'vite';

/**
 * Keeps `broadcast-channel` to its native transport in our bundles (the ESM build, the
 * script-tag IIFE and the size test). Its method chooser imports the IndexedDB,
 * localStorage and test-only `simulate` transports unconditionally, so no bundler can drop
 * them (about 1.9 KB gzip). Every browser the SDK supports has `BroadcastChannel`, so the
 * three are replaced by empty exports, which the chooser already filters out. Leader
 * election is untouched (Web Locks where present, its message protocol otherwise) but for
 * its `unload` hook, below.
 */
const STUBS: Record<string, string> = {
  'indexed-db': 'IndexedDBMethod',
  localstorage: 'LocalstorageMethod',
  simulate: 'SimulateMethod',
};
const PREFIX = '\0lean-broadcast-channel:';
const CHOOSER = /[\\/]broadcast-channel[\\/]dist[\\/][^\\/]+[\\/]method-chooser\.js$/;
const PACKAGE = /[\\/]broadcast-channel[\\/]dist[\\/]/;
/**
 * The `unload` package, which leader election uses to announce a leader's death, listens
 * to `unload`: any such listener bars the page from the back/forward cache, and the SDK
 * re-checks its session when a page comes back from it. A leader's Web Lock is released
 * when its page goes away anyway, which hands leadership on; so the hook is a no-op here.
 */
const UNLOAD_STUB = 'export const add = (fn) => ({ remove() {}, run: fn });';
/**
 * Leader election by Web Lock alone (about 575 B gzip less): the package's message-protocol
 * fallback is for browsers without Web Locks, which cannot run the bundle's syntax anyway,
 * and `broadcastChannel()` leaves such a tab alone rather than elect without a lock. The
 * rest is the package's own `createLeaderElection` (the Web Lock elector reads no options).
 */
const ELECTION = /[\\/]broadcast-channel[\\/]dist[\\/][^\\/]+[\\/]index\.js$/;
/** The module, importing the Web Lock elector from the package folder `dir`. */
const webLockElection = (
  dir: string,
) => `import { LeaderElectionWebLock } from ${JSON.stringify(`${dir}/leader-election-web-lock.js`)};
export function createLeaderElection(channel, options) {
  if (channel._leaderElector) throw new Error('BroadcastChannel already has a leader-elector');
  const elector = new LeaderElectionWebLock(channel, options);
  channel._befC.push(() => elector.die());
  channel._leaderElector = elector;
  return elector;
}`;

export function leanBroadcastChannel(): Plugin {
  return {
    name: 'lifeline:lean-broadcast-channel',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'unload' && importer && PACKAGE.test(importer)) return `${PREFIX}unload`;
      if (source === './leader-election.js' && importer && ELECTION.test(importer)) {
        return `${PREFIX}election:${importer.replace(/[\\/][^\\/]+$/, '')}`;
      }
      const method = /^\.\/methods\/([a-z-]+)\.js$/.exec(source)?.[1];
      if (!method || !(method in STUBS) || !importer || !CHOOSER.test(importer)) return null;
      return PREFIX + method;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      if (id === `${PREFIX}unload`) return UNLOAD_STUB;
      if (id.startsWith(`${PREFIX}election:`)) {
        return webLockElection(id.slice(`${PREFIX}election:`.length));
      }
      return `export const ${STUBS[id.slice(PREFIX.length)]} = undefined;`;
    },
  };
}
