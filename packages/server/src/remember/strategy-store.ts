import type { SessionStore } from '../store/types.js';

/**
 * The store each `rememberMe()` keeps its credentials in (keyed by its `reauthenticate`), for
 * `session()` to check against its own. Kept beside the strategy rather than on it: `ReauthStrategy` is the app's to
 * implement, and a field of ours there could clash with one of theirs.
 */
export const strategyStores = new WeakMap<object, SessionStore>();
