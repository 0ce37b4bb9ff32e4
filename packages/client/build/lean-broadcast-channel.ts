import type { Plugin } from 'vite';

/**
 * Keeps `broadcast-channel` to its native transport in our bundles (the ESM build, the
 * script-tag IIFE and the size test). Its method chooser imports the IndexedDB,
 * localStorage and test-only `simulate` transports unconditionally, so no bundler can drop
 * them (about 1.9 KB gzip). Every browser the SDK supports has `BroadcastChannel`, so the
 * three are replaced by empty exports, which the chooser already filters out. Leader
 * election is untouched: Web Locks where present, its message protocol otherwise.
 */
const STUBS: Record<string, string> = {
  'indexed-db': 'IndexedDBMethod',
  localstorage: 'LocalstorageMethod',
  simulate: 'SimulateMethod',
};
const PREFIX = '\0lean-broadcast-channel:';
const CHOOSER = /[\\/]broadcast-channel[\\/]dist[\\/][^\\/]+[\\/]method-chooser\.js$/;

export function leanBroadcastChannel(): Plugin {
  return {
    name: 'lifeline:lean-broadcast-channel',
    enforce: 'pre',
    resolveId(source, importer) {
      const method = /^\.\/methods\/([a-z-]+)\.js$/.exec(source)?.[1];
      if (!method || !(method in STUBS) || !importer || !CHOOSER.test(importer)) return null;
      return PREFIX + method;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      return `export const ${STUBS[id.slice(PREFIX.length)]} = undefined;`;
    },
  };
}
