// @vitest-environment node
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, defaultClientConditions, type Rolldown } from 'vite';
import { afterAll, expect, it } from 'vitest';
import { leanBroadcastChannel } from '../build/lean-broadcast-channel.js';

/**
 * Gzip bytes, minified the way an app's bundler would, resolving packages as a browser
 * build does and with `broadcast-channel` kept to its native transport as our published
 * bundles ship it (see ../build/lean-broadcast-channel.ts). The design's budgets are
 * 4096 B (core) and 10240 B (everything). Everything meets its budget; the core does not
 * yet (docs/client.md, "Size"), so its ceiling sits at the measured size. Both are
 * ratchets: they only go down, except for correctness fixes, each recorded in docs/client.md
 * ("Size"): 122 B for the options' type checks and an inert client's clean-up, 24 B for
 * the type checks of the options that have no default, 11 B so that a bad option that
 * cannot be turned into a string still gets the message naming it, then 91 B for sessions
 * that follow an ending (a stale 401 no longer signs a new sign-in out, a sign-out is not
 * undone or retried into the next session) and for a destroyed or follower tab's requests,
 * then 29 B (core) and 34 B (everything) so that a successful or failed `/status` check no
 * longer drops a logout or extension still owed a retry, then 12 B (core) and 14 B
 * (everything) so that the `fetch` wrapper does not re-authenticate after a sign-out, then
 * 14 B (core) and 13 B (everything) so that an ending message with a stray `status` field
 * is refused instead of read as a status (a throw, or an ending without a reason), then
 * 24 B (everything) for the dialog shown afresh on every change, then 48 B (core) and 41 B
 * (everything) for a `fetch` wrapper that leaves other origins alone and a `pageshow`
 * re-check only on a back/forward-cache restore, then 15 B (core) and 14 B (everything) for
 * a warning window of at most half the server's idle timeout, then 20 B (everything) for
 * the dialog's signed-out notice coming back after the page replaced its <body>; then both
 * went down by 61 B (core) and 73 B (everything) in a pass that changed no behaviour; then
 * 9 B (core and everything) so that a listener removed while an event is delivered (by an
 * earlier listener, or `destroy()`) is not called, which showed an unmounted dialog again;
 * then 13 B (everything) for a dialog that keeps clear of a phone screen's edges; then 36 B
 * (core) and 38 B (everything) so that a follower extends for its own activity when a frozen
 * or throttled leader has not, instead of warning and signing out a person working in it;
 * then 12 B (core) and 8 B (everything) so that a follower waits a round trip for a slow
 * leader, another tab's activity counts from when it happened, and an extension failing
 * after the deadline ends the session instead of retrying for good; then both went down by
 * 180 B (core) and 159 B (everything) in a second pass that changed no behaviour (mostly
 * forms the minifier cannot shorten: function declarations, single-use locals and
 * constants, destructuring of values read once, null where nothing is meant); then 29 B
 * (core) and 33 B (everything) so that an extension covers all activity before it was sent,
 * and a follower waits for a live leader's slow extension, without a warning meanwhile;
 * then 6 B (core) and 7 B (everything) so that a logout stops offering a re-auth in every tab;
 * then down by 5 B and 7 B without `scroll` among the default activity events; then 46 B
 * (core) and 40 B (everything) so that the `fetch` wrapper repeats a request answered 409
 * `session_renewed` instead of signing out or re-authenticating; then 14 B (both) so that
 * tabs waking long past the deadline ask the server once, not once each; then 49 B (core) and
 * 51 B (everything) so that a sign-out that could not reach the server is not lost with the
 * tab that sent it; then 23 B (core) and 22 B (everything) for a default clock that does not
 * run back when the computer's clock is set back; then 2 B (core) and 1 B (everything) so that
 * the first `/status` answer already caps the warning window; then everything went down by
 * 300 B without the `unload` package in the bundled `broadcast-channel`; then both rose by
 * 42 B so that a refused re-auth is asked for once for the whole browser; then 6 B (core) so
 * that a poll that changes nothing keeps the same snapshot; then 1 B (core) so that a resumed
 * leader does not flash the warning; then down by 13 B (core) and 16 B (everything) with the
 * leader's re-sent logout taken back (it could sign out a newer session); then 69 B (core) and
 * 64 B (everything) for it back, safe, with a logout that names its session; then 24 B (core)
 * and 28 B (everything) so that it names the right session (a re-auth's being ended, the one
 * shown or none) and a failing one keeps its backoff; then 41 B (core) and 43 B (everything)
 * so that a page opened on a session whose sign-out the leader finished learns of it; then
 * 85 B (everything) so that the dialog refuses a `signInUrl` that is not http(s) or relative;
 * then 28 B (core) and 27 B (everything) so that followers under a frozen leader send one
 * extension, not one each; then 18 B (core) and 16 B (everything) so that an app's own re-auth
 * function finishing after a sign-out in another tab does not sign the person back in; then
 * 3 B (core) and 5 B (everything) so that tabs hear each other on a browser's clock, which
 * reads fractions of a millisecond; then 8 B (core) and 10 B (everything) so that a missing
 * cookie after a sign-out does not replace its reason (a later 401 then re-authenticated the
 * person back in); then 14 B (core) and 13 B (everything) so that a "Stay signed in" or a
 * sign-out that failed offline goes out when the network comes back, not after its backoff;
 * then 11 B (core) and 13 B (everything) so that, under a frozen leader, a follower the person
 * is not using does not flash the warning while the one they work in extends; then 15 B (core)
 * and 6 B (everything) so that a cross-tab status whose user claims JSON cannot write is
 * ignored as malformed instead of breaking the tab; then 5 B (core) and 4 B (everything) so
 * that `activity: false` keeps no session alive on tab switches; then 8 B (core) and 9 B
 * (everything) so that `refresh()` resolves with the answer to the owed request that went in
 * its place; then 24 B (core) and 43 B (everything) for a tab that took a clock-ahead tab's
 * deadlines (it threw after the next ending), the caller's abort during a re-auth, and the
 * dialog's clock, focus and strings (docs/client.md, "Size");
 * then down by 9 B (both) with a follower that extends a round trip before the warning
 * instead of every follower holding its warning back; then 8 B (both) so that a re-auth begun
 * right after a sign-out in its own tab (a "switch account") keeps its session; then 27 B
 * (core) and 31 B (everything) so that a follower that only heard of activity holds its
 * warning for a round trip, with a wake-up when the hold ends, and a re-auth that waited for
 * the lock counts from when it was asked for; then 12 B (core) and 14 B (everything) so that a
 * tab that heard of activity holds its warning as long as the tab told of it waits, and a re-
 * auth asked for after a sign-out joins one on its way with that view; then 36 B (core) and 29
 * B (everything) so that a follower's own extension counts from its own telling and a re-auth
 * call that saw another sign-out runs its own attempt; then 3 B (core) and 4 B (everything) so
 * that only a re-auth call that saw a sign-out the attempt on its way has not runs its own;
 * then 4 B (core) and 6 B (everything) so that a request from a hidden tab never re-authenticates;
 * then 6 B (core) and 8 B (everything) so that coming back to a tab inside the warning window
 * opens the warning instead of extending, and a hidden tab's request that crossed a sign-in
 * in another tab is repeated instead of rejected; then down by 3 B (core) and up by 2 B
 * (everything) so that a hidden tab's request takes another tab's re-auth on its way, and
 * a 401 that arrives after the person came back re-authenticates; then 19 B (core) and 2 B
 * (everything) so that a call that may re-authenticate, joining a hidden request's wait for
 * the lock, still tries; then 61 B (core) and 65 B (everything) so that a tab frozen while
 * it holds the re-auth lock holds the other tabs' re-auth for at most 8 × requestTimeout;
 * then 3 B (core) and 2 B (everything) so that the snapshot forgets the user once the
 * session ends; then 2 B (both) so that `activity: null` tracks no activity, as `false`;
 * then everything went down by 610 B with `broadcast-channel`'s leader election kept to its
 * Web Lock elector (a browser without Web Locks runs each tab alone); then 37 B (core) and
 * 40 B (everything) so that a leading page kept in the back/forward cache hands leadership on;
 * then 21 B (core) and 20 B (everything) so that `timers: null` and `activity.events: null`
 * are refused where the client is made, naming the option; then 55 B (core) and 47 B
 * (everything) so that tabs opened on both sides of the computer's clock set back tell each
 * other times in the wall clock, not each in its own (a person working only in a newer tab
 * was signed out while they worked); then 26 B (core) and 27 B (everything) so that a page's
 * first `/status`, answering "no session" after a sign-in it was slower than (in another tab,
 * or through `session.fetch()`), does not end it; then 2 B (everything) so that pages without
 * Web Locks (not a secure context) share the channel, every tab leading, not each alone;
 * then 26 B (core) and 25 B (everything) so that no time heard from another tab lies in this
 * tab's future (an ending dated ahead blocked the next sign-in and the keepalive), and the
 * `fetch` wrapper takes a sign-in heard of while the page's first `/status` is on its way;
 * then 6 B (core) and 8 B (everything) so that a re-auth that succeeds while the app's routes
 * still refuse the session holds the next for 30 s, not one per call; then 65 B (core) and 68 B
 * (everything) so that a 401 to a request sent before the page's first deadlines were learned
 * still re-authenticates when the replay is refused, and a heard round trip that had to be
 * capped gives no clock sample; then 22 B (core) and 19 B (everything) so that the second
 * replay keeps one shared re-auth and its hold, takes a session another call's re-auth made,
 * and honours an abort made before it; then 1 B (core) and 3 B (everything) so that a re-auth
 * declined after a sign-in in another tab still replays the call, and a browser without
 * `AbortSignal.throwIfAborted` still re-authenticates; then 1 B up (core) and 5 B down
 * (everything) with one reading of the clock per cross-tab message, so that its cap and its
 * no-sample check cannot disagree by a millisecond that ticked between them; then 71 B (core)
 * and 68 B (everything) so that the `fetch` wrapper does not repeat a non-idempotent request
 * the server refused after its handler ran (`handled`: an order placed twice); then 7 B
 * (everything) for `defaultNow` exported, the clock of the snapshot's deadlines; then 92 B
 * (everything) so that the dialog's "Save my work first" holds in every tab, and 10 B so
 * that another app's choice on the same origin does not undo it; then 11 B (core) and 12 B
 * (everything) so that input events a script dispatches (not `isTrusted`) are no activity;
 * then 37 B (both) so that coming back online sends one extension for the browser, not one
 * per tab that typed offline; then 17 B (core) and 19 B (everything) so that a follower still
 * sends its own within a round trip when the leader does not (frozen, or its poll failed);
 * then 22 B (everything) so that a tab that has not shown the absolute warning yet takes
 * another tab's "Save my work first"; then 59 B (everything) for the dialog's buttons kept
 * on a phone with large text or long words, its edge in forced colors, blank strings kept
 * English, and a sign-in URL resolved in a srcdoc frame; then down by 42 B (core) and 51 B
 * (everything) in a third pass that changed no behaviour; then 30 B (core) and 25 B
 * (everything) so that a misspelt option is refused, naming it, instead of ignored; then
 * 16 B (everything) so that mounting the dialog on a server does nothing; then 71 B (core)
 * and 78 B (everything) for four fixes to the `fetch` wrapper (a timer where
 * `AbortSignal.timeout` is missing, problem+json 401s only, an `AbortError` where a signal
 * has no `reason`, no lock wait after `destroy()`), while everything went down by 160 B
 * with `broadcast-channel`'s unused option defaults left out; then 26 B (core) and 27 B
 * (everything) so that a 401 whose caller aborted during a re-auth that then fails still
 * ends the session in every tab; then 41 B (core) and 47 B (everything) so that the timer
 * standing in for `AbortSignal.timeout` and the abort listener of a call waiting for a
 * re-auth are removed once the wait is over; then 24 B (everything) so that the dialog
 * comes back when the browser closes it on an Escape it does not let the page cancel; then
 * 8 B (core) so that a tab's own guess that the session expired stays its own and
 * listeners read the snapshot of their event, while everything went down by 2 B with
 * `broadcast-channel` no longer dropping messages by the sender's clock (11 B less); then
 * 43 B (core) so that deadlines no server sends for a live session are refused, a session
 * route's 401 that is no problem document ends nothing, and `destroy()` gives an app
 * re-auth's lock back, while everything went down by 290 B with `broadcast-channel`'s
 * method chooser answering its native transport (341 B less); then 6 B (everything) so that
 * `broadcastChannel` opens no channel on a server, where Node has one of its own; then 32 B
 * (everything) for a dialog that can be used over a page's modal that made the rest of
 * <body> inert, before it opened or since; then 34 B (everything) for a dialog that refuses
 * a misspelt option (docs/dialog-and-script-tag.md, "Size"); then 14 B (both) so that a
 * leader waking inside the warning window extends for its own activity from before it;
 * then 8 B (everything) so that the dialog checks its options as the client does; then 52 B
 * (core) and 48 B (everything) so that an unusable `Session-Deadline` header on an app
 * response is reported as an `error` event instead of dropped; then 24 B (everything) so
 * that a channel message without `broadcast-channel`'s wrapping is refused, not thrown; then
 * 48 B (core) and 49 B (everything) so that a sign-out wins its millisecond and answers sent
 * before it bring nothing back, an `idleTimeoutMs` shorter than its deadline is not believed,
 * a sign-out answered by a proxy's page is retried, and `willRetry` tells the truth; then
 * 18 B (core) and 20 B (everything) so that a sign-in in the sign-out's millisecond is still
 * taken and a voided poll is not asked again at once; then 16 B (core) and 18 B (everything)
 * so that what a sign-out voids ends with the next session learned, a second `logout()`
 * keeps it, and an answer's user and re-auth offer come only with its deadlines; then 84 B
 * (everything) for the dialog's fixes of two reviews: focus on the title in the absolute
 * warning and the notice (keys there scroll nothing), a notice after its own "Sign out", and
 * colours and a focus ring a page's element rules cannot take away
 * (docs/dialog-and-script-tag.md, "Size"), less 29 B with `broadcast-channel`'s error for a
 * post after `close()` shortened (the SDK never posts then; ../build/lean-broadcast-channel.ts);
 * then 6 B (core) and 7 B (everything) so that a request sent before a sign-out is not
 * repeated with the cookie of a sign-in made after it, perhaps by another person.
 */
const CORE_BUDGET = 6083;
const EVERYTHING_BUDGET = 10237;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'lifeline-size-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Bundles `source` (an entry module's text) with everything it imports, minified; gzip bytes. */
async function gzipBytes(name: string, source: string): Promise<number> {
  const entry = join(scratch, `${name}.ts`);
  writeFileSync(entry, source);
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [leanBroadcastChannel()],
    resolve: { conditions: ['lifeline-source', ...defaultClientConditions] },
    build: {
      write: false,
      minify: true,
      // Vite keeps whitespace in ES library output; an app's bundler would not.
      rolldownOptions: { output: { minify: true } },
      lib: { entry, formats: ['es'], fileName: name },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const code = outputs
    .flatMap((o) => o.output)
    .map((chunk) => (chunk.type === 'chunk' ? chunk.code : ''))
    .join('\n');
  const bytes = gzipSync(code, { level: 9 }).length;
  console.info(`[size] ${name}: ${code.length} B minified, ${bytes} B gzip`);
  return bytes;
}

it(`keeps the core (no broadcast-channel, no dialog) within ${CORE_BUDGET} B gzip`, async () => {
  const source = `export * from ${JSON.stringify(here('./core.ts'))};`;
  expect(await gzipBytes('core', source)).toBeLessThanOrEqual(CORE_BUDGET);
});

it(`keeps everything (client, broadcast-channel, dialog) within ${EVERYTHING_BUDGET} B gzip`, async () => {
  const parts = ['./index.ts', './dialog/index.ts'].filter((p) => existsSync(here(p)));
  const source = parts.map((p) => `export * from ${JSON.stringify(here(p))};`).join('\n');
  expect(await gzipBytes('everything', source)).toBeLessThanOrEqual(EVERYTHING_BUDGET);
});
