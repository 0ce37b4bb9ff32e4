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

export function leanBroadcastChannel(): Plugin {
  return {
    name: 'lifeline:lean-broadcast-channel',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'unload' && importer && PACKAGE.test(importer)) return `${PREFIX}unload`;
      const method = /^\.\/methods\/([a-z-]+)\.js$/.exec(source)?.[1];
      if (!method || !(method in STUBS) || !importer || !CHOOSER.test(importer)) return null;
      return PREFIX + method;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      if (id === `${PREFIX}unload`) return UNLOAD_STUB;
      return `export const ${STUBS[id.slice(PREFIX.length)]} = undefined;`;
    },
  };
}
