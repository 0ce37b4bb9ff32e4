// docs/server.md, rememberMe `findUser`: "`null` (or anything not an object, such as
// `undefined` or `false`) means the account is disabled or gone". A `Map#get` lookup, which
// returns `undefined`, must type-check (checked by `npm run check`).
import { expect, it } from 'vitest';
import { memoryStore } from '../store/index.js';
import { rememberMe } from './index.js';

const users = new Map<string, { name: string }>([['ada', { name: 'Ada' }]]);

it('findUser may return undefined for a gone account', () => {
  // Fails `tsc --noEmit` today: 'undefined' is not assignable to '... | null'.
  const remember = rememberMe({ store: memoryStore(), findUser: (id) => users.get(id) });
  expect(typeof remember.issue).toBe('function');
});
