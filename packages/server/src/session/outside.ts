import type { Context } from 'hono';
import type { Runtime } from './runtime.js';
import type { Session } from './types.js';

/**
 * `c.var.session` on a route marked outside the session (`GET /client.js`): a visitor
 * without a cookie (`state: 'none'`, reason `missing`), built without a store read. The
 * answer is the same for everyone, so nothing here depends on the request's cookies, and
 * nothing may add a cookie, a `Session-Deadline` or a store write to it: a write attempt
 * throws, naming the route. Reads, `delete()`, `extend()` and `markPassive()` change
 * nothing on a session that does not exist, as on any request without one.
 */
class OutsideSession implements Session {
  readonly #route: string;
  readonly now: number;
  readonly idleTimeoutMs: number;

  constructor(rt: Runtime, c: Context) {
    this.#route = `${c.req.method} ${c.req.path}`;
    this.now = rt.options.now();
    this.idleTimeoutMs = rt.options.idleTimeout;
  }

  get state(): 'none' {
    return 'none';
  }
  get reason(): 'missing' {
    return 'missing';
  }
  get renewed(): false {
    return false;
  }
  get switched(): false {
    return false;
  }
  get id(): null {
    return null;
  }
  get userId(): null {
    return null;
  }
  get user(): null {
    return null;
  }
  get createdAt(): null {
    return null;
  }
  get authenticatedAt(): null {
    return null;
  }
  get deadlines(): null {
    return null;
  }
  get canReauth(): false {
    return false;
  }

  get(): undefined {
    return undefined;
  }
  set(): never {
    throw this.#refusal('set()');
  }
  delete(): void {}
  async regenerate(): Promise<never> {
    throw this.#refusal('regenerate()');
  }
  async destroy(): Promise<never> {
    throw this.#refusal('destroy()');
  }
  extend(): void {}
  markPassive(): void {}
  linkCredential(): never {
    throw this.#refusal('linkCredential()');
  }
  async reauthenticate(): Promise<never> {
    throw this.#refusal('reauthenticate()');
  }

  #refusal(method: string): Error {
    return new Error(
      `lifeline: session.${method} on ${this.#route}, which is outside the session (the same answer for everyone): it cannot set a cookie or write the store there`,
    );
  }
}

/** Builds `c.var.session` for a request `session()` leaves alone (see {@link OutsideSession}). */
export function createOutsideSession(rt: Runtime, c: Context): Session {
  return new OutsideSession(rt, c);
}
