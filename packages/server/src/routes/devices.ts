import type { Context } from 'hono';
import { z } from 'zod';
import { problemResponse } from '../problem/problem.js';
import type { SessionEnv, SessionManager } from '../session/types.js';
import { readJsonBody } from './body.js';

type Ctx = Context<SessionEnv>;

const revokeBody = z.union([
  z.object({ id: z.string().min(1).max(128) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
  z.object({ others: z.literal(true) }).strict(),
]);

/** The signed-in user's id (the route requires a session; it may still be anonymous). */
function signedIn(c: Ctx): { userId: string } | { response: Response } {
  const { userId } = c.var.session;
  if (userId === null) return { response: problemResponse('session_required') };
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
      current: s.current,
    }));
    return c.json({ sessions: body }, 200, { 'Cache-Control': 'no-store' });
  };
}

/**
 * `POST /sessions/revoke` with `{ id }`, `{ all: true }` or `{ others: true }`, behind
 * `requireSession({ fresh })`: a stolen session must not be able to sign its owner out of
 * every other device without knowing the password.
 */
export function revokeSessions(manager: SessionManager) {
  return async function revokeSessionsHandler(c: Ctx): Promise<Response> {
    const who = signedIn(c);
    if ('response' in who) return who.response;
    const body = await readJsonBody(c, revokeBody);
    if (!body.ok) return body.response;
    const { session } = c.var;
    const current = session.id;
    const request = body.data;
    let revoked: number;
    let endedCurrent = false;
    if ('id' in request) {
      const mine = await manager.listForUser(who.userId, current);
      if (!mine.some((s) => s.id === request.id)) {
        // Someone else's or an ended session: indistinguishable on purpose.
        return problemResponse('invalid_request', { status: 404, detail: 'no such session' });
      }
      endedCurrent = request.id === current;
      if (endedCurrent) await session.destroy('revoked');
      else await manager.revoke(request.id, 'user');
      revoked = 1;
    } else {
      revoked = await manager.revokeUser(who.userId, { exceptId: current });
      if ('all' in request) {
        await session.destroy('revoked');
        endedCurrent = true;
        revoked += 1;
      }
    }
    const headers = { 'Cache-Control': 'no-store' };
    return c.json({ revoked, currentEnded: endedCurrent }, 200, headers);
  };
}
