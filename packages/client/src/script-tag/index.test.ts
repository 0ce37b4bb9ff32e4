import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { stubFetchWithNoSession } from './no-session.fixture.js';

/** Runs the IIFE entry as a browser runs a fresh copy of the tag (`null`: a module script). */
async function runTag(attributes: Record<string, string> | null = {}) {
  const script = attributes && document.createElement('script');
  for (const [name, value] of Object.entries(attributes ?? {})) script!.setAttribute(name, value);
  if (script) document.body.append(script);
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script });
  vi.resetModules();
  try {
    await import('./index.js');
  } finally {
    delete (document as { currentScript?: unknown }).currentScript;
  }
}

beforeEach(() => {
  document.body.innerHTML = '';
  stubFetchWithNoSession();
});
afterEach(() => {
  window.Lifeline?.destroy();
  delete window.Lifeline;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

// Safari before 15.4 has no BroadcastChannel (each tab then runs alone, as the docs say)
// and no `Object.hasOwn` either.
it('starts in a browser without Object.hasOwn', async () => {
  const hasOwn = Object.hasOwn;
  // @ts-expect-error: what those browsers lack
  delete Object.hasOwn;
  try {
    await runTag({ 'data-dialog': 'false' });
  } finally {
    Object.hasOwn = hasOwn;
  }
  expect(window.Lifeline?.client.getSnapshot()).toBeDefined();
});

it('leaves no window.Lifeline after destroy(), so a tag added again starts again', async () => {
  await runTag();
  expect(document.querySelectorAll('dialog')).toHaveLength(1);
  window.Lifeline!.destroy();
  expect(document.querySelectorAll('dialog')).toHaveLength(0);
  expect(Object.hasOwn(window, 'Lifeline')).toBe(false);
  await runTag();
  expect(document.querySelectorAll('dialog')).toHaveLength(1);
});

it('starts one client for two tags, and says the second one is not used', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  await runTag({ 'data-dialog': 'false' });
  const first = window.Lifeline;
  expect(warn).not.toHaveBeenCalled();
  // A page's own tag after its layout's: the dialog it asks for never comes.
  await runTag({ 'data-sign-in-url': '/login' });
  expect(window.Lifeline).toBe(first);
  expect(document.querySelectorAll('dialog')).toHaveLength(0);
  expect(warn).toHaveBeenCalledWith(
    expect.stringMatching(/^Lifeline: client\.js is included more than once/),
  );
});

it('says nothing when the one tag runs again in a new <body> (Turbo visits)', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  await runTag();
  // Turbo swaps <body> and re-creates its scripts so that they run: one tag in the page.
  document.body.innerHTML = '';
  await runTag();
  expect(warn).not.toHaveBeenCalled();
});

it('says why a type="module" tag (which has no currentScript) starts nothing', async () => {
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  await runTag(null);
  expect(window.Lifeline).toBeUndefined();
  expect(error).toHaveBeenCalledWith(expect.stringContaining('classic <script> tag'));
});
