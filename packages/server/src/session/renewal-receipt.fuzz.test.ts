import fc from 'fast-check';
import { expect, it } from 'vitest';
import { requireSession } from '../require/require-session.js';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';

const MIN = 60_000;

/** What one person's pages send, in parallel: reads, an extension, renewals of one user. */
const ROUTES = [
  ['GET', '/whoami'],
  ['GET', '/whoami'],
  ['POST', '/elevate'],
  ['POST', '/login'],
  ['POST', '/session/extend'],
] as const;

/** One request's three steps, each taken when the schedule picks it (in this order). */
type Step = 'send' | 'process' | 'arrive';

/** A round of parallel requests, each one of `routes` (indices into `ROUTES`). */
const roundOf = (routes: fc.Arbitrary<number>) =>
  fc.record({
    // Mostly past the rotation interval, so that rotations race the renewals.
    advance: fc.oneof(fc.constant(16 * MIN), fc.integer({ min: 0, max: 5 * MIN })),
    routes: fc.array(routes, { minLength: 2, maxLength: 6 }),
    // Which request takes its next step, as an index into those with steps left.
    picks: fc.array(fc.nat(), { minLength: 18, maxLength: 18 }),
    // How long the server takes for each request (moves the clock).
    delays: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 6, maxLength: 6 }),
  });
/** One round as the property receives it. */
type Round = { advance: number; routes: number[]; picks: number[]; delays: number[] };
const round = roundOf(fc.nat(ROUTES.length - 1));
/** The same without a sign-in of the first person (which may rightly come last). */
const LOGIN = ROUTES.findIndex(([, path]) => path === '/login');
const roundWithoutLogin = roundOf(fc.nat(ROUTES.length - 2).map((i) => (i >= LOGIN ? i + 1 : i)));

/** The route tests' app with a privilege change and a "who am I". */
function fuzzApp(onTheft: 'log' | 'revoke') {
  const t = routesTestApp({ session: { onTheft } });
  // A privilege change needs the session it changes (else it makes an anonymous one).
  t.app.post('/elevate', requireSession(), async (c) => {
    await c.var.session.regenerate();
    return c.json({ id: c.var.session.id });
  });
  t.app.get('/whoami', (c) => c.json({ state: c.var.session.state, userId: c.var.session.userId }));
  return t;
}

/**
 * Sends `requests` (method and path) from tabs of `browser`, then has the server handle
 * them and their answers arrive, each step when `picks` chooses its request.
 */
async function runSchedule(
  t: ReturnType<typeof fuzzApp>,
  browser: Browser,
  requests: readonly (readonly [string, string])[],
  picks: readonly number[],
  delays: readonly number[],
): Promise<void> {
  const left: Step[][] = requests.map(() => ['send', 'process', 'arrive']);
  const tabs: Browser[] = [];
  const answers: Response[] = [];
  let pick = 0;
  while (left.some((steps) => steps.length > 0)) {
    const open = left.flatMap((steps, i) => (steps.length > 0 ? [i] : []));
    const i = open[(picks[pick++ % picks.length] ?? 0) % open.length]!;
    const step = left[i]!.shift();
    if (step === 'send') tabs[i] = browser.tab();
    else if (step === 'process') {
      const [method, path] = requests[i]!;
      answers[i] = await tabs[i]!.send(method, path);
      t.clock.advance(delays[i % delays.length]!);
    } else browser.receive(answers[i]!);
  }
}

/** Moves the clock on by the round's `advance`, then plays its requests (and `extra`). */
function playRound(
  t: ReturnType<typeof fuzzApp>,
  browser: Browser,
  { advance, routes, picks, delays }: Round,
  extra?: readonly [string, string],
): Promise<void> {
  t.clock.advance(advance);
  const requests = routes.map((r) => ROUTES[r]!);
  return runSchedule(t, browser, extra ? [...requests, extra] : requests, picks, delays);
}

const theftSuspected = (t: ReturnType<typeof fuzzApp>) =>
  t.events.filter((e) => e.type === 'rejected' && e.reason === 'theft-suspected');

/**
 * The renewal receipt's promise, on random schedules: a person whose requests are sent,
 * handled and answered in any order, with rotations and renewals racing each other, is
 * never signed out, never becomes another user, and is never taken for a thief.
 */
it('keeps one person signed in as themselves whatever order parallel answers arrive in', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('log' as const, 'revoke' as const),
      fc.array(round, { minLength: 1, maxLength: 4 }),
      async (onTheft, rounds) => {
        const t = fuzzApp(onTheft);
        const browser = new Browser(t.app);
        await browser.post('/login');
        for (const one of rounds) {
          await playRound(t, browser, one);
          t.clock.advance(1_000);
          const who = await (await browser.get('/whoami')).json();
          expect(who).toEqual({ state: 'active', userId: 'u1' });
          expect(theftSuspected(t)).toEqual([]);
        }
      },
    ),
    { numRuns: 300 },
  );
}, 60_000);

/**
 * Someone else signs in on the browser while the first person's requests (and rounds
 * before that) are still racing: the browser ends up theirs, never the first person's.
 * Signed out is the one other outcome, and only with a privilege change in the race
 * (docs/design-decisions.md, known limitations).
 */
it('never hands the browser back to the previous user after a sign-in as another', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('log' as const, 'revoke' as const),
      fc.array(round, { minLength: 0, maxLength: 2 }),
      roundWithoutLogin,
      async (onTheft, before, last) => {
        const t = fuzzApp(onTheft);
        const browser = new Browser(t.app);
        await browser.post('/login');
        for (const one of before) await playRound(t, browser, one);
        await playRound(t, browser, last, ['POST', '/login?user=u2']);
        t.clock.advance(1_000);
        const who = await (await browser.get('/whoami')).json();
        const elevated = last.routes.some((r) => ROUTES[r]![1] === '/elevate');
        if (elevated)
          expect([
            { state: 'active', userId: 'u2' },
            { state: 'none', userId: null },
          ]).toContainEqual(who);
        else expect(who).toEqual({ state: 'active', userId: 'u2' });
        expect(theftSuspected(t)).toEqual([]);
      },
    ),
    { numRuns: 300 },
  );
}, 60_000);
