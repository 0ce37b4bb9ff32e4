// @vitest-environment node
// README ("The SDK in an app you bundle") creates the client and mounts the dialog at module
// top level; docs/client.md says the client is inert on a server so "server-side rendering
// leaves nothing running". A module like that, imported by an SSR framework's server
// render, must not throw, and certainly not blame a valid `signInUrl`.
import { expect, it } from 'vitest';
import { createSessionClient } from '../index.js';
import { mountWarningDialog } from './index.js';

it('mounting the dialog on a server (no document, no location) does nothing', () => {
  const client = createSessionClient();
  // Today: TypeError 'Lifeline: option "signInUrl" must be an http(s) or relative URL
  // (got "/sign-in")', from checkSignInUrl resolving against the missing `location`.
  expect(() => mountWarningDialog(client, { signInUrl: '/sign-in' })()).not.toThrow();
  client.destroy();
});
