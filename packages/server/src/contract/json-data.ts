/**
 * What keeps `value` from being JSON data that every store keeps as given, or `null` when
 * nothing does. The memory store copies plain data and the Redis store writes
 * `JSON.stringify`: a `Date`, `Map`, `NaN` or `BigInt` would come back changed, differently
 * from each, or break a status body later, so a write refuses it where the app makes it.
 * An object property holding `undefined` is let through: JSON drops it, and a read that
 * asks for it gets `undefined` from either store. A plain object is one whose prototype is
 * `null` or has none itself (`Object.prototype` of any realm, as `vm` or a test runner
 * makes them). Objects and arrays nesting more than `maxDepth` levels are refused too (see
 * `nestsDeeperThan`); the walk is iterative and depth-first, so a cycle answers at once.
 *
 * @example
 * jsonDataProblem({ total: 10n }, 32); // 'holds a bigint (not JSON)'
 */
export function jsonDataProblem(value: unknown, maxDepth: number): string | null {
  const pending: Array<{ node: unknown; depth: number; inObject: boolean }> = [
    { node: value, depth: 1, inObject: false },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (node === null || typeof node === 'string' || typeof node === 'boolean') continue;
    if (typeof node === 'number') {
      if (Number.isFinite(node)) continue;
      return notJson(node);
    }
    if (node === undefined) {
      if (next.inObject) continue;
      return 'holds undefined (not JSON)';
    }
    if (typeof node !== 'object') return `holds a ${typeof node} (not JSON)`;
    if (depth > maxDepth) return tooDeep(maxDepth);
    const array = Array.isArray(node);
    // A hole becomes `null` in JSON but stays a hole in the memory store's copy.
    if (array && Object.keys(node).length !== node.length) return 'holds an array with holes';
    const proto: unknown = Object.getPrototypeOf(node);
    if (!array && proto !== null && Object.getPrototypeOf(proto) !== null) {
      const name = (node as { constructor?: { name?: unknown } }).constructor?.name;
      return `holds a ${typeof name === 'string' && name ? name : 'non-plain object'} (not JSON)`;
    }
    for (const child of Object.values(node)) {
      pending.push({ node: child, depth: depth + 1, inObject: !array });
    }
  }
  return null;
}

/**
 * {@link jsonDataProblem} for a value `JSON.parse` made, cheaper: parsed JSON is plain data,
 * so only two things can be wrong with it, a number beyond a double (`1e400` parses to
 * `Infinity`) and nesting deeper than `maxDepth`. A read runs this on every stored value:
 * one walk that allocates nothing and goes at most `maxDepth + 1` levels down, naming the
 * first problem it meets (a second walk for the message took seconds on megabytes).
 */
export function parsedJsonProblem(value: unknown, maxDepth: number): string | null {
  const found = unwritable(value, maxDepth);
  if (found === null) return null;
  return found === DEEP ? tooDeep(maxDepth) : notJson(found);
}

// The two problems both walks name, in one wording (the Redis store reports it).
const notJson = (n: number) => `holds ${n} (not JSON)`;
const tooDeep = (maxDepth: number) => `nests deeper than ${maxDepth} levels`;

const DEEP = Symbol('deep');

/** The non-finite number or {@link DEEP} first met, or `null`. */
function unwritable(value: unknown, levelsLeft: number): number | typeof DEEP | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : value;
  if (typeof value !== 'object' || value === null) return null;
  if (levelsLeft === 0) return DEEP;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unwritable(value[i], levelsLeft - 1);
      if (found !== null) return found;
    }
    return null;
  }
  // Own keys only (`__proto__` among them, as a plain key): `for…in` also visits what some
  // library added to `Object.prototype`, which no write sees.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const found = unwritable((value as Record<string, unknown>)[key], levelsLeft - 1);
    if (found !== null) return found;
  }
  return null;
}
