/**
 * The demo page's composition root. It uses @lifeline/client the way any app would: one
 * client per tab, the drop-in dialog, and the client's events and snapshot for the UI.
 */
import { createSessionClient } from '@lifeline/client';
import { mountWarningDialog } from '@lifeline/client/dialog';
import { mountApiButtons } from './api-buttons.js';
import { mountClaimForm } from './claim-form.js';
import { loadConfig } from './config.js';
import { mountLog } from './log.js';
import { mountShell } from './shell.js';
import { mountSignIn, signInRequested } from './signin.js';
import { mountTimeline } from './timeline.js';

const config = await loadConfig();
const client = createSessionClient({ warnBefore: config.warnBeforeS * 1000 });
// Not on the form a sign-in link opened: the absolute warning would cover the very form it
// asks for. It comes once the person signed in.
let dialogMounted = false;
const mountDialog = () => {
  if (!dialogMounted) mountWarningDialog(client, { signInUrl: '/' });
  dialogMounted = true;
};
if (!signInRequested()) mountDialog();

const form = mountClaimForm(client);
const shell = mountShell(client);
mountSignIn(client, () => {
  form.restore();
  shell.render();
  mountDialog();
});
mountTimeline(client, config);
mountLog(client);
mountApiButtons(client);

// Lets the end-to-end tests read this tab's snapshot; nothing in the page depends on it.
(window as unknown as { lifelineDemo: unknown }).lifelineDemo = { client };
