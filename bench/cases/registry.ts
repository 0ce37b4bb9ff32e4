import { bareAsyncCase, bareCase, bareHeaderCase } from './bare.js';
import { memoryCases } from './memory.js';
import { redisCases } from './redis.js';
import type { BenchCase } from './types.js';

/**
 * Every case `npm run bench` knows, bare Hono first. To add a group (another store),
 * build it with `sessionCases(name, factory)` in its own file under `cases/` and list it
 * here; `--only <id-prefix>` picks cases on the command line.
 */
export const CASES: readonly BenchCase[] = [
  bareCase,
  bareHeaderCase,
  bareAsyncCase,
  ...memoryCases,
  ...redisCases,
];

/** The case with `id`, or an error naming the known ids. */
export function findCase(id: string): BenchCase {
  const found = CASES.find((c) => c.id === id);
  if (found === undefined) {
    throw new Error(`unknown bench case "${id}"; known: ${CASES.map((c) => c.id).join(', ')}`);
  }
  return found;
}
