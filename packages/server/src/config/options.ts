import type { Context } from 'hono';
import type { SessionEventHandler } from '../events/types.js';
import type { ReauthStrategy } from '../session/types.js';
import type { SessionStore } from '../store/types.js';

/** What `session()` does when a known session is presented with an older token. */
export type TheftResponse = 'log' | 'revoke';

/** Options of `session()`. Every duration is in milliseconds. */
export interface SessionOptions {
  /** Where sessions live. Default: `memoryStore()` (one process only). */
  store?: SessionStore;
  /** Sliding inactivity limit. Default 30 min. */
  idleTimeout?: number;
  /** Hard limit from creation; never slides. Default 8 h, at most 400 days, not under `idleTimeout`. */
  absoluteTimeout?: number;
  /** Minimum time between idle-deadline writes (throttled touch). Default `idleTimeout / 10`; under `idleTimeout`. */
  touchInterval?: number;
  /** Periodic token rotation interval. Default 15 min. */
  rotationInterval?: number;
  /** How long the previous token still resolves after a rotation. Default 10 s, at most 60 s and under `rotationInterval`. */
  rotationGrace?: number;
  /** Hashes ids with HMAC-SHA-256 under this key (≥ 32 bytes) instead of plain SHA-256. Default none. */
  secret?: string;
  cookie?: {
    /** Cookie name; `__Host-` is prefixed on HTTPS. Default `lifeline`. */
    name?: string;
    /** Default `Lax`. `None` requires `secure: true`. */
    sameSite?: 'Lax' | 'Strict' | 'None';
    /** `auto` (default): Secure and `__Host-` exactly when the request is HTTPS. */
    secure?: 'auto' | boolean;
  };
  /** Trust `X-Forwarded-Proto` to decide whether the request is HTTPS. Default `false`. */
  trustProxy?: boolean;
  /**
   * Origins of the app's own pages besides the request's own, e.g.
   * `['https://app.example.com']` for an API on `api.example.com`: their requests (which
   * carry `Origin`) count as the person's activity and may rotate the token, as same-origin
   * ones do. Requests other sites start are passive. Default none.
   */
  origins?: readonly string[];
  /** The clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Silent re-authentication behind `POST /reauth` and `canReauth`. Default none. */
  reauth?: ReauthStrategy;
  /** Audit hook for lifecycle events. Default none. */
  onEvent?: SessionEventHandler;
  /** A replayed older token: `log` (default) rejects it; `revoke` also ends the session. */
  onTheft?: TheftResponse;
  /**
   * Coarse location of the device (a CDN's country header, a GeoIP city: never precise),
   * asked once when a session is created and shown in the user's session list. A throw or
   * a non-string counts as unknown (a throw is reported to `console.error`). Not awaited: an async
   * function's answer is unknown too, and its rejection is reported. Default none.
   */
  location?: (c: Context) => string | null | undefined;
  /** React to a `User-Agent` change mid-session: `false` (default), `log`, or `revoke`. */
  bindUserAgent?: false | 'log' | 'revoke';
  /** Live sessions allowed per user, enforced on `regenerate({ userId })`. Default unlimited. */
  maxSessionsPerUser?: number;
  /** At the limit: `evict-oldest` (default) ends the oldest session; `refuse` throws `SessionLimitError`. */
  onSessionLimit?: 'evict-oldest' | 'refuse';
  /** A store call slower than this counts as an outage (503). Default 2000 ms. */
  storeTimeout?: number;
  /** `Clear-Site-Data` directives sent by `destroy()`. Default `['cookies']`; `cache` stalls Chromium, opt-in only. */
  clearSiteData?: Array<'cookies' | 'storage' | 'cache'>;
}

/** Options after validation and defaults: what the middleware runs on. */
export interface ResolvedOptions {
  store: SessionStore;
  idleTimeout: number;
  absoluteTimeout: number;
  touchInterval: number;
  rotationInterval: number;
  rotationGrace: number;
  secret: string | undefined;
  cookie: { name: string; sameSite: 'Lax' | 'Strict' | 'None'; secure: 'auto' | boolean };
  trustProxy: boolean;
  /** The listed origins, bare (see `SessionOptions.origins`). */
  origins: ReadonlySet<string>;
  now: () => number;
  reauth: ReauthStrategy | null;
  onEvent: SessionEventHandler | undefined;
  location: ((c: Context) => string | null | undefined) | null;
  onTheft: TheftResponse;
  bindUserAgent: false | 'log' | 'revoke';
  maxSessionsPerUser: number | null;
  onSessionLimit: 'evict-oldest' | 'refuse';
  storeTimeout: number;
  clearSiteData: Array<'cookies' | 'storage' | 'cache'>;
}
