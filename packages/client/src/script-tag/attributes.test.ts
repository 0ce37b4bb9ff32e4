import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { readScriptTag } from './attributes.js';
import { VERSION } from './version.js';

function tag(html: string): DOMStringMap {
  const host = document.createElement('div');
  host.innerHTML = html;
  return (host.firstElementChild as HTMLScriptElement).dataset;
}

describe('readScriptTag', () => {
  it('starts the dialog with defaults when the tag has no data attributes', () => {
    expect(readScriptTag(tag('<script src="/session/client.js"></script>'))).toEqual({
      dialog: true,
      strings: {},
    });
  });

  it('reads endpoint, warning time in seconds, sign-in URL and the dialog opt-out', () => {
    const config = readScriptTag(
      tag(
        '<script data-endpoint="/auth/session" data-warn-before="90" data-sign-in-url="/login" data-dialog="false"></script>',
      ),
    );
    expect(config).toEqual({
      endpoint: '/auth/session',
      warnBefore: 90_000,
      signInUrl: '/login',
      dialog: false,
      strings: {},
    });
  });

  it('maps data-strings-* attributes onto dialog strings', () => {
    const config = readScriptTag(
      tag(
        '<script data-strings-stay="Rester connecté" data-strings-sign-out="Se déconnecter"></script>',
      ),
    );
    expect(config.strings).toEqual({ stay: 'Rester connecté', signOut: 'Se déconnecter' });
  });

  it('refuses a warning shorter than 20 seconds, naming the attribute', () => {
    expect(() => readScriptTag(tag('<script data-warn-before="5"></script>'))).toThrow(
      /data-warn-before/,
    );
    expect(() => readScriptTag(tag('<script data-warn-before="soon"></script>'))).toThrow(
      /at least 20/,
    );
  });

  it('accepts an http(s) or relative data-sign-in-url', () => {
    for (const url of ['/login', 'login', 'https://id.example.com/login', '//id.example.com/x']) {
      const dataset = tag('<script></script>');
      dataset.signInUrl = url;
      expect(readScriptTag(dataset).signInUrl).toBe(url);
    }
  });

  it('refuses a data-sign-in-url of any other scheme, or not a URL, naming the attribute', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,x',
      'https://[',
    ]) {
      const dataset = tag('<script></script>');
      dataset.signInUrl = url;
      expect(() => readScriptTag(dataset)).toThrow(
        new TypeError(
          `Lifeline: data-sign-in-url must be an http(s) or relative URL (got "${url}")`,
        ),
      );
    }
  });

  it('takes data-dialog as "true" or "false" only, naming the attribute otherwise', () => {
    for (const value of ['', 'true']) {
      expect(readScriptTag(tag(`<script data-dialog="${value}"></script>`)).dialog).toBe(true);
    }
    for (const value of ['False', '0', 'no', 'off']) {
      expect(() => readScriptTag(tag(`<script data-dialog="${value}"></script>`))).toThrow(
        new TypeError(`Lifeline: data-dialog must be "true" or "false" (got "${value}")`),
      );
    }
  });

  it('refuses an empty data-sign-in-url or data-endpoint instead of falling back', () => {
    for (const name of ['sign-in-url', 'endpoint']) {
      expect(() => readScriptTag(tag(`<script data-${name}=""></script>`))).toThrow(
        new RegExp(`data-${name} .*\\(got ""\\)`),
      );
    }
  });

  it("leaves another tool's data-strings… attribute alone: only data-strings-<key> is ours", () => {
    expect(() => readScriptTag(tag('<script data-stringsify="on"></script>'))).not.toThrow();
    expect(readScriptTag(tag('<script data-stringsstay="Rester"></script>')).strings).toEqual({});
  });

  it('refuses a data-strings-* attribute that names no dialog string', () => {
    expect(() =>
      readScriptTag(tag('<script data-strings-stay-signed-in="Rester"></script>')),
    ).toThrow(/data-strings-stay-signed-in names no dialog string/);
  });

  // HTML lower-cases attribute names, so `data-signInUrl` arrives as `data-signinurl`:
  // ignored, it sent people to "/" instead of the sign-in page, with no word.
  it.each([
    ['data-signInUrl="/login"', 'data-signinurl', 'data-sign-in-url'],
    ['data-signin-url="/login"', 'data-signin-url', 'data-sign-in-url'],
    ['data-warnBefore="60"', 'data-warnbefore', 'data-warn-before'],
    ['data-end-point="/auth"', 'data-end-point', 'data-endpoint'],
    ['data-string-stay="Rester"', 'data-string-stay', 'data-strings-stay'],
  ])('refuses %s, naming the attribute meant', (attribute, written, instead) => {
    expect(() => readScriptTag(tag(`<script ${attribute}></script>`))).toThrow(
      new TypeError(
        `Lifeline: ${written} is not an attribute of Lifeline's; did you mean ${instead}?`,
      ),
    );
  });

  it("leaves another tool's attributes alone, near ones included", () => {
    const others = [
      'data-stringify="on"',
      'data-sign-in="x"',
      'data-dialogs="2"',
      'data-string-id="7"',
      'data-string-constructor="x"',
      'data-string-to-string="x"',
    ];
    for (const attribute of others) {
      expect(() => readScriptTag(tag(`<script ${attribute}></script>`))).not.toThrow();
    }
  });

  it('refuses a data-endpoint relative to the page or on another origin: no session there', () => {
    // Relative to the page, it misses the routes on deeper pages; on another origin it gets
    // no session cookie and fails the routes' CSRF guard.
    const elsewhere = ['//api.example/s', '/\\api.example/s', 'https://auth.example:8443/s'];
    for (const endpoint of ['session', './session', '../session', 'api/session', ...elsewhere]) {
      expect(() => readScriptTag(tag(`<script data-endpoint="${endpoint}"></script>`))).toThrow(
        `data-endpoint must be a path from the site's root ("/session") or a URL on the page's origin (got "${endpoint}")`,
      );
    }
    const own = location.origin;
    const fine = [
      '/session',
      '/session/',
      `${own}/s`,
      `${own.toUpperCase()}/s`,
      `//${location.host}/s`,
    ];
    for (const endpoint of fine) {
      expect(readScriptTag(tag(`<script data-endpoint="${endpoint}"></script>`)).endpoint).toBe(
        endpoint,
      );
    }
    // A template's line break around it is dropped; only spaces are refused as empty.
    expect(readScriptTag(tag('<script data-endpoint="\n  /session "></script>')).endpoint).toBe(
      '/session',
    );
    expect(() => readScriptTag(tag('<script data-endpoint="  "></script>'))).toThrow(
      'data-endpoint must not be empty',
    );
  });

  it('reports the version published in package.json', () => {
    expect(VERSION).toBe(packageJson.version);
  });
});
