import { passive, problemResponse } from '@lifeline/server';
import type { Context, ErrorHandler, Handler, MiddlewareHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/**
 * The catch-all for a route's other methods: 405 `invalid_request` with `Allow`, as the
 * session routes answer. Passive, so a wrong method never extends anyone's session.
 *
 * @example
 * app.post('/login', login).all('/login', ...onlyMethods('POST'));
 */
export function onlyMethods(...allowed: string[]): [MiddlewareHandler, Handler] {
  // Hono answers HEAD with the GET route.
  const allow = allowed.includes('GET') ? [...allowed, 'HEAD'] : allowed;
  const refuse = (c: Context) =>
    problemResponse('invalid_request', {
      status: 405,
      detail: `${c.req.method.slice(0, 16)} is not allowed here; use ${allowed.join(' or ')}`,
      headers: { Allow: allow.join(', ') },
    });
  return [passive(), refuse];
}

/** An unknown path: 404 `invalid_request`, like the API's other answers, not Hono's text. */
export const notFound: NotFoundHandler = () =>
  problemResponse('invalid_request', { status: 404, detail: 'no such route' });

/**
 * A route's own refusal (an `HTTPException` under 500, as Hono's auth middleware throw) keeps
 * its status and message as `invalid_request`. Anything a handler did not expect: 500
 * `internal_error`, logged here with its stack and never sent, since a message can hold
 * paths, queries or secrets. Lifeline's refusals (`getResponse()`) answer for themselves.
 */
export const internalError: ErrorHandler = (error, c) => {
  if (error instanceof HTTPException) {
    if (error.status < 500) {
      return problemResponse('invalid_request', {
        status: error.status,
        ...(error.message && { detail: error.message }),
      });
    }
  } else if ('getResponse' in error && typeof error.getResponse === 'function') {
    // Lifeline's own refusals carry their answer (a store outage's 503 met by a cookie-less
    // re-auth): expected, so nothing to log, one stack per request all through an outage.
    return error.getResponse() as Response;
  }
  console.error(`${c.req.method} ${c.req.path} failed:`, error);
  return problemResponse('internal_error');
};
