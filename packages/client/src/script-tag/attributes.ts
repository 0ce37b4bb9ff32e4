import { checkSignInUrl } from '../dialog/sign-in-url.js';
import type { DialogStrings } from '../dialog/strings.js';

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

/**
 * Reads the configuration from a script tag's `data-*` attributes. Unknown attributes are
 * ignored; a malformed number or sign-in URL is refused with a message naming the
 * attribute, since a silent fallback would hide a typo until the first unexpected sign-out.
 */
export function readScriptTag(dataset: DOMStringMap): ScriptTagConfig {
  const config: ScriptTagConfig = { dialog: dataset.dialog !== 'false', strings: {} };
  if (dataset.endpoint) config.endpoint = dataset.endpoint;
  if (dataset.signInUrl) config.signInUrl = checkSignInUrl(dataset.signInUrl, 'data-sign-in-url');
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
    if (name.startsWith(STRINGS_PREFIX) && name.length > STRINGS_PREFIX.length && value) {
      const key = name.slice(STRINGS_PREFIX.length);
      const strings = config.strings as Record<string, string>;
      strings[key.charAt(0).toLowerCase() + key.slice(1)] = value;
    }
  }
  return config;
}
