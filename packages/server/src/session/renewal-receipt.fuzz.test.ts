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

const round = fc.record({
  // Mostly past the rotation interval, so that rotations race the renewals.
  advance: fc.oneof(fc.constant(16 * MIN), fc.integer({ min: 0, max: 5 * MIN })),
  routes: fc.array(fc.nat(ROUTES.length - 1), { minLength: 2, maxLength: 6 }),
  // Which request takes its next step, as an index into those with steps left.
  picks: fc.array(fc.nat(), { minLength: 18, maxLength: 18 }),
  // How long the server takes for each request (moves the clock).
  delays: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 6, maxLength: 6 }),
});

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
        const t = routesTestApp({ session: { onTheft } });
        // A privilege change needs the session it changes (else it makes an anonymous one).
        t.app.post('/elevate', requireSession(), async (c) => {
          await c.var.session.regenerate();
          return c.json({ id: c.var.session.id });
        });
        t.app.get('/whoami', (c) =>
          c.json({ state: c.var.session.state, userId: c.var.session.userId }),
        );
        const browser = new Browser(t.app);
        await browser.post('/login');
        for (const { advance, routes, picks, delays } of rounds) {
          t.clock.advance(advance);
          const left: Step[][] = routes.map(() => ['send', 'process', 'arrive']);
          const tabs: Browser[] = [];
          const answers: Response[] = [];
          let pick = 0;
          while (left.some((steps) => steps.length > 0)) {
            const open = left.flatMap((steps, i) => (steps.length > 0 ? [i] : []));
            const i = open[(picks[pick++ % picks.length] ?? 0) % open.length]!;
            const step = left[i]!.shift();
            if (step === 'send') tabs[i] = browser.tab();
            else if (step === 'process') {
              const [method, path] = ROUTES[routes[i]!]!;
              answers[i] = await tabs[i]!.send(method, path);
              t.clock.advance(delays[i % delays.length]!);
            } else browser.receive(answers[i]!);
          }
          t.clock.advance(1_000);
          const who = await (await browser.get('/whoami')).json();
          expect(who).toEqual({ state: 'active', userId: 'u1' });
          const theft = t.events.filter(
            (e) => e.type === 'rejected' && e.reason === 'theft-suspected',
          );
          expect(theft).toEqual([]);
        }
      },
    ),
    { numRuns: 300 },
  );
}, 60_000);
