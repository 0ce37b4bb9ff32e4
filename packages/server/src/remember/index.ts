export type { RememberEvent, RememberMeOptions } from './options.js';
export { type RememberMe, rememberMe } from './remember.js';
