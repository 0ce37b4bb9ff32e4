import { mountWarningDialog } from '../dialog/dialog.js';
import { createSessionClient } from '../index.js';
import type { LifelineGlobal } from '../types.js';
import { readScriptTag } from './attributes.js';
import { VERSION } from './version.js';

export type { LifelineGlobal };

/**
 * Starts a client (and the dialog unless `data-dialog="false"`) from a script tag's data
 * attributes. The IIFE entry calls this once with `document.currentScript`.
 */
export function startFromScriptTag(script: HTMLScriptElement): LifelineGlobal {
  const config = readScriptTag(script.dataset);
  const client = createSessionClient({
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.warnBefore ? { warnBefore: config.warnBefore } : {}),
  });
  // A tag in <head> without `defer` runs before <body> exists: mount when it does.
  let unmount = () => {};
  const mount = () => {
    if (!config.dialog) return;
    // A dialog that cannot mount leaves no client behind: without window.Lifeline, nothing
    // could stop it polling.
    try {
      unmount = mountWarningDialog(client, {
        strings: config.strings,
        ...(config.signInUrl ? { signInUrl: config.signInUrl } : {}),
        // The tag's own nonce, only for a browser that needs a <style> element (no
        // constructable stylesheets) under a nonce-based CSP. Elsewhere a nonce would put the
        // styles in a <style> anyway, which a policy whose nonce is for scripts alone
        // (`script-src 'nonce-…'; style-src 'self'`) blocks; a constructable sheet it allows.
        ...(script.nonce && !document.adoptedStyleSheets ? { nonce: script.nonce } : {}),
      });
    } catch (error) {
      // Mounted late (at DOMContentLoaded), window.Lifeline is set by then: it goes too,
      // so a tag added again may start.
      lifeline.destroy();
      throw error;
    }
  };
  const lifeline: LifelineGlobal = {
    client,
    version: VERSION,
    destroy() {
      document.removeEventListener('DOMContentLoaded', mount);
      unmount();
      client.destroy();
      // A tag added again (a single-page app entering its signed-in part) may start anew.
      if (window.Lifeline?.client === client) delete window.Lifeline;
    },
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
  return lifeline;
}
