import type { RememberMe, SessionEnv } from '@lifeline/server';
import { problemResponse, readJsonBody, sessionStatus } from '@lifeline/server';
import type { Context } from 'hono';
import { z } from 'zod';
import { safeReturnTo } from '../shared/return-to.js';
import { findUser, verifyPassword } from './users.js';

const credentials = {
  username: z.string().max(256),
  password: z.string().max(1024),
};
const jsonLogin = z.object({ ...credentials, remember: z.boolean().optional() }).strict();
// An unchecked checkbox is absent from the form; a checked one sends `on`.
// `returnTo` is checked by safeReturnTo() where it is used; here it only has to be text.
const formLogin = z
  .object({
    ...credentials,
    remember: z.literal('on').optional(),
    returnTo: z.string().max(4096).optional(),
  })
  .strict();

type Login = { username: string; password: string; remember: boolean };
type Parsed =
  | { ok: true; login: Login; form: boolean; returnTo?: string | null }
  | { ok: false; response: Response };

async function parseLogin(c: Context): Promise<Parsed> {
  const type = c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    let fields: unknown;
    try {
      fields = await c.req.parseBody();
    } catch {
      return { ok: false, response: problemResponse('invalid_request', { detail: 'bad form' }) };
    }
    const form = formLogin.safeParse(fields);
    if (!form.success) {
      const detail = 'expected username, password and an optional remember box';
      return { ok: false, response: problemResponse('invalid_request', { detail }) };
    }
    const { returnTo, ...login } = form.data;
    return {
      ok: true,
      form: true,
      login: { ...login, remember: login.remember === 'on' },
      returnTo: safeReturnTo(returnTo),
    };
  }
  const body = await readJsonBody(c, jsonLogin);
  if (!body.ok) return body;
  return { ok: true, form: false, login: { ...body.data, remember: body.data.remember ?? false } };
}

/**
 * `POST /login`: a form or JSON `{ username, password, remember? }`. Success regenerates the
 * session (a new ID, the old one dead) and, with `remember`, issues the credential that
 * `POST /session/reauth` accepts. JSON gets the status body, a form a 303 to its
 * `returnTo` field when that is a path on this origin, else to `/`. Wrong
 * credentials: 401 (`invalid_request` problem, or the page with a message for a form).
 *
 * @example
 * app.post('/login', csrfGuard({ allowForms: true }), login(remember, renderFailure));
 */
export function login(
  remember: RememberMe,
  formFailure: (c: Context<SessionEnv>, returnTo: string | null) => Response,
) {
  return async function loginHandler(c: Context<SessionEnv>): Promise<Response> {
    const parsed = await parseLogin(c);
    if (!parsed.ok) return parsed.response;
    const { username, password } = parsed.login;
    const userId = await verifyPassword(username, password);
    const user = userId === null ? null : findUser(userId);
    if (userId === null || user === null) {
      if (parsed.form) return formFailure(c, parsed.returnTo ?? null);
      const detail = 'wrong username or password';
      return problemResponse('invalid_request', { status: 401, detail });
    }
    await c.var.session.regenerate({ userId, user });
    // A sign-in without the box ticked must not leave an older credential behind.
    if (parsed.login.remember) await remember.issue(c, userId);
    else await remember.forget(c);
    if (parsed.form) return c.redirect(parsed.returnTo ?? '/', 303);
    return c.json(sessionStatus(c.var.session), 200);
  };
}
