import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubFetchWithNoSession } from './no-session.fixture.js';
import { startFromScriptTag } from './start.js';

/** A detached tag: the entry only reads its data attributes, nothing needs loading. */
function scriptTag(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
}

beforeEach(() => {
  document.body.innerHTML = '';
  stubFetchWithNoSession();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('startFromScriptTag', () => {
  it('starts a client against data-endpoint and mounts the dialog', async () => {
    const lifeline = startFromScriptTag(scriptTag({ 'data-endpoint': '/auth/session' }));
    expect(lifeline.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(document.querySelector('dialog.lifeline-dialog')).not.toBeNull();
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    const [url] = vi.mocked(fetch).mock.calls[0] ?? [];
    expect(String(url)).toContain('/auth/session/status');
    lifeline.destroy();
    expect(document.querySelector('dialog.lifeline-dialog')).toBeNull();
  });

  it('starts the client alone with data-dialog="false"', () => {
    const lifeline = startFromScriptTag(scriptTag({ 'data-dialog': 'false' }));
    expect(document.querySelector('dialog')).toBeNull();
    expect(typeof lifeline.client.fetch).toBe('function');
    lifeline.destroy();
  });

  it('refuses a javascript: data-sign-in-url at once, before starting anything', async () => {
    expect(() =>
      startFromScriptTag(scriptTag({ 'data-sign-in-url': 'javascript:alert(1)' })),
    ).toThrow(/data-sign-in-url/);
    await Promise.resolve();
    expect(fetch).not.toHaveBeenCalled();
    expect(document.querySelector('dialog')).toBeNull();
  });

  /** A tag carrying a CSP nonce, read as browsers keep it: in the property, not the attribute. */
  function nonceTag(): HTMLScriptElement {
    const script = scriptTag({});
    script.nonce = 'r4nd0m';
    return script;
  }

  it("keeps a nonce'd tag's dialog styles in a constructable sheet, where the browser has them", () => {
    // A page whose nonce is for scripts only (`script-src 'nonce-…'; style-src 'self'`)
    // blocks a <style nonce>, so the tag's nonce must not turn the sheet into one.
    const lifeline = startFromScriptTag(nonceTag());
    expect(document.querySelector('dialog.lifeline-dialog style')).toBeNull();
    expect(document.adoptedStyleSheets).toHaveLength(1);
    lifeline.destroy();
    expect(document.adoptedStyleSheets).toHaveLength(0);
  });

  it("passes the tag's nonce to a <style> where there are no constructable stylesheets", () => {
    Object.defineProperty(document, 'adoptedStyleSheets', { configurable: true, value: undefined });
    try {
      const lifeline = startFromScriptTag(nonceTag());
      const style = document.querySelector('dialog.lifeline-dialog style') as HTMLStyleElement;
      expect(style.nonce).toBe('r4nd0m');
      lifeline.destroy();
    } finally {
      delete (document as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
    }
  });

  it('in <head> without defer (no <body> yet) mounts the dialog once the document is parsed', () => {
    const body = document.body;
    body.remove();
    try {
      const lifeline = startFromScriptTag(scriptTag({}));
      expect(document.querySelector('dialog')).toBeNull();
      document.documentElement.append(body);
      document.dispatchEvent(new Event('DOMContentLoaded'));
      expect(document.querySelector('dialog.lifeline-dialog')).not.toBeNull();
      lifeline.destroy();
      expect(document.querySelector('dialog.lifeline-dialog')).toBeNull();
    } finally {
      if (!body.isConnected) document.documentElement.append(body);
    }
  });
});
