import { afterEach, describe, expect, it } from 'vitest';
import { mountWarningDialog } from '../dialog/dialog.js';
import type { SessionEvent } from '../types.js';
import { signedInBrowser } from './signed-in.fixture.js';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A tab on a live session that the server then revokes; `end()` makes the tab learn it. */
async function revokedTab() {
  const { open, step, server } = signedInBrowser();
  const tab = open();
  await step(0);
  const end = async () => {
    server.end('revoked');
    await tab.client.refresh();
    await step(0);
  };
  return { tab, end };
}

describe('a listener removed while an event is being delivered', () => {
  it('is not called, when an earlier listener of the same event removed it', async () => {
    const { tab, end } = await revokedTab();
    const heard: string[] = [];
    let stop = () => {};
    tab.client.on('expired', () => stop());
    stop = tab.client.on('expired', () => heard.push('removed listener'));
    await end();
    expect(tab.client.getSnapshot().state).toBe('expired');
    expect(heard).toEqual([]);
  });

  it('is not called after an earlier listener destroyed the client', async () => {
    const { tab, end } = await revokedTab();
    const heard: SessionEvent[] = [];
    tab.client.on('expired', () => tab.client.destroy());
    tab.client.on('expired', (e) => heard.push(e));
    await end();
    expect(heard).toEqual([]);
  });

  it('leaves no dialog in the page when an earlier listener unmounted it', async () => {
    const { tab, end } = await revokedTab();
    let unmount = () => {};
    // The app leaves for its own sign-in view when the session ends, and takes the dialog down.
    tab.client.on('expired', () => unmount());
    unmount = mountWarningDialog(tab.client);
    await end();
    expect(document.querySelector('dialog')).toBeNull();
  });
});
