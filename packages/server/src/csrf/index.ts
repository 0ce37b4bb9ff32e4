export { type CsrfGuardOptions, csrfGuard } from './csrf.js';
