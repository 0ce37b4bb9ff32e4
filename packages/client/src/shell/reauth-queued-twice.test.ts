import { describe, expect, it } from 'vitest';
import { signedInBrowser } from './signed-in.fixture.js';

describe('two concurrent 401s in one tab, the session ending between them', () => {
  it('runs the app re-auth function once for the one need, even when it is declined', async () => {
    const { browser, server, open, step } = signedInBrowser();
    let calls = 0;
    let decline = () => {};
    const a = browser.openTab({
      fetch: server.fetch,
      reauth: () => {
        calls++;
        return new Promise<boolean>((resolve) => {
          decline = () => resolve(false);
          // A second prompt would be declined too.
          if (calls > 1) resolve(false);
        });
      },
    });
    const b = open();
    await step(1_000);
    expect(await b.client.logout()).toBe(true); // an earlier sign-out ...
    await step(1_000);
    server.signIn(); // ... then a fresh sign-in on the login page
    void a.client.refresh();
    await step(1_000);
    expect(a.client.getSnapshot().state).toBe('active');
    await step(1_000);
    server.end('idle-timeout');
    const first = a.client.fetch('/api/one').catch(() => 'rejected');
    await step(0);
    expect(calls).toBe(1);
    void a.client.refresh(); // the tab learns the session ended (a poll, say)
    await step(0);
    expect(a.client.getSnapshot().state).not.toBe('active');
    const second = a.client.fetch('/api/two').catch(() => 'rejected');
    await step(0);
    decline(); // the person declines the one re-auth prompt
    await step(1_000);
    await Promise.all([first, second]);
    expect(calls).toBe(1);
    for (const t of [a, b]) t.close();
  });
});
