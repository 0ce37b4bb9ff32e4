import type { SessionRecord } from '../store/types.js';
import { generateToken } from '../token/token.js';
import { endRecord } from './end-record.js';
import { type ClientFacts, emitFor, type Runtime } from './runtime.js';
import { createRecord, currentData, freshMeta, type RequestState } from './state.js';
import type { RegenerateOptions } from './types.js';

/** `regenerate({ userId })` met `maxSessionsPerUser` with `onSessionLimit: 'refuse'`. */
export class SessionLimitError extends Error {
  override name = 'SessionLimitError';
  constructor(
    readonly userId: string,
    readonly limit: number,
  ) {
    super(`user already has ${limit} live sessions`);
  }
}

/**
 * Login, re-auth or privilege change: stores the data under a wholly new token, then ends
 * the old record at once (no grace window: the pre-login ID must die). The deadlines
 * restart: the new session is a new authentication. The device's remember-me credential
 * moves to the new session: `credentialId` (a re-auth's), else one linked in this request,
 * else the old session's unless the user changes.
 */
export async function regenerate(
  rt: Runtime,
  state: RequestState,
  client: ClientFacts,
  options: RegenerateOptions = {},
  credentialId?: string,
): Promise<void> {
  const { now } = state;
  const old = state.live;
  // Signing in as someone else starts clean: the previous user's claims and data stay
  // behind (only what this request itself wrote comes along).
  const switching =
    options.userId !== undefined && old?.meta.userId != null && options.userId !== old.meta.userId;
  const previous = switching ? null : old;
  const userId = options.userId !== undefined ? options.userId : (old?.meta.userId ?? null);
  const user = options.user !== undefined ? options.user : (previous?.meta.user ?? null);
  const authenticated =
    options.authenticated ?? (options.userId !== undefined && options.userId !== null);
  const data = switching ? Object.fromEntries(state.set) : currentData(state);
  const carried = state.credential !== undefined ? state.credential : previous?.meta.credentialId;
  const credential = credentialId ?? carried ?? null;

  // Refuse before ending anything: a refused login must not also lose the visitor's session.
  const device = { sid: old?.sid ?? null, credential };
  if (userId !== null) await keepWithinLimit(rt, userId, now, device, null);
  // Create first, then end the old record: a store failure in between answers 503 and
  // leaves the visitor's current session alive rather than none at all.
  const created = await createRecord(
    rt,
    (tokenHash) => ({
      ...freshMeta(rt, now, {
        tokenHash,
        userId,
        user,
        authenticatedAt: authenticated ? now : (previous?.meta.authenticatedAt ?? null),
        ...client,
        credentialId: credential,
      }),
      data,
    }),
    generateToken,
  );
  // Parallel logins all pass the first look before any of them has created: look again.
  if (userId !== null) await keepWithinLimit(rt, userId, now, device, created.sid);
  if (old) {
    const ended = { reason: 'revoked', detail: 'regenerated', at: now } as const;
    await endRecord(rt, old.sid, old.meta, now, ended);
  }
  const { data: stored, ...meta } = created.record;
  Object.assign(state, {
    live: { sid: created.sid, token: created.token, meta, data: stored },
    reason: null,
    issue: created.token,
    fromGrace: false,
    pastGrace: false,
    cleared: false,
    fresh: true,
    credential: undefined,
  });
  state.set.clear();
  state.unset.clear();
  const previousSid = old?.sid ?? null;
  emitFor(rt, now, created.sid, userId, { type: 'created', previousSid });
  if (options.cause === 'reauth') {
    emitFor(rt, now, created.sid, userId, { type: 'reauthenticated', previousSid });
  }
}

/**
 * The login's device: the request's own session (which it replaces) and the remember-me
 * credential the new session links, if any. The device's other live sessions linking that
 * credential (parallel re-auths with one cookie) are the first to make room under the limit.
 */
interface Device {
  sid: string | null;
  credential: string | null;
}

/** The user's live sessions other than the one the login replaces, oldest first. */
async function liveSessions(rt: Runtime, userId: string, now: number, replacing: string | null) {
  const live = (await rt.store.listByUser(userId)).filter(
    ({ sid, record }) =>
      sid !== replacing &&
      !record.ended &&
      record.idleExpiresAt > now &&
      record.absoluteExpiresAt > now,
  );
  // Stable: sessions created in the same millisecond keep the store's listing order.
  return live.sort((a, b) => a.record.createdAt - b.record.createdAt);
}

/**
 * Holds `userId` to `maxSessionsPerUser`, counting the login under way: before it creates
 * (`own` null: the new session is still to come) and again after (`own`: its new sid).
 * Over the limit, `refuse` ends the login's own new session, if any, and throws;
 * `evict-oldest` ends the oldest others. Once every parallel login has finished, at most
 * `limit` remain (the last to look saw all of them); a race may refuse or evict one more
 * than a sequential run would, never keep one too many. The device's other sessions
 * linking the same credential go first, keeping the credential; then the rule applies.
 */
async function keepWithinLimit(
  rt: Runtime,
  userId: string,
  now: number,
  device: Device,
  own: string | null,
): Promise<void> {
  const limit = rt.options.maxSessionsPerUser;
  if (limit === null) return;
  const end = (sid: string, record: SessionRecord, detail: string) =>
    endRecord(rt, sid, record, now, { reason: 'revoked', detail, at: now });
  const live = await liveSessions(rt, userId, now, device.sid);
  let over = live.length + (own === null ? 1 : 0) - limit;
  if (over <= 0) return;
  // The device's other sessions sharing the credential make room first, and keep it: they
  // are the same browser's parallel re-auths, and it holds one session cookie at a time.
  const mine = live.find(({ sid }) => sid === own);
  const siblings = live.filter(
    ({ sid, record }) =>
      sid !== own && device.credential !== null && record.credentialId === device.credential,
  );
  for (const { sid, record } of siblings.slice(0, over)) {
    await end(sid, record, 'session-limit-replaced');
    over--;
  }
  if (over <= 0) return;
  if (rt.options.onSessionLimit === 'refuse') {
    // A refused login's own session never reached the browser: the device keeps its credential.
    if (mine) await end(mine.sid, mine.record, 'session-limit-refused');
    throw new SessionLimitError(userId, limit);
  }
  const others = live.filter((entry) => entry !== mine && !siblings.includes(entry));
  for (const { sid, record } of others.slice(0, over)) {
    await end(sid, record, 'session-limit');
  }
}
