import type { Context } from 'hono';
import { z } from 'zod';
import { problemResponse } from '../problem/problem.js';
import { forgetCredentialIfGone, sessionsEndedHere } from '../session/handle.js';
import type { SessionEnv, SessionManager } from '../session/types.js';
import { readJsonBody } from './body.js';

type Ctx = Context<SessionEnv>;

// One object rather than a union of three: a union's failure names no field, and the
// 400's detail must say which one is wrong.
const revokeBody = z
  .strictObject({
    id: z.string().min(1).max(128).optional(),
    all: z.literal(true).optional(),
    others: z.literal(true).optional(),
  })
  .refine((b) => Object.keys(b).length === 1, 'send exactly one of `id`, `all` or `others`');

/**
 * The signed-in user's id (the route requires a session; it may still be anonymous). A
 * session without a user was never signed in to, as `requireSession({ fresh })` sees it:
 * `reauth_required`, not `session_required`, which the SDK reads as "no session" and
 * would end a live (e.g. shopping-cart) session in every tab for.
 */
function signedIn(c: Ctx): { userId: string } | { response: Response } {
  const { userId } = c.var.session;
  if (userId === null) {
    const detail = 'This needs a signed-in session.';
    return { response: problemResponse('reauth_required', { detail }) };
  }
  return { userId };
}

/**
 * `GET /sessions` (behind `requireSession()`): the user's live sessions ("your devices"),
 * the current one flagged.
 */
export function listSessions(manager: SessionManager) {
  return async function listSessionsHandler(c: Ctx): Promise<Response> {
    const who = signedIn(c);
    if ('response' in who) return who.response;
    const sessions = await manager.listForUser(who.userId, c.var.session.id);
    const body = sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastSeenAt: s.lastActiveAt,
      userAgent: s.userAgent,
      location: s.location,
      current: s.current,
    }));
    return c.json({ sessions: body }, 200, { 'Cache-Control': 'no-store' });
  };
}

type RevokeRequest = z.infer<typeof revokeBody>;
type Outcome = { revoked: number; currentEnded: boolean } | { response: Response };

async function revoke(c: Ctx, manager: SessionManager, userId: string, request: RevokeRequest) {
  const { session } = c.var;
  const current = session.id;
  if (request.id !== undefined) {
    const mine = await manager.listForUser(userId, current);
    if (!mine.some((s) => s.id === request.id)) {
      // Someone else's or an ended session: indistinguishable on purpose.
      return {
        response: problemResponse('invalid_request', { status: 404, detail: 'no such session' }),
      };
    }
    // Another session of this very browser (sharing its remember-me credential) ends, but
    // the caller's own stays: it asked to sign out something else.
    if (request.id === current) {
      await session.destroy('revoked');
      // This device's other sessions (parallel re-auths on its remember-me credential) go
      // too, as when another device names it.
      const siblings = await manager.revoke(current, 'user');
      return { revoked: sessionsEndedHere(session) + siblings, currentEnded: true };
    }
    const revoked = await manager.revoke(request.id, 'user', { exceptId: current });
    return { revoked, currentEnded: false };
  }
  // Also deletes the user's remember-me credentials: a thief's copy must not sign back in.
  const others = await manager.revokeUser(userId, { exceptId: current });
  if (request.others) return { revoked: others, currentEnded: false };
  await session.destroy('revoked');
  // Not counted when another request (an admin's revocation) ended it first.
  return { revoked: others + sessionsEndedHere(session), currentEnded: true };
}

/**
 * `POST /sessions/revoke` with `{ id }`, `{ all: true }` or `{ others: true }`, behind
 * `requireSession({ fresh })`: a stolen session must not be able to sign its owner out of
 * every other device without knowing the password. Answers `{ revoked, currentEnded }`.
 */
export function revokeSessions(manager: SessionManager) {
  return async function revokeSessionsHandler(c: Ctx): Promise<Response> {
    const who = signedIn(c);
    if ('response' in who) return who.response;
    const body = await readJsonBody(c, revokeBody);
    if (!body.ok) return body.response;
    const outcome: Outcome = await revoke(c, manager, who.userId, body.data);
    if ('response' in outcome) return outcome.response;
    // This device's credential may be among those deleted: its cookie must not outlive it.
    await forgetCredentialIfGone(c.var.session);
    return c.json(outcome, 200, { 'Cache-Control': 'no-store' });
  };
}
