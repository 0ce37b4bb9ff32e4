export { type RequireSessionOptions, requireSession } from './require-session.js';
