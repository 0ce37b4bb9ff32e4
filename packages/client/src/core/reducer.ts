import type { SessionEvent, SessionLimit, SessionTrigger } from '../types.js';
import type { EndReason } from '../wire.js';
import { liveDeadlines } from './parse.js';
import { nearestDeadline } from './state.js';
import type { Action, CoreState, Operation, Step, TabMessage } from './types.js';

/** A follower waits this long past a deadline for the leader's verdict before asking itself. */
const FOLLOWER_GRACE = 1500;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * How much a retry is owed, by operation: a logout outranks an extension, which outranks a
 * check (and a re-auth). An answer settles a retry of its own rank or lower; a failure never
 * replaces one of a higher rank. A successful `/status` says nothing of a logout or
 * extension still to be sent.
 */
const rank = (op?: string) => ['extend', 'logout'].indexOf(op!);
/** When a request was sent, and its answer received. */
type RoundTrip = { sentAt: number; receivedAt: number };
/** Who acted, for events. */
type Origin = Pick<SessionEvent, 'tabId' | 'local' | 'trigger'>;
/** Event fields other than the ones every event carries. */
type Details<E = SessionEvent> = E extends SessionEvent ? Omit<E, keyof Origin> : never;
/** A cross-tab message without the fields every message carries (the step's trigger is its). */
type Body = TabMessage extends infer M
  ? M extends TabMessage
    ? Omit<M, 'v' | 'from' | 'trigger'>
    : never
  : never;

/**
 * The pure core: `(state, action, now) -> step`. No DOM, no timers, no network; the shell
 * does what the step says and feeds the results back as actions. The state
 * passed in is never changed: the step's helpers below change a private copy in place.
 */
export const reduce = (state: CoreState, action: Action, now: number): Step => {
  const s: Mutable<CoreState> = { ...state };
  // Another tab's news (a message, which says `from` whom) is the action it reduced, replayed
  // here: the shell has moved its times onto this tab's clock, so they mean the same here. It
  // differs only in whose it is: nothing in flight here is answered, and nothing is passed on.
  const news = 'from' in action ? action : null;
  const events: SessionEvent[] = [];
  let message: TabMessage | undefined;
  let started: Operation | undefined;
  const { tabId } = s.config;
  // At most half the server's idle timeout (learned, so no option check can catch it): a
  // warning as long as the timeout is up from the start, and activity then never extends.
  // Read when used: the answer this step handles may be the first to tell the timeout.
  const warnBefore = () => Math.min(s.config.warnBefore, s.idleTimeout / 2);
  // A tick's, or another tab's news's; the others set theirs below.
  let trigger: SessionTrigger = 'trigger' in action ? action.trigger : 'status';

  /**
   * Adds an event. One about the session comes from the tab that found out; this tab's own
   * (`own`: its warning, the one such event another tab's news can bring) is this tab's.
   */
  const emit = (event: Details, own?: boolean) => {
    const local = own || !news;
    events.push({ ...event, tabId: local ? tabId : news.from, local, trigger } as SessionEvent);
  };
  const post = (body: Body) => {
    if (!news) message = { v: 2, from: tabId, trigger, ...body } as TabMessage;
  };
  /** Starts a request; an extension is dated when it is sent (the user or keepalive set `extendBy`). */
  const request = (op: Operation) => {
    started = s.calling = op;
    if (s.retry?.op === op) s.retry = null;
    if (op === 'extend') s.extendAt = now;
  };

  /**
   * Time between keepalive extensions: the configured interval, capped so an active
   * user's extension always lands before the idle warning.
   */
  const spacing = () =>
    Math.min(s.config.keepaliveInterval, Math.max(1000, (s.idleTimeout - warnBefore()) / 2));

  /**
   * Takes a clock sample from one round trip: the server stamped `serverNow` somewhere
   * between send and receive, so the midpoint is the best guess, off by at most half the
   * round trip. Keeps the more precise estimate, unless the kept one has grown stale or the
   * new one contradicts it (two honest samples differ by at most the sum of their half
   * round trips: a bigger gap means a clock was stepped and the old estimate is wrong).
   */
  const sample = (serverNow: number, { sentAt, receivedAt }: RoundTrip) => {
    // A heard pair the shell could not place on this tab's clock has a NaN `receivedAt`: it
    // fails every comparison below, so it gives no sample.
    const rtt = Math.max(0, receivedAt - sentAt);
    const offset = serverNow - (sentAt + rtt / 2);
    if (
      rtt <= s.rtt ||
      // After ten minutes a sample is replaced even by a noisier one: clocks drift and get
      // corrected.
      receivedAt - s.sampleAt > 600_000 ||
      Math.abs(offset - s.offset) > (rtt + s.rtt) / 2 + 1
    ) {
      s.offset = offset;
      s.rtt = rtt;
      s.sampleAt = receivedAt;
    }
  };

  /**
   * Ends the session view: `logged-out` (and `missing` before anything was live) is a
   * sign-out, anything else an expiry. Emits once, and tells the other tabs when this tab
   * found out, as the answer to a request sent at `sentAt`.
   */
  const end = (reason: EndReason, sentAt: number) => {
    // No cookie while no session is live: never signed in, or signed out.
    const noneLive = reason === 'missing' && s.phase !== 'active';
    const next = reason === 'logged-out' || noneLive ? 'signed-out' : 'expired';
    // Nothing new, nor a missing cookie after an ending (the logout cleared it): the
    // reason the session ended stays, and with it the guards that hang on a sign-out.
    if ((s.phase === next && s.reason === reason) || (noneLive && s.reason)) return;
    if (next === 'expired') {
      // `idle-timeout` and `absolute-timeout` name their limit; the other reasons none.
      const [limit, timeout] = reason.split('-');
      emit({ type: 'expired', reason, limit: timeout ? (limit as SessionLimit) : null });
    } else if (s.phase !== 'unknown' || reason === 'logged-out') {
      emit({ type: 'signed-out', reason });
    }
    // Found by this tab alone (it could not reach the server past its deadline) stays its
    // own: another tab may know of an extension this one missed (back from the
    // back/forward cache, say) and would be signed out while the person works there. Each
    // tab reaches a real expiry through its own deadline.
    if (trigger !== 'local') post({ type: 'answer', op: 'status', reason, sentAt });
    // The session signed out of, so that no later news of it (its logout may not have
    // reached the server yet) shows it live again; a logout forgets the remember-me
    // credential too (every tab hears of it here, not from the logout's answer).
    if (reason === 'logged-out') {
      s.loggedOut = s.deadlines?.absolute ?? s.loggedOut;
      s.canReauth = false;
    }
    s.phase = next;
    s.reason = reason;
    // The person signed in is no longer: an app must not greet them on a signed-out page.
    s.user = null;
    s.deadlines = null;
    s.warning = null;
    // From when the request that found it was sent: news sent after it (a sign-in on its
    // way when a slow "no session" answer came) is of a later session, not a late answer.
    s.endedAt = sentAt;
    if (s.retry?.op !== 'logout') s.retry = null;
  };

  /**
   * Takes the deadlines of an answer or a header (of this tab's request, or another's) when
   * they are news: the first ones, a later idle deadline of the same session (it only moves
   * forward, so a slow older answer cannot pull it back), or a different session's from a
   * request sent after the one that brought the current ones (a re-auth's session is the
   * newest whenever its request was sent). Emits `extended` and `reauthenticated` as they
   * apply, and tells the other tabs what was news. `op` is the route answered (none for a
   * header).
   */
  const adopt = (
    idle: number,
    absolute: number,
    sentAt: number,
    op?: Operation | 'reauth' | 'fetch',
  ) => {
    const extended = op === 'extend';
    const reauth = op === 'reauth';
    if (absolute === s.loggedOut) {
      // The session signed out of is alive for a request sent since: its logout never
      // landed, and the tab that owed the retry may be gone. This tab, or the leader on
      // hearing of it, sends it again (unless one is on its way or waiting for its backoff);
      // it names that session, so it cannot end another.
      if (
        sentAt > s.endedAt &&
        (s.isLeader || !news) &&
        s.retry?.op !== 'logout' &&
        s.calling !== 'logout'
      ) {
        s.logoutOf = absolute;
        s.retry = { op: 'logout', at: now };
      }
      return false;
    }
    // A late answer about the session that already ended here must not revive it, nor may a
    // re-auth begun before a sign-out: its new session is signed out of too. This tab's
    // knows the sign-out it followed, if any, when it began (an app's re-auth function runs
    // before the check that answers); another tab's counts from when it was sent (one sent
    // in the sign-out's own millisecond counts as before it: the sign-out wins).
    if (
      reauth
        ? s.reason === 'logged-out' &&
          (news ? sentAt <= s.endedAt : s.endedAt !== (action as { seen?: number | false }).seen)
        : sentAt < s.endedAt
    ) {
      if (reauth && !news) {
        s.loggedOut = s.logoutOf = absolute;
        request('logout');
      }
      return false;
    }
    // No deadlines yet (or since an ending, which answers older than it never get past) count
    // as another session's, and are taken whenever they were sent: the last ones may have
    // come from a tab whose clock reads ahead (an app's own clock, or another version's tab
    // opened before the computer's clock was set back), dated after anything this tab sends
    // for a while.
    const other = s.deadlines?.absolute !== absolute;
    const changed = other
      ? reauth || !s.deadlines || sentAt >= s.dlSentAt
      : idle > s.deadlines!.idle;
    if (changed) {
      if (other) {
        // A "no session" answer to a request sent before this tab learned of these deadlines
        // may be about an older cookie: the first ones too, which may be a sign-in while the
        // page's first /status was on its way. This tab's own /status speaks for the cookie
        // it carried, which later requests carry too.
        s.learnedAt = news || op !== 'status' ? now : sentAt;
        // A different absolute deadline (or the first since an ending) is a new session from
        // now on (so is a re-auth, below), and a sign-out still being retried was for an
        // older one. The first deadlines a tab learns are its first session, not a new one.
        if (s.phase !== 'unknown') {
          s.sessionAt = now;
          if (s.retry?.op === 'logout') s.retry = null;
        }
        // Its own answers in the sign-out's millisecond are this session's from now on.
        s.voided = null;
      }
      s.deadlines = { idle, absolute };
      s.dlSentAt = sentAt;
    }
    if (changed || s.phase !== 'active' || extended || reauth) {
      post(action as Body);
    }
    s.phase = 'active';
    const idleAt = s.deadlines!.idle - s.offset;
    // The server slid the idle deadline when it set it: that counts as the last extension.
    // Never dated later than the request was sent: the offset estimate can err by half a
    // round trip, and activity after the send must not pass for covered when it may not be.
    s.extendAt = Math.max(s.extendAt, extended ? sentAt : Math.min(sentAt, idleAt - s.idleTimeout));
    if (extended) emit({ type: 'extended', idleExpiresAt: idleAt });
    // Another tab's extension covers this one's activity: an extension it still owes for
    // that activity (failed offline) would be a second for the browser.
    if (
      news &&
      extended &&
      s.retry?.op === 'extend' &&
      s.extendBy === 'activity' &&
      sentAt >= s.activeAt
    ) {
      s.retry = null;
    }
    if (reauth) {
      emit({ type: 'reauthenticated' });
      s.reason = null;
      s.sessionAt = now;
    }
    return true;
  };

  // A tick has no case: settling (below) is all it does.
  switch (action.type) {
    case 'answer': {
      const { op, sentAt } = action;
      if (!news && s.calling === op) s.calling = null;
      let reason: EndReason;
      if ('status' in action) {
        if (!news) {
          s.fails = 0;
          if (rank(s.retry?.op) <= rank(op)) s.retry = null;
        }
        // A logout answer says nothing about clocks or deadlines: the session is already over
        // here. One that ended the session it named is news for a tab opened on that session
        // since the sign-out; only a tab showing that very session takes it.
        if (action.op === 'logout') {
          const absolute = s.logoutOf;
          if (action.status?.state === 'none' && absolute) {
            post({ type: 'answer', op: 'status', reason: 'logged-out', sentAt, absolute });
          }
          break;
        }
        const { status } = action;
        sample(status.now, action);
        s.pollAt = now + s.config.pollInterval;
        // A check or extension sent before a sign-out speaks for the session signed out of,
        // and so does this tab's own that was on its way when it signed out, in the same
        // millisecond (the page's first check, then `logout()` at once): the sign-out wins,
        // with no other ending taken from it (every request of that kind still on its way: a
        // `refresh()` may have sent a second). One sent after it in its millisecond may be a
        // sign-in's: once a new session is learned (by a header, or another tab), the kind is
        // no longer voided. (A re-auth's answer has rules of its own, in `adopt`.)
        if (
          op !== 'reauth' &&
          s.reason === 'logged-out' &&
          (sentAt < s.endedAt || (!news && sentAt === s.endedAt && op === s.voided))
        ) {
          break;
        }
        // None (0) is as good as an endless one.
        s.idleTimeout = status.idleTimeoutMs || Number.POSITIVE_INFINITY;
        if (status.state === 'active') {
          // No shorter than the time the server just gave: an `idleTimeoutMs` in seconds
          // (600 for ten minutes) left a warning of 0.3 s and an extension every second.
          s.idleTimeout = Math.max(s.idleTimeout, status.idleExpiresAt - status.now);
          // An extension of ours was asked for by the user or the keepalive.
          if (!news && op === 'extend') trigger = s.extendBy;
          // An extend answer that gets this far confirms the extension that was asked for: one
          // is in flight at a time, and one sent before an ending is stale. Its user and
          // re-auth offer come only with its deadlines: an answer about a session signed out
          // of (here or in another tab) brings back neither.
          if (adopt(status.idleExpiresAt, status.absoluteExpiresAt, sentAt, op)) {
            s.user = status.user;
            s.canReauth = status.canReauth;
          }
          break;
        }
        s.canReauth = status.canReauth;
        reason = status.reason;
      } else if ('reason' in action) {
        if (!news) trigger = 'response';
        else if ('absolute' in action && action.absolute !== s.deadlines?.absolute) break;
        reason = action.reason;
      } else {
        s.fails++;
        const deadline = nearestDeadline(s);
        // Cannot confirm and the deadline has passed even allowing for clock uncertainty: the
        // server has ended the session unless a tab we cannot hear extended it. Show it ended.
        const ended = deadline && now >= deadline.at + s.rtt / 2;
        // A signed-out tab retries nothing but a logout (see the settling below).
        const willRetry = !ended && (op === 'logout' || s.phase !== 'signed-out');
        emit({ type: 'error', operation: op, error: action.error, willRetry });
        if (ended) {
          trigger = 'local';
          end(`${deadline.limit}-timeout`, sentAt);
        } else {
          if (op === 'extend') s.extendAt = Math.min(s.extendAt, s.activeAt - 1);
          // Backoff: 1 s, doubling to at most a minute.
          if (rank(s.retry?.op) <= rank(op))
            s.retry = { op: op as Operation, at: now + Math.min(500 * 2 ** s.fails, 60_000) };
        }
        break;
      }
      // "No session" ends it unless the request is older than the last ending, or carried the
      // cookie a re-auth or sign-in replaced (a late answer must not end what came after it).
      if (sentAt >= s.endedAt && sentAt >= s.sessionAt && sentAt >= s.learnedAt)
        end(reason, sentAt);
      break;
    }
    case 'header':
      trigger = 'response';
      if (liveDeadlines(action.now, action.idle, action.absolute)) {
        sample(action.now, action);
        adopt(action.idle, action.absolute, action.sentAt);
      }
      break;
    case 'activity':
      trigger = 'activity';
      // Activity while the idle warning shows does not count: the user confirms by choosing to stay.
      if (s.phase === 'active' && s.warning !== 'idle') {
        // Another tab's counts from when it happened, never later: a frozen tab hears it late.
        s.activeAt = news ? Math.max(s.activeAt, Math.min(now, news.sentAt)) : now;
        // Another follower told of it: the later of its tellings, for who extends first.
        if (news) s.heardAt = Math.max(s.heardAt, news.sentAt);
        // Told the leader already, and no extension since: stay quiet, but only for one
        // keepalive spacing, so activity the leader missed (a message lost in a race) is
        // said again in time.
        if (!news && !s.isLeader && !(s.toldAt > s.extendAt && now - s.toldAt < spacing())) {
          post({ type: 'activity', sentAt: now });
          s.toldAt = now;
        }
      }
      break;
    case 'status':
      // A re-check asked for (a resume, a restore from the back/forward cache, `online`):
      // marked as calling, so no warning starts on what this tab knew before it. A request
      // still owed (a "Stay signed in" or a sign-out that failed offline) goes now instead,
      // not after its backoff, which may fall past the deadline; its answer tells as much.
      // A follower's extension for activity waits a round trip for the leader's, which
      // covers it (every tab hears `online` at once), but no longer: the leader may be frozen.
      if (s.retry) {
        const { op, at } = s.retry;
        const wait = !s.isLeader && s.extendBy === 'activity' && op === 'extend';
        s.retry = {
          op,
          at: wait ? Math.min(at, now + FOLLOWER_GRACE + s.config.requestTimeout) : now,
        };
      } else request('status');
      break;
    case 'extend':
      trigger = 'user';
      if (s.phase === 'active' && s.calling !== 'extend') {
        request('extend');
        s.activeAt = now;
        s.extendBy = 'user';
      }
      break;
    case 'logout':
      trigger = 'user';
      // The session shown (none known: whatever session the cookie names).
      s.logoutOf = s.deadlines?.absolute;
      // A second sign-out (a double click) keeps the first one's voided request.
      if (s.phase !== 'signed-out') s.voided = s.calling;
      request('logout');
      end('logged-out', now);
      break;
    case 'reauth-failed':
      post(action);
      break;
    case 'leadership': {
      const { isLeader } = action;
      if (isLeader !== s.isLeader) {
        emit({ type: 'leadership', isLeader });
        s.isLeader = isLeader;
        // A new leader confirms the state at once rather than trusting what it heard.
        if (isLeader) s.pollAt = now;
      }
      break;
    }
  }

  // Settle: bring the state up to `now` (warning, keepalive, polls, retries, deadline
  // checks) and arm exactly one timer for the next instant that matters.
  const wake: number[] = [];
  // Starts `op` when `at` has come, else wakes up for it.
  const due = (at: number, op: Operation) => (now >= at ? request(op) : wake.push(at));
  const waiting = s.retry;
  // A signed-out tab retries only its logout.
  if (waiting && !s.calling && (waiting.op === 'logout' || s.phase !== 'signed-out')) {
    due(waiting.at, waiting.op);
  }
  // Nothing in flight, and no retry waiting: a check or an extension may start.
  const free = !s.calling && !s.retry;
  if (s.phase === 'unknown' && free) due(s.pollAt, 'status');
  const deadline = nearestDeadline(s);
  // Without deadlines there is nothing to do: the ending that cleared them cleared the warning.
  if (deadline) {
    const { at, limit } = deadline;
    if (now >= at) {
      // Past the deadline: never enter the warning now; confirm with the server before
      // declaring expiry (another tab may have extended without us hearing of it). A
      // follower gives the leader its grace from when it found the deadline passed, not
      // from the deadline: after a sleep every tab wakes long past it at once.
      if (s.pastAt < at) s.pastAt = now;
      if (free) due(s.isLeader ? at : s.pastAt + FOLLOWER_GRACE, 'status');
    } else {
      const warnAt = at - warnBefore();
      const want = now >= warnAt ? limit : null;
      // Nothing is in flight, so whatever extension comes next is for activity. The leader
      // keeps alive what activity it knows of, before the warning. A follower that told the
      // leader of activity not yet extended for (`owed`) waits for the leader's extension as
      // long as a request may take (a live leader's may be slow), but no later than halfway
      // through the warning window: past that the leader is frozen or throttled, and the
      // follower extends itself rather than let the person be signed out.
      // Activity not yet extended for, that this follower told of (owed) or heard of.
      const heard = !s.isLeader && limit === 'idle' && s.activeAt > s.extendAt;
      const owed = heard && s.toldAt > s.extendAt;
      // Of several followers owed an extension (under a frozen leader), the one told of
      // last goes first; the others wait a round trip for its answer, so the browser sends one.
      // Counted from when it was told: this follower's own telling for its extension (a later
      // one elsewhere must not delay it), the later of that and another's for how long it
      // holds its warning back (a tab that heard of it waits as long as the teller does).
      const waitFrom = (toldAt: number) =>
        Math.max(
          warnAt,
          Math.min(toldAt + FOLLOWER_GRACE + s.config.requestTimeout, at - warnBefore() / 2),
        );
      const fallbackAt = waitFrom(s.toldAt) + (s.heardAt > s.toldAt ? FOLLOWER_GRACE : 0);
      // The leader's own activity from before the window, not yet extended for, still is
      // (a computer that slept before the keepalive wakes inside the window): no follower
      // knows of it. When a follower's came last, that follower extends, as under a frozen
      // leader. (A follower whose activity came first extends too, if it is still there:
      // the leader cannot tell, and a second extension is better than a lost one.)
      const own =
        s.activeAt > s.extendAt && (!want || (s.activeAt < warnAt && s.activeAt > s.heardAt));
      if (free && limit === 'idle' && (s.isLeader ? own : owed)) {
        s.extendBy = 'activity';
        due(s.isLeader ? s.extendAt + spacing() : fallbackAt, 'extend');
      }
      // Not into the warning while an extension or a check is on its way (here, or another
      // tab's for activity this one told or heard of): its answer decides. Another tab's is
      // waited for a round trip at most (its tab may be gone), and never so long that less
      // than the 20 s a person needs to react would be left.
      const holdUntil = Math.min(
        Math.max(fallbackAt, waitFrom(s.heardAt)) + FOLLOWER_GRACE,
        at - 20_000,
      );
      const hold = s.calling || (heard && now < holdUntil);
      if (want !== s.warning && !(want && !s.warning && hold)) {
        emit(want ? { type: 'warning', limit, expiresAt: at } : { type: 'warning-cleared' }, true);
        s.warning = want;
      }
      wake.push(want ? (s.warning || now >= holdUntil ? at : holdUntil) : warnAt);
      // The leader polls unless a request started above.
      if (s.isLeader && free && !s.calling) due(s.pollAt, 'status');
    }
  }
  const wakeAt = wake.length ? Math.min(...wake) : null;
  return { state: s, request: started, post: message, events, wakeAt };
};
