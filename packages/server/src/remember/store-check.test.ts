import { describe, expect, it } from 'vitest';
import { session } from '../session/middleware.js';
import type { ReauthStrategy } from '../session/types.js';
import { memoryStore } from '../store/memory/index.js';
import type { SessionStore } from '../store/types.js';
import { reauthAfterRestart } from './reauth-app.fixture.js';
import { rememberMe } from './remember.js';

const findUser = (id: string) => ({ name: id });

/** A tracing wrapper, forwarding every method as docs/stores.md asks. */
const traced = (inner: SessionStore): SessionStore =>
  new Proxy(inner, {
    get(target, key) {
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

// rememberMe's `store` must be "the same store as the sessions", but session()'s `store`
// is optional (default: a memoryStore of its own). Left out, every re-authentication
// failed: the new session found its credential missing from the session store, revoked
// itself, and deleted the credential and its cookie, while /status said canReauth: true.
describe('rememberMe() with session() given no store', () => {
  it('is refused at start-up, naming the store', () => {
    const remember = rememberMe({ store: memoryStore(), findUser });
    expect(() => session({ reauth: remember })).toThrow(
      /option "store" must be given: the store passed to rememberMe\(\)/,
    );
  });

  it('is refused for a copy of the strategy too ({ ...remember })', () => {
    const remember = rememberMe({ store: memoryStore(), findUser });
    const adapted = { ...remember, canReauth: remember.canReauth };
    expect(() => session({ reauth: adapted })).toThrow(/option "store" must be given/);
  });
});

describe('rememberMe() with session() given a store', () => {
  it('re-authenticates with the same store', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser });
    expect((await reauthAfterRestart(remember, { store, reauth: remember })).status).toBe(200);
  });

  it('re-authenticates with a copy of the strategy', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser });
    const res = await reauthAfterRestart(remember, { store, reauth: { ...remember } });
    expect(res.status).toBe(200);
  });

  // docs/stores.md supports wrappers (metrics, tracing): the same records through another
  // object, so two stores given are not compared.
  it('re-authenticates with a wrapper of the same store', async () => {
    const store = memoryStore();
    const remember = rememberMe({ store, findUser });
    const res = await reauthAfterRestart(remember, { store: traced(store), reauth: remember });
    expect(res.status).toBe(200);
  });

  it("starts with an app's own strategy that has a `store` property of its own", () => {
    class PasskeyReauth implements ReauthStrategy {
      // The app's own credential table, not a SessionStore.
      readonly store = new Map<string, string>();
      canReauth = () => false;
      reauthenticate = async () => null;
    }
    expect(() => session({ store: memoryStore(), reauth: new PasskeyReauth() })).not.toThrow();
  });
});
