import type { Context } from 'hono';
import { z } from 'zod';
import { problemResponse, renewedResponse } from '../problem/problem.js';
import { markPassiveRoute } from '../session/passive.js';
import { sessionStatus as statusBody } from '../session/status.js';
import type { SessionEnv } from '../session/types.js';
import { readJsonBody } from './body.js';

type Ctx = Context<SessionEnv>;

const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** These routes take no parameters: no body, or an empty JSON object. */
const emptyBody = z.object({}).strict();

/** `GET /status`: always passive, so polling it can never keep an idle session alive. */
export const getStatus = markPassiveRoute(function getStatus(c: Ctx): Response {
  c.var.session.markPassive();
  // Not "ended": the browser's renewed cookie is on its way (the client asks again).
  if (c.var.session.renewed) return renewedResponse();
  return c.json(statusBody(c.var.session), 200, NO_STORE);
});

/**
 * `POST /extend` (behind `requireSession()`): slides the idle deadline; the session caps it
 * at the absolute one.
 */
export async function postExtend(c: Ctx): Promise<Response> {
  const body = await readJsonBody(c, emptyBody, { optional: true });
  if (!body.ok) return body.response;
  c.var.session.extend();
  return c.json(statusBody(c.var.session), 200, NO_STORE);
}

/**
 * A logout may name the session it is meant for, by the absolute deadline its status gave
 * (a cookie names only whatever session the browser holds by the time it arrives).
 */
const logoutBody = z
  .object({ absoluteExpiresAt: z.number().int().nonnegative() })
  .partial()
  .strict();

/**
 * `POST /logout`: ends the session and forgets its remember-me credential. Idempotent: with
 * no session it still clears what the browser holds and answers the same. A logout meant
 * for another session (sent late, or again by another tab, after the person signed in
 * anew) leaves the live one alone and answers its status.
 */
export async function postLogout(c: Ctx): Promise<Response> {
  const body = await readJsonBody(c, logoutBody, { optional: true });
  if (!body.ok) return body.response;
  const { session } = c.var;
  // A cookie that names a live session other than the one meant is left alone. A cookie
  // just renewed (a privilege change, a re-auth) still ends what it was renewed into, named
  // or not: the logout left before the browser saw the renewal, and a sign-out is never
  // undone by a race (see docs/design-decisions.md).
  const meant = body.data.absoluteExpiresAt;
  const live = session.state === 'active' ? session.deadlines : null;
  if (meant !== undefined && live && live.absoluteExpiresAt !== meant) {
    // A sign-out that ends nothing is no activity of the live session's: no touch.
    session.markPassive();
    return c.json(statusBody(session), 200, NO_STORE);
  }
  await session.destroy('logged-out');
  return c.json(
    {
      state: 'none',
      reason: 'logged-out',
      now: session.now,
      idleTimeoutMs: session.idleTimeoutMs,
      // The credential was just forgotten, whatever the request carried.
      canReauth: false,
    },
    200,
    NO_STORE,
  );
}

/** `POST /reauth`: silent re-authentication; success is a brand-new session. */
export async function postReauth(c: Ctx): Promise<Response> {
  const body = await readJsonBody(c, emptyBody, { optional: true });
  if (!body.ok) return body.response;
  const { session } = c.var;
  if (!(await session.reauthenticate())) {
    return problemResponse('reauth_failed', { detail: 'no valid re-authentication credential' });
  }
  return c.json(statusBody(session), 200, NO_STORE);
}
