import { describe, expect, it } from 'vitest';
import type { Effect } from './harness.fixture.js';
import { createHarness, MIN } from './harness.fixture.js';

const emitted = (effects: readonly Effect[]) =>
  effects.flatMap((e) => (e.type === 'emit' ? [e.event.type] : []));
/** The reason and limit of each `expired` event. */
const expiredEvents = (effects: readonly Effect[]) =>
  effects.flatMap((e) =>
    e.type === 'emit' && e.event.type === 'expired'
      ? [{ reason: e.event.reason, limit: e.event.limit }]
      : [],
  );
const requests = (effects: readonly Effect[]) =>
  effects.flatMap((e) => (e.type === 'request' ? [e.op] : []));

/** Another tab's news: its `/status`, sent at `sentAt`, found the session revoked. */
const revokedNews = (sentAt: number) =>
  ({
    v: 2,
    from: 'b',
    trigger: 'status',
    type: 'answer',
    op: 'status',
    reason: 'revoked',
    sentAt,
  }) as const;

function started(opts: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness(opts);
  h.dispatch({ type: 'leadership', isLeader: true });
  h.answer(100);
  return h;
}

describe('core reducer', () => {
  it('asks /status first and becomes active with skew-corrected deadlines', () => {
    const h = createHarness({ skew: -7 * MIN });
    expect(requests(h.dispatch({ type: 'leadership', isLeader: true }))).toEqual(['status']);
    h.answer(200);
    expect(h.state().phase).toBe('active');
    expect(h.localDeadline()).toBe(1_000_000 + 10 * MIN);
  });

  it('arms one timer for the nearest instant: the leader poll or the warning window', () => {
    const h = started();
    const arms = h.log.filter((e) => e.type === 'arm');
    const warningAt = (h.localDeadline() ?? 0) - 2 * MIN;
    expect(arms.at(-1)).toEqual({ type: 'arm', at: Math.min(warningAt, h.state().pollAt) });
  });

  it('enters the idle warning at the window and expires once the server confirms', () => {
    const h = started();
    h.advance(5 * MIN); // the leader's poll, answered
    h.drain();
    h.advance(3 * MIN + 100);
    expect(h.state().warning).toBe('idle');
    h.advance(2 * MIN);
    expect(requests(h.log).at(-1)).toBe('status');
    h.answer(50);
    expect(h.state()).toMatchObject({ phase: 'expired', reason: 'idle-timeout' });
    expect(expiredEvents(h.log)).toEqual([{ reason: 'idle-timeout', limit: 'idle' }]);
  });

  it('warns about the absolute limit when it comes before the idle one', () => {
    const h = started({ absolute: 5 * MIN });
    h.advance(3 * MIN);
    expect(h.state().warning).toBe('absolute');
  });

  it('extends for activity at most once per keepalive interval, never without it', () => {
    const h = started();
    h.dispatch({ type: 'activity' });
    h.advance(30_000);
    h.dispatch({ type: 'activity' });
    h.advance(40_000);
    expect(requests(h.log).filter((op) => op === 'extend')).toHaveLength(1);
    h.answer(10);
    h.advance(5 * MIN);
    expect(requests(h.log).filter((op) => op === 'extend')).toHaveLength(1);
  });

  it('extends again for activity during an extension the server appears to date later', () => {
    // The leader's offset estimate can err by half a round trip: a reply may place the
    // server's slide after activity a follower reported while the request was in flight.
    const h = started();
    h.dispatch({ type: 'activity' });
    h.advance(MIN);
    const sent = h.pending.shift();
    expect(sent?.op).toBe('extend');
    h.advance(200);
    h.dispatch({ v: 2, from: 'other', type: 'activity', trigger: 'activity', sentAt: h.now() });
    const slidAt = h.now() + 500; // later than the follower's activity
    h.dispatch({
      type: 'answer',
      op: 'extend',
      status: {
        state: 'active',
        now: slidAt,
        idleExpiresAt: slidAt + 10 * MIN,
        absoluteExpiresAt: h.now() + 50 * MIN,
        idleTimeoutMs: 10 * MIN,
        canReauth: false,
        user: null,
      },
      sentAt: sent!.sentAt,
      receivedAt: h.now(),
    });
    h.log.length = 0;
    h.advance(MIN + 1_000);
    expect(requests(h.log)).toContain('extend');
  });

  it('ignores activity while the idle warning shows: the person must choose to stay', () => {
    const h = started();
    h.advance(5 * MIN);
    h.drain();
    h.advance(3 * MIN);
    expect(h.state().warning).toBe('idle');
    h.dispatch({ type: 'activity' });
    h.advance(MIN);
    expect(requests(h.log)).not.toContain('extend');
    h.dispatch({ type: 'extend' });
    h.drain();
    expect(h.state().warning).toBeNull();
  });

  it('starts no warning while a check is on its way: its answer decides', () => {
    const h = started();
    h.advance(5 * MIN);
    h.drain();
    h.advance(2 * MIN);
    h.dispatch({ type: 'status' }); // a re-check (the tab resumed), just before the window
    h.advance(MIN + 100);
    expect(h.state().warning).toBeNull();
    h.answer(10);
    expect(h.state().warning).toBe('idle');
  });

  it('after sleeping past the deadline goes to expired without a warning', () => {
    const h = started();
    h.sleep(30 * MIN);
    const effects = h.dispatch({ type: 'tick', trigger: 'wake' });
    expect(emitted(effects)).not.toContain('warning');
    h.answer(10);
    expect(h.state().phase).toBe('expired');
    expect(emitted(h.log)).not.toContain('warning');
  });

  it('a follower waits a grace period for the leader before asking itself', () => {
    const h = createHarness();
    h.dispatch({ type: 'leadership', isLeader: false });
    h.answer(0);
    h.sleep(10 * MIN);
    expect(requests(h.dispatch({ type: 'tick', trigger: 'wake' }))).toEqual([]);
    h.advance(1500);
    expect(requests(h.log).at(-1)).toBe('status');
  });

  it('keeps the last good state on failures and retries with growing backoff', () => {
    const h = started();
    h.dispatch({ type: 'activity' });
    h.advance(MIN);
    h.answer(0, true);
    expect(h.state()).toMatchObject({ phase: 'active', fails: 1, retry: { op: 'extend' } });
    h.advance(1000);
    h.answer(0, true);
    expect(h.state().retry?.at).toBe(h.now() + 2000);
    h.advance(2000);
    h.answer(0);
    expect(h.state()).toMatchObject({ phase: 'active', fails: 0, retry: null });
  });

  it('shows expiry when the deadline passed and the server cannot be reached', () => {
    const h = started();
    h.advance(10 * MIN + 1000);
    h.drain(true);
    expect(h.state()).toMatchObject({ phase: 'expired', reason: 'idle-timeout' });
  });

  it('does not let an older answer pull the idle deadline back', () => {
    const h = started();
    const early = h.state().deadlines;
    h.header(false);
    h.advance(MIN);
    h.header(false);
    const later = h.state().deadlines?.idle ?? 0;
    h.dispatch({
      type: 'header',
      idle: early?.idle ?? 0,
      absolute: early?.absolute ?? 0,
      now: 0,
      sentAt: 0,
      receivedAt: 0,
    });
    expect(h.state().deadlines?.idle).toBe(later);
  });

  it('a late "no session" answer does not end a session confirmed after the ending', () => {
    const h = started();
    const sentBefore = h.now();
    const body = { now: h.now(), idleTimeoutMs: 10 * MIN, canReauth: false } as const;
    h.sleep(10);
    h.dispatch({ type: 'answer', op: 'fetch', reason: 'revoked', sentAt: h.now() });
    expect(h.state().phase).toBe('expired');
    h.sleep(1000);
    const deadlines = { idleExpiresAt: h.now() + 5 * MIN, absoluteExpiresAt: h.now() + 50 * MIN };
    const live = { ...body, ...deadlines, state: 'active', user: null } as const;
    h.dispatch({
      type: 'answer',
      op: 'status',
      status: live,
      sentAt: h.now(),
      receivedAt: h.now(),
    });
    expect(h.state().phase).toBe('active');
    const none = { ...body, state: 'none', reason: 'revoked' } as const;
    h.dispatch({
      type: 'answer',
      op: 'status',
      status: none,
      sentAt: sentBefore,
      receivedAt: h.now(),
    });
    expect(h.state().phase).toBe('active');
  });

  it('logout signs out at once, tells the other tabs and ignores late answers', () => {
    const h = started();
    h.dispatch({ type: 'activity' });
    h.advance(MIN);
    const effects = h.dispatch({ type: 'logout' });
    expect(emitted(effects)).toEqual(['signed-out']);
    const told = effects.flatMap((e) => (e.type === 'post' ? [e.message] : []));
    expect(told).toMatchObject([{ type: 'answer', reason: 'logged-out' }]);
    h.answer(10); // the extend sent before the logout
    expect(h.state().phase).toBe('signed-out');
  });

  it('adopts deadlines, extensions and endings from other tabs', () => {
    const h = createHarness();
    h.dispatch({ type: 'leadership', isLeader: false });
    const status = {
      state: 'active',
      now: h.now(),
      idleExpiresAt: 2e6,
      absoluteExpiresAt: 9e6,
      idleTimeoutMs: 10 * MIN,
      canReauth: true,
      user: null,
    } as const;
    const message = {
      v: 2,
      from: 'b',
      trigger: 'activity',
      type: 'answer',
      op: 'extend',
      status,
      sentAt: h.now(),
      receivedAt: h.now(),
    } as const;
    expect(emitted(h.dispatch(message))).toEqual(['extended']);
    expect(h.state()).toMatchObject({ phase: 'active', deadlines: { idle: 2e6, absolute: 9e6 } });
    // Another tab's news never answers this tab's own request, and is not passed on.
    expect(h.state().calling).toBe('status');
    expect(h.log.filter((e) => e.type === 'post')).toEqual([]);
    h.sleep(1000);
    h.dispatch(revokedNews(h.now()));
    expect(h.state()).toMatchObject({ phase: 'expired', reason: 'revoked' });
    expect(expiredEvents(h.log)).toEqual([{ reason: 'revoked', limit: null }]);
    // A late copy of the news from before the ending does not revive the session.
    h.dispatch(message);
    expect(h.state().phase).toBe('expired');
  });
});

describe('a first /status slower than a sign-in', () => {
  /** A page whose first /status left at `h.now()`; `none` is its answer, about no cookie. */
  function loading() {
    const h = createHarness();
    h.dispatch({ type: 'leadership', isLeader: false });
    const sentAt = h.now();
    const body = { now: sentAt, idleTimeoutMs: 10 * MIN, canReauth: false } as const;
    const none = () =>
      h.dispatch({
        type: 'answer',
        op: 'status',
        status: { ...body, state: 'none', reason: 'missing' },
        sentAt,
        receivedAt: h.now(),
      });
    /** The sign-in's deadlines, as a `Session-Deadline` header to a request sent at `at`. */
    const signIn = (at: number) =>
      ({
        type: 'header',
        idle: at + 10 * MIN,
        absolute: at + 60 * MIN,
        now: at,
        sentAt: at,
        receivedAt: h.now(),
      }) as const;
    return { h, sentAt, none, signIn };
  }

  it('answering "none" after the sign-in\'s header does not end it', () => {
    const { h, sentAt, none, signIn } = loading();
    h.sleep(500);
    const header = signIn(h.now());
    h.dispatch(header);
    h.sleep(500);
    expect(emitted(none())).toEqual([]);
    expect(h.state()).toMatchObject({
      phase: 'active',
      deadlines: { idle: header.idle, absolute: header.absolute },
    });
    expect(sentAt).toBeLessThan(header.sentAt);
  });

  it('answering "none" after news of a sign-in sent before it does not end it', () => {
    const { h, none, signIn } = loading();
    // The sign-in left before this page's /status; its answer set the cookie after.
    const header = signIn(h.now() - 500);
    h.sleep(500);
    h.dispatch({ ...header, v: 2, from: 'b', trigger: 'response' });
    h.sleep(500);
    expect(emitted(none())).toEqual([]);
    expect(h.state()).toMatchObject({
      phase: 'active',
      deadlines: { idle: header.idle, absolute: header.absolute },
    });
  });

  it('answering "none" before news of a sign-in sent after it leaves that news to be taken', () => {
    const { h, none, signIn } = loading();
    h.sleep(500);
    const header = signIn(h.now());
    h.sleep(500);
    none();
    expect(h.state().phase).toBe('signed-out');
    h.sleep(500);
    h.dispatch({ ...header, v: 2, from: 'b', trigger: 'response' });
    expect(h.state()).toMatchObject({
      phase: 'active',
      deadlines: { idle: header.idle, absolute: header.absolute },
    });
  });

  it("a 401 to a request sent after the page's own first /status left still ends it", () => {
    const { h, sentAt } = loading();
    h.sleep(500);
    const fetchSentAt = h.now();
    h.sleep(500);
    h.answer(0);
    expect(h.state().phase).toBe('active');
    h.sleep(500);
    // The session was revoked after the /status check; the app request carried its cookie.
    h.dispatch({ type: 'answer', op: 'fetch', reason: 'revoked', sentAt: fetchSentAt });
    expect(h.state()).toMatchObject({ phase: 'expired', reason: 'revoked' });
    expect(sentAt).toBeLessThan(fetchSentAt);
  });
});

describe('answers crossing a server-side ending', () => {
  // The other side of counting an ending from its request's send time: the server does not
  // say when it handled a request (design-decisions.md, known limitations).
  it('takes a late live answer to a request sent after the one that found the ending', () => {
    const h = started();
    const endingSentAt = h.now();
    h.sleep(100);
    h.dispatch({ type: 'extend' });
    h.sleep(100);
    // Another tab's /status, sent before this extension, found the session revoked.
    h.dispatch(revokedNews(endingSentAt));
    expect(h.state().phase).toBe('expired');
    // The extension, handled by the server before the revocation, answers late.
    h.sleep(100);
    h.answer(0);
    expect(h.state().phase).toBe('active');
  });
});
