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
