import { expect, it } from 'vitest';
import { signedInBrowser } from '../shell/signed-in.fixture.js';

const MIN = 60_000;

// An app's event listener that reads the snapshot (to render, or to log it) sees the state
// from before the event: events are emitted before the snapshot is updated.
it('a listener of warning / expired reads the snapshot that event describes', async () => {
  const { browser, server, step } = signedInBrowser(); // idle 10 min, warnBefore 2 min
  const tab = browser.openTab({ fetch: server.fetch });
  const seen: string[] = [];
  tab.client.on('warning', () => seen.push(`warning: ${tab.client.getSnapshot().state}`));
  tab.client.on('expired', () => seen.push(`expired: ${tab.client.getSnapshot().state}`));
  await step(0);
  await step(8 * MIN);
  await step(2 * MIN);
  expect(seen).toEqual(['warning: warning', 'expired: expired']);
  tab.close();
});
