// @vitest-environment node
// docs/client.md and `ReauthFunction`'s own comment: "Resolve `true` (or nothing) once the
// server holds a fresh session". An app's re-auth that resolves nothing must type-check
// (checked by `npm run check`) and count as success at runtime (checked here).
import { describe, expect, it } from 'vitest';
import { createFakeServer, createSimulatedBrowser, flush } from './testing/index.js';
import type { ReauthFunction, SessionClientOptions } from './types.js';

const popup = async (_signal: AbortSignal): Promise<void> => {};

// Fails `tsc --noEmit` today: Type 'Promise<void>' is not assignable to type
// 'Promise<boolean | undefined>'.
const resolvesNothing: ReauthFunction = async ({ signal }) => {
  await popup(signal);
};
const options: SessionClientOptions = { reauth: resolvesNothing };

describe('a re-auth function that resolves nothing', () => {
  it('is a success, as documented', async () => {
    const browser = createSimulatedBrowser();
    const server = createFakeServer({ now: browser.clock.now });
    server.signIn();
    const tab = browser.openTab({ ...options, fetch: server.fetch });
    await flush();
    server.end('idle-timeout');
    const reauth: ReauthFunction = async () => {
      server.signIn();
    };
    const other = browser.openTab({ reauth, fetch: server.fetch });
    await flush();
    expect(await other.client.reauthenticate()).toBe(true);
    tab.close();
    other.close();
  });
});
