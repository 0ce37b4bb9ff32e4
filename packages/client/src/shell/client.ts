import {
  liveDeadlines,
  parseStatus,
  parseTabMessage,
  sessionProblemReason,
} from '../core/parse.js';
import { reduce } from '../core/reducer.js';
import { initialState, toSnapshot } from '../core/state.js';
import type { Action, CoreState, Operation, TabMessage } from '../core/types.js';
import { SessionExpiredError } from '../errors.js';
import type {
  ChannelFactory,
  EventSource,
  LockManagerLike,
  SessionClient,
  SessionClientOptions,
  SessionEvent,
  TabChannel,
} from '../types.js';
import {
  CSRF_HEADER,
  DEADLINE_HEADER,
  PASSIVE_HEADER,
  parseDeadlineHeader,
  type SessionStatus,
} from '../wire.js';
import { resolveOptions } from './options.js';

// Browsers run a longer delay at once (32-bit overflow); re-arming on wake covers the rest.
const MAX_DELAY = 2 ** 31 - 1;

type Listener = (event?: SessionEvent) => void;

/**
 * A signal that aborts after `ms`, and what to call once the wait is over: where
 * `AbortSignal.timeout` is missing (Safari before 16, Chrome before 103) a timer stands
 * in, else a re-auth function that never settles would hold every call that needs it for
 * good; that timer is cleared then, so none outlives the call (or `destroy()`). A whole
 * number within a timer's range: Node throws for any other, where browsers round it.
 */
const timeout = (ms: number): [AbortSignal, () => void] => {
  ms = Math.min(MAX_DELAY, Math.round(ms));
  const native = AbortSignal.timeout?.(ms);
  const controller = new AbortController();
  const timer = native ? 0 : setTimeout(() => controller.abort(), ms);
  return [native ?? controller.signal, () => clearTimeout(timer)];
};

/**
 * Reads a JSON body; `undefined` when it is not JSON. The content type is not consulted:
 * every body is checked field by field before use.
 */
const readJson = (res: Response): Promise<unknown> => res.json().catch(() => {});

/**
 * The session problem a 401 names, if it is one: only a problem document counts, since
 * another layer of the same origin (a gateway, a legacy API) may answer JSON with a `code`
 * of its own, which says nothing of this session.
 */
const sessionProblem = (res: Response, body: unknown) =>
  res.status === 401 &&
  /^application\/problem\+json/i.test(res.headers.get('content-type') ?? '') &&
  sessionProblemReason(body);

/**
 * The composition root: wires the pure core to timers, DOM listeners, the network and the
 * cross-tab channel. Without a `channel` option, or when the channel cannot be opened (a
 * browser without `BroadcastChannel`), the tab runs alone.
 */
export const createClientCore = (options: SessionClientOptions = {}): SessionClient => {
  const o = resolveOptions(options);
  // Whole milliseconds, as the other tabs' messages must carry: the default clock (and an
  // app's own) can read fractions, and a tab rejects a message timed in them.
  const now = () => Math.floor(o.now());
  /**
   * `message` with its own times (the server's stay) moved by `sign` × this tab's lead over
   * the wall clock: tabs post their times in the wall clock, as their default clocks need
   * not agree (one opened before the computer's clock was set back reads ahead of one opened
   * after, by the step: see ./clock.ts). An app's own clock is taken as the tabs' shared one.
   * A `receivedAt` of 0 (1970) is taken for none.
   */
  const retimed = (message: TabMessage, sign: number) => {
    const { sentAt, receivedAt } = message as { sentAt: number; receivedAt?: number };
    const mine = now();
    const by = options.now ? 0 : sign * (mine - Date.now());
    // A time heard is never in this tab's future: one would refuse every answer until then
    // (an ending dated ahead blocked the next sign-in and the keepalive). It comes from a tab
    // whose clock reads ahead (an earlier version's, an app's own) or a step while it waited.
    const at = (t: number) => (sign > 0 ? Math.min(t + by, mine) : t + by);
    return {
      ...message,
      sentAt: at(sentAt),
      // A capped pair is no round trip on this clock: its server time may be long past (a
      // message that waited across a step). No clock sample from it (NaN: `sample` skips it).
      ...(receivedAt && {
        receivedAt: sign > 0 && receivedAt + by > mine ? Number.NaN : at(receivedAt),
      }),
    };
  };
  let state: CoreState = initialState(o);
  let snapshot = toSnapshot(state, now());
  // On a server (no `location`) a relative endpoint cannot be fetched, and retrying would
  // keep a timer holding the process open: without a `fetch` option the client is inert.
  let destroyed = !(options.fetch || (globalThis as { location?: unknown }).location);
  let busy = false;
  let timer: unknown;
  let reauthRunning: Promise<boolean> | null = null;
  /** The sign-out the re-auth on its way follows, if any. */
  let reauthSeen: number | false = false;
  /** Whether every call sharing the re-auth on its way is passive (then it never tries). */
  let reauthPassive: boolean | undefined;
  /** When a re-auth last failed; the fetch wrapper waits for news before it tries again. */
  let reauthFailedAt = -Infinity;
  /** When another tab said its re-auth was refused. */
  let refusedElsewhereAt = -Infinity;
  /** Ends this tab's wait for the re-auth lock, or for an app's re-auth function (see `reauthenticate`). */
  let stopWaiting: (() => void) | undefined;
  let channel: TabChannel | null | undefined;
  const queue: Action[] = [];
  /** The requests on their way, by kind, so `extend()`, `logout()` and `refresh()` can wait for theirs. */
  const pending: { [op in Operation]?: Promise<Action> } = {};
  /** Event listeners by event type, and snapshot subscribers under `change` (not an event). */
  const listeners = new Map<string, Set<Listener>>();
  /** Undoes every listener this client added (DOM, channel) and closes the channel. */
  const detach: Array<(() => void) | undefined> = [];

  const on = (type: string, listener: Listener) => {
    const set = listeners.get(type) ?? new Set();
    listeners.set(type, set.add(listener));
    return () => set.delete(listener);
  };

  /**
   * Calls the listeners of `type`; a throwing one is reported and never breaks the others.
   * One removed meanwhile (by an earlier listener, or `destroy()`) is not called, as with
   * DOM events: an unmounted dialog would otherwise show itself again.
   */
  const emit = (type: string, event?: SessionEvent): void => {
    for (const listener of [...(listeners.get(type) ?? [])]) {
      try {
        if (listeners.get(type)?.has(listener)) listener(event);
      } catch (error) {
        if (type !== 'error') reportError(error);
      }
    }
  };

  /**
   * Reports a throwing listener or a malformed cross-tab message (`channel`), or a response's
   * malformed `Session-Deadline` header (`fetch`); nothing to retry.
   */
  const reportError = (error: unknown, operation: 'channel' | 'fetch' = 'channel') =>
    emit('error', {
      type: 'error',
      tabId: o.tabId,
      local: true,
      trigger: operation === 'channel' ? 'status' : 'response',
      operation,
      error,
      willRetry: false,
    });

  const dispatch = (action: Action): void => {
    if (destroyed) return;
    queue.push(action);
    // Effects may dispatch (a listener calling extend()); queue instead of re-entering.
    if (busy) return;
    busy = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const step = reduce(state, next, now());
        const { request, post, events, wakeAt } = step;
        state = step.state;
        if (request) {
          const call = callRoute(request);
          pending[request] = call;
          call.then((answer) => {
            // Settled: a later `extend()` or `logout()` waits for a request of its own.
            if (pending[request] === call) pending[request] = undefined;
            dispatch(answer);
          });
        }
        if (post) channel?.post(retimed(post, -1));
        // The snapshot first: a listener of an event reads the state it tells of.
        const fresh = toSnapshot(state, now(), snapshot);
        const changed = fresh !== snapshot;
        snapshot = fresh;
        for (const event of events) emit(event.type, event);
        // A listener may have called destroy(): arm nothing (it removed the other listeners).
        if (destroyed) return;
        arm(wakeAt);
        if (changed) emit('change');
      }
    } finally {
      busy = false;
    }
  };

  /**
   * One timer for the next deadline (none: only disarm): arming replaces whatever was armed
   * before.
   */
  const arm = (at?: number | null): void => {
    o.timers.clearTimeout(timer);
    timer =
      at == null
        ? null
        : o.timers.setTimeout(
            () => dispatch({ type: 'tick', trigger: 'timer' }),
            Math.min(MAX_DELAY, Math.max(0, at - now())),
          );
  };

  /**
   * Calls one session route and says what came of it as the core action to dispatch. The
   * one place that sends the CSRF header and reads status and problem bodies. Never throws:
   * a network error, timeout, 5xx or malformed body becomes `failed`, so the core keeps its
   * last good state and retries.
   */
  const callRoute = async (op: Operation | 'reauth'): Promise<Action> => {
    const post = op !== 'status';
    // A logout names the session it is meant for: one sent late or again (see the core)
    // cannot end a session signed in to since.
    const target = op === 'logout' && state.logoutOf;
    const sentAt = now();
    let receivedAt = sentAt;
    const [signal, waited] = timeout(o.requestTimeout);
    try {
      // Credentials: the default (same-origin) sends the session cookie.
      const res = await o.fetch(`${o.endpoint}/${op}`, {
        method: post ? 'POST' : 'GET',
        // A logout or extension outlives the page that sent it (a sign-out, then the tab closed).
        keepalive: post,
        cache: 'no-store',
        // A POST sends no body but a logout's (the routes read none as `{}`); the header makes
        // it non-simple in CORS terms, as the CSRF guard asks.
        headers: {
          accept: 'application/json',
          ...(post && { [CSRF_HEADER]: '1' }),
          ...(target && { 'content-type': 'application/json' }),
        },
        body: target ? JSON.stringify({ absoluteExpiresAt: target }) : null,
        signal,
      });
      receivedAt = now();
      const body = await readJson(res);
      const status = parseStatus(body);
      const reason = sessionProblem(res, body);
      // A logout answered 204 still succeeded (the core reads no body then); any other answer
      // without a status body (a proxy's HTML page, a sign-in page redirected to) did not.
      if (res.ok && (status || (op === 'logout' && res.status === 204))) {
        return { type: 'answer', op, sentAt, receivedAt, status } as Action;
      }
      if (reason) return { type: 'answer', op, sentAt, receivedAt, reason } as Action;
      throw new Error(
        `${op}: unexpected answer (HTTP ${res.status} ${(body as { code?: unknown } | undefined)?.code})`,
      );
    } catch (error) {
      // A failed re-auth never reaches the core: the re-auth code reports it.
      return { type: 'answer', op, sentAt, receivedAt, error } as Action;
    } finally {
      waited();
    }
  };

  /**
   * Dispatches a user action and resolves when the request it caused (if any) has settled:
   * `true` when the server answered it.
   */
  const act = async (type: Operation) => {
    dispatch({ type });
    // Called from a listener, the action runs once the step in progress ends; a request
    // already on its way (a double click) answers this call too. A re-check answers with
    // whatever request is on its way: an owed extension or sign-out goes in its place.
    await Promise.resolve();
    const answer = await pending[(type === 'status' && state.calling) || type];
    return !!answer && !('error' in answer);
  };

  const refresh = () => act('status');

  /**
   * Silent re-authentication, single-flight: concurrent callers in this tab share one
   * attempt, and the Web Lock makes tabs take turns. A tab that waited while another
   * succeeded (a fresh session learned of since `since`) takes that result instead of
   * trying again. A `passive` call (a hidden tab's request) takes such a result but never
   * tries itself.
   */
  const reauthenticate = (since = now(), passive?: boolean): Promise<boolean> => {
    // The sign-out this re-auth follows, if any (a "switch account"): one since it was asked
    // for (while it waited for the lock, too) ends its session. A call that has seen a
    // sign-out the attempt on its way has not runs its own once that one is done; any other
    // joins it (one need, one run of the app's function).
    const seen = state.reason === 'logged-out' && state.endedAt;
    if (reauthRunning && seen !== false && seen !== reauthSeen) {
      return reauthRunning.then(() => reauthenticate(since, passive));
    }
    const attempt = async () => {
      const { reauth } = o;
      // A session learned of since (a sign-in in another tab; the first deadlines of a page
      // still loading count too) answers the need: the request is repeated with its cookie.
      if (state.sessionAt >= since || state.learnedAt > since) return true;
      // A tab destroyed while it waited for the lock hears no other tab's news any more; and
      // one that waited while another tab's re-auth was refused would be refused too.
      if (!reauth || reauthPassive || destroyed || refusedElsewhereAt >= since) return false;
      try {
        const byEndpoint = reauth === 'endpoint';
        if (!byEndpoint) {
          const [signal, waited] = timeout(o.requestTimeout * 6);
          // The app's function may ignore its signal; never wait on it past the deadline, or
          // the re-auth (and its lock, in every tab) would be held for good.
          const signedIn = await Promise.race([
            reauth({ signal }),
            new Promise<false>((resolve) => {
              // Or when the tab is destroyed: the lock then goes to the other tabs at once.
              stopWaiting = () => resolve(false);
              signal.addEventListener('abort', stopWaiting);
            }),
          ]).finally(waited);
          if (signedIn === false) throw new Error('reauth: declined or timed out');
        }
        const answer = (await callRoute(byEndpoint ? 'reauth' : 'status')) as {
          status?: SessionStatus | null;
          error?: unknown;
        };
        // `Error()` makes the same error as `new Error()`; the minifier marks a `new` inside
        // an expression as pure, a comment shipped for nothing.
        if (answer.status?.state !== 'active') throw answer.error ?? Error('reauth: no session');
        dispatch({ ...answer, op: 'reauth', seen } as Action);
        // Not when the person signed out since the attempt began: the core ends its session.
        return state.phase === 'active';
      } catch (error) {
        reauthFailedAt = now();
        // Tabs waiting for the lock take the refusal instead of asking again.
        dispatch({ type: 'reauth-failed', sentAt: reauthFailedAt });
        emit('reauth-failed', {
          type: 'reauth-failed',
          tabId: o.tabId,
          local: true,
          trigger: 'response',
          error,
        });
        return false;
      }
    };
    if (!reauthRunning) reauthSeen = seen;
    // A call that may try, joining a passive one still waiting for the lock, makes it try.
    reauthPassive = reauthRunning ? reauthPassive && passive : passive;
    // `locks` may be `false` (none), which optional chaining would not skip.
    reauthRunning ||= (o.locks ? withLock(o.locks, attempt) : attempt())
      .catch(() => false)
      .finally(() => {
        reauthRunning = null;
      });
    return reauthRunning;
  };

  /**
   * Runs `attempt` holding the tabs' re-auth lock, or without it once this tab has waited
   * longer than a live holder can take (its attempt is bounded at 7 × `requestTimeout`). A
   * tab granted the lock while the browser froze it holds it until it is resumed; that
   * costs the other tabs this wait, never a re-auth that hangs. Without the lock (none may
   * be taken here), it runs the attempt too.
   */
  const withLock = (locks: LockManagerLike, attempt: () => Promise<boolean>) => {
    const wait = new AbortController();
    const giveUp = () => {
      o.timers.clearTimeout(waitTimer);
      wait.abort();
    };
    stopWaiting = giveUp;
    const waitTimer = o.timers.setTimeout(giveUp, Math.min(MAX_DELAY, o.requestTimeout * 8));
    // Aborting once the lock is granted does nothing: it only clears the timer.
    const go = () => {
      giveUp();
      return attempt();
    };
    return locks.request(`${o.channelName}:reauth`, { signal: wait.signal }, go).catch(go);
  };

  /**
   * Sends, learns the deadlines, and reads the session problem of a 401 (else none), or
   * whether a 409 says another request of this browser renewed the session. `done`: the
   * refusal came after the app's handler ran (`handled`), and the method is not idempotent:
   * repeating it would repeat whatever else the handler did (an order placed twice), so it
   * is never replayed (RFC 9110 retries only idempotent requests on its own).
   */
  const send = async (request: Request) => {
    const sentAt = now();
    const res = await o.fetch(request);
    const header = res.headers.get(DEADLINE_HEADER);
    const d = parseDeadlineHeader(header);
    if (d && liveDeadlines(d.now, d.idle, d.absolute)) {
      dispatch({ type: 'header', ...d, sentAt, receivedAt: now() });
    } else if (header !== null) {
      // Told, not thrown: the response is still the app's (a proxy may have mangled the header).
      reportError(TypeError(`Lifeline: malformed ${DEADLINE_HEADER}`), 'fetch');
    }
    // A problem's body: only a 401 or 409 is read (a session problem, or `session_renewed`).
    const body = ((res.status === 401 || res.status === 409) && (await readJson(res.clone()))) as
      | { code?: unknown; handled?: unknown }
      | undefined;
    const done = body?.handled === true && !/^(GET|HEAD|OPTIONS|PUT|DELETE)$/.test(request.method);
    return {
      res,
      sentAt,
      done,
      reason: sessionProblem(res, body),
      renewed: !done && body?.code === 'session_renewed',
    };
  };

  /** The page, for its visibility (none on a server). */
  const doc = o.document;

  /**
   * The session-aware `fetch`: learns deadlines from every response, marks hidden-tab
   * requests passive, and on a 401 session problem re-authenticates once (shared by all
   * concurrent callers) and replays the request once. Never loops.
   */
  const sessionFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    // Only the page's own origin, where the session lives (its routes are called with
    // same-origin credentials), speaks for it: another API's 401 or deadline header says
    // nothing of this session (and would end or prolong it in every tab), and the passive
    // header would cost that API a CORS preflight it may refuse. Those pass untouched.
    const page = globalThis.location;
    if (page && new URL(request.url).origin !== page.origin) return o.fetch(request);
    const hidden = doc?.visibilityState === 'hidden';
    if (hidden) request.headers.set(PASSIVE_HEADER, '1');
    // Cloned before sending: once sent, a body cannot be read again. (A request just made
    // has an unread body, so cloning it cannot throw.)
    const spare = request.clone();
    let { res, reason, sentAt, renewed, done } = await send(request);
    /**
     * Whether a replay is worth it after this 401. `since`: a re-auth that finished after the
     * request left is enough; another would kill the session it created. After a failed one,
     * only a new session (a sign-in, in any tab) or 30 seconds make another worth a request:
     * no re-auth per failed call. Never after the person signed out (in any tab), until a new
     * session appears, nor with a session begun after a sign-out made since the request left
     * (a new sign-in, perhaps another person's: it must not run as them), and never for a tab hidden both when the request left and when its
     * answer came: a background request must not sign them back in (with remember-me, a
     * hidden tab's polling would outlive every idle timeout); `reauthenticate()` still can.
     * Such a request still takes a session begun since it left, or another tab's re-auth on
     * its way (it waits for the lock), and is repeated with the new cookie.
     */
    const renew = async (since: number) => {
      const known = reason;
      // A destroyed client hears no other tab's news: it would wait on their lock for nothing.
      if (
        !known ||
        done ||
        destroyed ||
        (state.reason === 'logged-out' && (state.phase !== 'active' || state.endedAt >= since)) ||
        (state.sessionAt < reauthFailedAt && now() - reauthFailedAt < 30_000)
      ) {
        return false;
      }
      // The caller's abort rejects the call at once with its reason, as a plain `fetch`
      // does, and sends no replay; the re-auth goes on for the others. One made before
      // fires no event, so it is checked first.
      // (Not `throwIfAborted()`: Safari before 15.4 and Chrome before 100 have none.)
      // Where `reason` is missing (Safari before 15.4, Chrome before 98), the `AbortError`
      // a plain `fetch` rejects with.
      const why = () => request.signal.reason ?? new DOMException('aborted', 'AbortError');
      if (request.signal.aborted) throw why();
      // A session begun meanwhile (a sign-in in another tab while this one's re-auth was
      // declined) answers the need too.
      const renewing = reauthenticate(since, hidden && doc?.visibilityState === 'hidden');
      let onAbort = () => {};
      return (
        !!(await Promise.race([
          renewing,
          new Promise((_, aborted) => {
            onAbort = () => {
              // Nobody waits for the call any more, but its 401 still tells of the session
              // if the re-auth fails: every tab learns it ended, as without the abort.
              renewing.then(
                (ok) =>
                  ok ||
                  state.sessionAt >= since ||
                  dispatch({ type: 'answer', op: 'fetch', reason: known, sentAt }),
              );
              aborted(why());
            };
            request.signal.addEventListener('abort', onAbort);
          }),
          // An app's page-wide signal would otherwise keep a listener per call for good.
        ]).finally(() => request.signal.removeEventListener('abort', onAbort))) ||
        state.sessionAt >= since
      );
    };
    // `renewed`: sent with the cookie another request (a privilege change, a re-auth) just
    // replaced: the session lives on, so once more with the new one, never a re-auth.
    if (renewed || (await renew(sentAt))) {
      const left = sentAt;
      ({ res, reason, sentAt, done } = await send(spare.clone()));
      // Taken for the first deadlines this page learned after the request left (no session
      // began since: no re-auth ran), and still refused: those were the ended session's, so
      // one re-auth now and one more replay.
      // Also when a session began while the replay was on its way (another call's re-auth):
      // it carried the old cookie, and the new one is taken without another re-auth.
      if (
        !renewed &&
        reason &&
        (state.sessionAt < left || state.sessionAt > sentAt) &&
        (await renew(sentAt))
      ) {
        ({ res, reason, sentAt } = await send(spare));
      }
      // Refused again with the new session: a re-auth does not help here (the app's routes
      // do not get the cookie: a `Path` or `SameSite` mistake), so the next waits as after
      // a failed one (not one per call of an app that polls), for a session after this one.
      if (!renewed && reason) reauthFailedAt = Math.max(reauthFailedAt, state.sessionAt + 1);
    }
    if (!reason) return res;
    dispatch({ type: 'answer', op: 'fetch', reason, sentAt });
    throw new SessionExpiredError(reason, res);
  };

  /** Opens the cross-tab channel: at the start, and again after a back/forward-cache stay. */
  const join = () => {
    try {
      // `false` (none) is no function: calling it throws, and the catch runs the tab alone as
      // `null` does, for no bytes.
      channel = (o.channel as ChannelFactory | null | undefined)?.(o.channelName);
    } catch {
      // No cross-tab transport here (a browser without BroadcastChannel): this tab runs alone.
    }
    detach.push(
      channel?.onMessage((raw) => {
        const message = parseTabMessage(raw);
        if (message?.type === 'reauth-failed') reauthFailedAt = refusedElsewhereAt = now();
        if (message) dispatch(retimed(message, 1));
        // Without `new`, as in `reauthenticate`: the same error, no pure mark shipped.
        else reportError(TypeError('Lifeline: malformed cross-tab message'));
      }),
      channel?.onLeadership((isLeader) => dispatch({ type: 'leadership', isLeader })),
    );
  };
  const lead = () =>
    dispatch({ type: 'leadership', isLeader: channel ? channel.isLeader() : true });
  join();
  detach.push(() => channel?.close());

  // DOM listeners: passive, capturing activity listeners doing constant work per event, and
  // the wake-up signals (re-evaluate the deadlines, or ask the server when the page may
  // have missed anything: bfcache restore, frozen tab resumed, back online).
  const listen = (
    target: EventSource | null | undefined,
    type: string,
    fn: () => void,
    opts?: AddEventListenerOptions,
  ) => {
    target?.addEventListener(type, fn, opts);
    detach.push(() => target?.removeEventListener(type, fn, opts));
  };
  const activity = () => dispatch({ type: 'activity' });
  const wake = () => dispatch({ type: 'tick', trigger: 'wake' });
  if (o.activity) {
    const { events, target, throttle } = o.activity;
    let last = Number.NEGATIVE_INFINITY;
    // Only the person's own input: events a page's script dispatches (a widget, a "keep me
    // signed in" snippet) are not `isTrusted`, and must not keep an idle person signed in.
    const onActivity = (event?: { isTrusted?: boolean }) => {
      if (event?.isTrusted === false) return;
      const t = now();
      if (t - last < throttle) return;
      last = t;
      activity();
    };
    for (const type of events) listen(target, type, onActivity, { passive: true, capture: true });
  }
  // Becoming visible is activity (the person came back), unless activity is not tracked:
  // with `activity: false` it would extend on every tab switch. Either way it re-evaluates,
  // first: coming back inside the warning window must open the warning, not extend past it
  // (activity during the idle warning does not count).
  listen(doc, 'visibilitychange', () => {
    wake();
    if (o.activity && doc?.visibilityState === 'visible') activity();
  });
  listen(doc, 'resume', refresh);
  listen(o.window, 'focus', wake);
  // A page kept in the back/forward cache would keep leading from there (its Web Lock):
  // it leaves the channel on the way in and joins again, as a newcomer, when it comes back.
  // Only such a page may have missed anything: the first `pageshow` of every load would
  // otherwise ask for the status a second time.
  listen(o.window, 'pagehide', (event?: { persisted?: boolean }) => {
    if (event?.persisted) {
      channel?.close();
      channel = null;
    }
  });
  listen(o.window, 'pageshow', (event?: { persisted?: boolean }) => {
    if (event?.persisted) {
      // Never a second channel: a page restored without a `pagehide` before keeps its own.
      channel || join();
      lead();
      refresh();
    }
  });
  // Every tab hears `online` at once: the leader asks for all of them, and a tab that owes a
  // request (a "Stay signed in" or a sign-out that failed offline) sends it now.
  listen(o.window, 'online', () => (state.isLeader || state.retry ? refresh() : wake()));

  lead();

  return {
    getSnapshot: () => snapshot,
    subscribe: (listener) => on('change', listener),
    on: on as SessionClient['on'],
    extend: () => act('extend'),
    logout: () => act('logout'),
    reauthenticate: async () => !destroyed && reauthenticate(),
    refresh,
    fetch: sessionFetch,
    // Idempotent without a guard: an inert client starts out `destroyed` yet holds
    // listeners and maybe a channel, which the first call must still release.
    destroy() {
      destroyed = true;
      queue.length = 0;
      arm();
      stopWaiting?.();
      for (const off of detach.splice(0)) off?.();
      listeners.clear();
    },
  };
};
