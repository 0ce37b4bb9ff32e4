import { expect, it, vi } from 'vitest';

// The dialog fails to mount (as it does in a srcdoc or about:blank frame, where
// `location.href` is no base for the default sign-in URL "/").
vi.mock('../dialog/dialog.js', () => ({
  mountWarningDialog: () => {
    throw new TypeError(
      'Lifeline: option "signInUrl" must be an http(s) or relative URL (got "/")',
    );
  },
}));
const destroy = vi.fn();
vi.mock('../index.js', () => ({
  createSessionClient: () => ({ destroy, getSnapshot: () => ({ state: 'unknown' }) }),
}));

it('leaves no client running, unreachable, when the dialog fails to mount', async () => {
  const { startFromScriptTag } = await import('./start.js');
  expect(() => startFromScriptTag(document.createElement('script'))).toThrow(/signInUrl/);
  // No window.Lifeline is defined, so nothing can ever stop this client: the tag must.
  expect(destroy).toHaveBeenCalled();
});

it('takes window.Lifeline away too when the dialog fails to mount at DOMContentLoaded', async () => {
  destroy.mockClear();
  const { startFromScriptTag } = await import('./start.js');
  const body = document.body;
  body.remove(); // a tag in <head> without `defer`: no <body> yet
  try {
    window.Lifeline = startFromScriptTag(document.createElement('script'));
    document.documentElement.append(body);
    // The listener's throw is the page's to see; the tag must still clean up.
    const onError = vi.fn((event: Event) => event.preventDefault());
    window.addEventListener('error', onError);
    try {
      document.dispatchEvent(new Event('DOMContentLoaded'));
    } catch {
      // happy-dom may rethrow a listener's error to the dispatcher
    }
    window.removeEventListener('error', onError);
  } finally {
    if (!document.body) document.documentElement.append(body);
  }
  expect(destroy).toHaveBeenCalled();
  // A tag added again may start: nothing points at the dead client.
  expect(window.Lifeline).toBeUndefined();
});
