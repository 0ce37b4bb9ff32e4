import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Shortens the SDK's internal property names in our bundles (the ESM build, the
 * script-tag IIFE and the size tests). Convention: a name written `_likeThis` is internal
 * to `src/` (core state, reducer actions, clock samples). It never crosses a public type,
 * the wire or the cross-tab channel, and is never spelled as a string, so renaming every
 * identifier of that shape consistently, in one build, cannot change behaviour. Readable
 * names stay in the source; minifiers leave property names alone, so without this step
 * every access would ship the long name.
 *
 * Short names are single capital letters (then `$` and a counter), property names our
 * sources never use, so they cannot collide with a name left long. The renaming keeps
 * whole lines in place, so source maps stay right to the line.
 */
const INTERNAL = /^_[a-z][A-Za-z]*$/;
const SRC = fileURLToPath(new URL('../src/', import.meta.url));

interface Node {
  type: string;
  start: number;
  end: number;
  name?: string;
}

/** Every identifier node under `node` that follows the convention. */
function internalIdentifiers(node: unknown, found: Node[]): Node[] {
  if (Array.isArray(node)) {
    for (const child of node) internalIdentifiers(child, found);
  } else if (node && typeof node === 'object') {
    const n = node as Node;
    if (n.type === 'Identifier' && INTERNAL.test(n.name ?? '')) found.push(n);
    else for (const value of Object.values(node)) internalIdentifiers(value, found);
  }
  return found;
}

export function mangleInternalNames(): Plugin {
  const short = new Map<string, string>();
  const shorten = (name: string) => {
    const n = short.size;
    if (!short.has(name)) short.set(name, n < 26 ? String.fromCharCode(65 + n) : `$${n}`);
    return short.get(name) as string;
  };
  return {
    name: 'lifeline:mangle-internal-names',
    transform(code, id) {
      if (!id.startsWith(SRC) || !/\b_[a-z]/.test(code)) return null;
      const ids = internalIdentifiers(this.parse(code, { lang: 'ts' }), []);
      if (ids.length === 0) return null;
      let out = '';
      let at = 0;
      for (const node of ids.sort((a, b) => a.start - b.start)) {
        // A shorthand property (`{ _x }`) is one span reported as both key and value.
        if (node.start < at) continue;
        out += code.slice(at, node.start) + shorten(node.name as string);
        at = node.end;
      }
      return { code: out + code.slice(at), map: null };
    },
  };
}
