import { checkSignInUrl } from '../dialog/sign-in-url.js';
import { type DialogStrings, defaultStrings } from '../dialog/strings.js';

/** What a `<script src=".../client.js" data-*>` tag asks for. */
export interface ScriptTagConfig {
  /** `data-endpoint`: base path of the session routes. Default `/session`. */
  endpoint?: string;
  /** `data-warn-before`: seconds of warning before a deadline (at least 20). */
  warnBefore?: number;
  /** `data-sign-in-url`: where "Sign in again" leads. */
  signInUrl?: string;
  /** `data-dialog="false"`: start the client only, without the warning dialog. */
  dialog: boolean;
  /** `data-strings-<key>` (e.g. `data-strings-stay="Rester connecté"`): dialog words. */
  strings: Partial<DialogStrings>;
}

const STRINGS_PREFIX = 'strings';

/** The dialog's string keys, which `data-strings-<key>` names. */
const STRING_KEYS = Object.keys(defaultStrings);

/** `signOut` as its attribute spells it: `sign-out`. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The tag's own attributes, as `dataset` names them; `data-strings-*` aside. */
const NAMES = ['endpoint', 'warnBefore', 'signInUrl', 'dialog'];

/** A name as a misspelling may write it: any case (HTML lower-cases attributes), any dashes. */
const loose = (name: string) => name.replace(/-/g, '').toLowerCase();

/**
 * The attribute a near-miss of ours was meant to be, if any: `data-signInUrl` (which HTML
 * reads as `data-signinurl`), `data-signin-url`, `data-warnBefore`, `data-string-stay`.
 * Ignored like another tool's attribute, it would send people to `/` or leave the dialog's
 * defaults with no word.
 */
function meant(name: string): string | undefined {
  const own = NAMES.find((known) => known !== name && loose(known) === loose(name));
  if (own) return `data-${kebab(own)}`;
  // `data-string-stay`, not another tool's `data-string-id`: only a key the dialog has.
  const key = /^string[A-Z]/.test(name) && name.charAt(6).toLowerCase() + name.slice(7);
  if (key && STRING_KEYS.includes(key)) return `data-strings-${kebab(key)}`;
}

/** Whether `url` is on the page's origin, resolved as `fetch` resolves it. */
function onPageOrigin(url: string): boolean {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

/** Refuses a value given empty: the attribute was meant to say something. */
function filled(value: string | undefined, name: string): string | undefined {
  if (value === '') throw new TypeError(`Lifeline: ${name} must not be empty (got "")`);
  return value;
}

/**
 * Reads the configuration from a script tag's `data-*` attributes. Attributes that are not
 * Lifeline's are ignored (a page may tag its scripts for other tools); a malformed or empty
 * value of one of ours, or a `data-strings-*` key that names no dialog string, is refused
 * with a message naming the attribute, since a silent fallback would hide a typo until the
 * first unexpected sign-out, or leave the dialog in English.
 */
export function readScriptTag(dataset: DOMStringMap): ScriptTagConfig {
  const { dialog = 'true' } = dataset;
  if (dialog !== 'true' && dialog !== 'false' && dialog !== '') {
    throw new TypeError(`Lifeline: data-dialog must be "true" or "false" (got "${dialog}")`);
  }
  for (const name of Object.keys(dataset)) {
    const instead = meant(name);
    if (instead) {
      throw new TypeError(
        `Lifeline: data-${kebab(name)} is not an attribute of Lifeline's; did you mean ${instead}?`,
      );
    }
  }
  const config: ScriptTagConfig = { dialog: dialog !== 'false', strings: {} };
  // Spaces around it (a template's line break) are dropped, as a URL's are.
  const endpoint = filled(dataset.endpoint?.trim(), 'data-endpoint');
  // A path relative to the page's ("session") works on "/" only: on /app/orders/42 the
  // client would poll /app/orders/session/status, a 404, for ever, and never warn. One on
  // another origin (`//api.example.com/session`, `/\\host/…`) gets no session cookie (the
  // client's requests carry the page's own) and fails the routes' CSRF guard: the same.
  if (endpoint !== undefined && !(/^(\/|https?:)/i.test(endpoint) && onPageOrigin(endpoint))) {
    throw new TypeError(
      `Lifeline: data-endpoint must be a path from the site's root ("/session") or a URL on the page's origin (got "${endpoint}")`,
    );
  }
  if (endpoint !== undefined) config.endpoint = endpoint;
  const signInUrl = filled(dataset.signInUrl, 'data-sign-in-url');
  if (signInUrl !== undefined) config.signInUrl = checkSignInUrl(signInUrl, 'data-sign-in-url');
  if (dataset.warnBefore !== undefined) {
    const seconds = Number(dataset.warnBefore);
    if (!Number.isFinite(seconds) || seconds < 20) {
      throw new TypeError(
        `Lifeline: data-warn-before must be a number of seconds, at least 20 (got "${dataset.warnBefore}")`,
      );
    }
    config.warnBefore = seconds * 1000;
  }
  for (const [name, value] of Object.entries(dataset)) {
    // `data-strings-<key>` only (`stringsKey`): another tool's `data-stringsify` is not ours.
    if (/^strings[A-Z-]/.test(name)) {
      const rest = name.slice(STRINGS_PREFIX.length);
      const key = rest.charAt(0).toLowerCase() + rest.slice(1);
      if (!STRING_KEYS.includes(key)) {
        throw new TypeError(
          `Lifeline: data-${kebab(name)} names no dialog string (known: ${STRING_KEYS.map((k) => `data-strings-${kebab(k)}`).join(', ')})`,
        );
      }
      // An empty one keeps the English words, as the dialog's `strings` option does.
      if (value) (config.strings as Record<string, string>)[key] = value;
    }
  }
  return config;
}
