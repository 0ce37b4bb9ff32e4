/**
 * The public API of `@lifeline/client`. The dialog and the script-tag entry are built
 * against this file, so changes here are additive only.
 */
import type { EndReason, PublicUser } from './wire.js';

export type { EndReason, PublicUser };

/** What the page should show about the session. */
export type SessionState =
  /** Not yet known: the first `/status` answer has not arrived. */
  | 'unknown'
  /** Signed in, no warning due. */
  | 'active'
  /** Inside the warning window before the idle or absolute deadline. */
  | 'warning'
  /** The session ended on its own (timeout, revocation) or could not be confirmed live. */
  | 'expired'
  /** No session: never signed in, or signed out on purpose (in this or another tab). */
  | 'signed-out';

/** Which limit a warning or an expiry is about. */
export type SessionLimit = 'idle' | 'absolute';

/**
 * One immutable view of the session. A new object is made only when something changed, so
 * `getSnapshot()` is stable between changes (safe for React's `useSyncExternalStore`).
 */
export interface SessionSnapshot {
  readonly state: SessionState;
  /** Idle deadline in this tab's clock (epoch ms, server skew corrected); `null` if none. */
  readonly idleExpiresAt: number | null;
  /** Absolute deadline in this tab's clock (epoch ms, server skew corrected); `null` if none. */
  readonly absoluteExpiresAt: number | null;
  /** Milliseconds until the nearer deadline at the time the snapshot was made (≥ 0). */
  readonly remaining: number;
  /** The limit the current warning is about; `null` outside `warning`. */
  readonly warning: SessionLimit | null;
  /** True while this tab polls and extends on behalf of every tab. */
  readonly isLeader: boolean;
  /** Why the session last ended; `null` while it never did. */
  readonly lastReason: EndReason | null;
  /** Whether the server offers silent re-authentication. */
  readonly canReauth: boolean;
  /** Public claims of the signed-in user, as the server's `/status` exposes them. */
  readonly user: PublicUser;
  /** This tab's id, the one events carry in `tabId`. */
  readonly tabId: string;
}

/** What set something in motion. */
export type SessionTrigger =
  /** The user's own activity (keepalive) or an explicit call such as `extend()`. */
  | 'activity'
  | 'user'
  /** A deadline timer fired, or the tab re-checked on wake (focus, visibility, pageshow, resume, online). */
  | 'timer'
  | 'wake'
  /** A `/status` answer, or a `Session-Deadline` header / 401 on an app response. */
  | 'status'
  | 'response'
  /** The tab could not reach the server and its own deadline passed. */
  | 'local';

/** Fields every event carries, so a "random logout" report can be explained. */
export interface EventOrigin {
  /** The tab that acted (this tab's id, or another tab's). */
  readonly tabId: string;
  /** True when this tab acted, false when another tab told us. */
  readonly local: boolean;
  /** What set it in motion. */
  readonly trigger: SessionTrigger;
}

/** Every event the client emits; discriminated on `type`. */
export type SessionEvent =
  | (EventOrigin & {
      readonly type: 'warning';
      readonly limit: SessionLimit;
      /** Local-clock epoch ms of the deadline the warning is about. */
      readonly expiresAt: number;
    })
  | (EventOrigin & { readonly type: 'warning-cleared' })
  | (EventOrigin & { readonly type: 'extended'; readonly idleExpiresAt: number })
  | (EventOrigin & {
      readonly type: 'expired';
      readonly reason: EndReason;
      /** The limit that ran out, when the reason is a timeout. */
      readonly limit: SessionLimit | null;
    })
  | (EventOrigin & { readonly type: 'signed-out'; readonly reason: EndReason })
  | (EventOrigin & { readonly type: 'reauthenticated' })
  | (EventOrigin & { readonly type: 'reauth-failed'; readonly error: unknown })
  | (EventOrigin & { readonly type: 'leadership'; readonly isLeader: boolean })
  | (EventOrigin & {
      readonly type: 'error';
      /**
       * Which operation failed: a session request (`status`, `extend`, `logout`), a
       * cross-tab message (`channel`), or a response to the wrapped `fetch` whose
       * `Session-Deadline` header is malformed or impossible (`fetch`; the response still
       * reaches the caller). `reauth` is not sent today: a failed re-auth is a
       * `reauth-failed` event.
       */
      readonly operation: 'status' | 'extend' | 'logout' | 'reauth' | 'channel' | 'fetch';
      readonly error: unknown;
      /** True when the client will try again on its own (with backoff). */
      readonly willRetry: boolean;
    });

export type SessionEventType = SessionEvent['type'];
export type SessionEventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;

/** Timers the client uses; replace them to test with a virtual clock. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * A minimal event target (window, document, or a test double). Typed without the DOM lib's
 * names, so an app compiled for Node alone (a test suite, an SSR server) reads these types.
 */
export interface EventSource {
  addEventListener(
    type: string,
    listener: () => void,
    options?: { capture?: boolean; passive?: boolean },
  ): void;
  removeEventListener(type: string, listener: () => void, options?: { capture?: boolean }): void;
}

/** The part of `document` the client reads: visibility and its events. */
export interface DocumentLike extends EventSource {
  readonly visibilityState: 'visible' | 'hidden';
}

/**
 * A cross-tab channel with leader election, one per tab. The default is built on
 * `broadcast-channel` (a Web Lock elects the leader; without Web Locks every tab leads);
 * the test kit offers an in-memory one. Messages are untrusted: the client validates
 * everything it receives.
 */
export interface TabChannel {
  post(message: unknown): void;
  /** Calls `listener` for every message from another tab; returns the unsubscribe. */
  onMessage(listener: (message: unknown) => void): () => void;
  isLeader(): boolean;
  /** Calls `listener` whenever this tab gains or loses leadership; returns the unsubscribe. */
  onLeadership(listener: (isLeader: boolean) => void): () => void;
  /** Leaves the election and closes the channel. Idempotent. */
  close(): void;
}

/**
 * Makes a new channel for this tab. `name` is the channel (and lock) name. Called again when
 * the page comes back from the back/forward cache (the client closed the last one when the
 * page went in), so each call must return a new channel, not one made up front.
 */
export type ChannelFactory = (name: string) => TabChannel;

/** The part of the Web Locks API the client uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { mode?: 'exclusive'; signal?: AbortSignal },
    callback: () => Promise<T>,
  ): Promise<T>;
}

/**
 * An app's own silent re-authentication (popup, iframe, token refresh). Resolve `true` (or
 * nothing) once the server holds a fresh session; resolve `false` or reject when it failed.
 */
export type ReauthFunction = (context: {
  signal: AbortSignal;
  // biome-ignore lint/suspicious/noConfusingVoidType: an async function returning nothing is Promise<void>, which is success.
}) => Promise<boolean | void>;

/** Options of `createSessionClient()`. Every environment dependency has a default that reaches the global at call time. */
export interface SessionClientOptions {
  /** Base path the server's session routes are mounted at. Default `'/session'`. */
  endpoint?: string;
  /** Show the warning this long before a deadline, ms. Default `120_000`; below `20_000` is refused (WCAG 2.2.1). */
  warnBefore?: number;
  /** Activity tracking; `false` or `null` turns it off (the session then only lives by `extend()`). */
  activity?: ActivityOptions | false | null;
  /**
   * At most one `POST {endpoint}/extend` per this many ms for the whole browser, and only
   * after user activity. Default `60_000`; capped so an active user never sees the warning.
   */
  keepaliveInterval?: number;
  /** The leader confirms status at least this often, ms (deadline headers usually make it rarer). Default `300_000`. */
  pollInterval?: number;
  /** Per-request timeout of the session routes, ms. Default `10_000`. */
  requestTimeout?: number;
  /** Silent re-authentication: `'endpoint'` (default) posts to `{endpoint}/reauth`, a function does it the app's way, `false` never. */
  reauth?: 'endpoint' | ReauthFunction | false;
  /** Channel (and lock) name; tabs with the same name share one session view. Default `'lifeline'`. */
  channelName?: string;
  /** Cross-tab channel factory; `null` or `false` runs this tab alone (always leader). */
  channel?: ChannelFactory | false | null;
  /** Web Locks for single-flight re-auth; default `navigator.locks` when present, `null` or `false` to skip. */
  locks?: LockManagerLike | false | null;
  /**
   * Clock, epoch ms. Default: `Date.now()`, but never running back when the computer's clock
   * is set back. The tabs take one given here for a clock they all share.
   */
  now?: () => number;
  /** Timers. Default the global `setTimeout` / `clearTimeout`. */
  timers?: Timers;
  /** Fetch used for session routes and by the `fetch` wrapper. Default the global `fetch`. */
  fetch?: typeof fetch;
  /** Visibility source. Default the global `document`; `null` means always visible. */
  document?: DocumentLike | null;
  /** Source of `focus`, `pageshow`, `online`. Default the global `window`; `null` for none. */
  window?: EventSource | null;
  /** This tab's id. Default a random one. */
  tabId?: string;
}

/** Which user activity counts, and how often it is looked at. */
export interface ActivityOptions {
  /**
   * DOM events that count as activity. Default pointerdown, pointermove, keydown, wheel,
   * touchstart; not `scroll`, which a page scrolling itself fires as well.
   */
  events?: readonly string[];
  /** Where to listen. Default the global `document`. */
  target?: EventSource | null;
  /** Handle at most one activity per this many ms. Default `1_000`. */
  throttle?: number;
}

/** The session client: one per tab. */
export interface SessionClient {
  /** The current immutable snapshot; the same object until something changes. */
  getSnapshot(): SessionSnapshot;
  /** Calls `listener` after every snapshot change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Listens to one event type; returns the unsubscribe. */
  on<T extends SessionEventType>(type: T, listener: (event: SessionEventOf<T>) => void): () => void;
  /**
   * The user chose to stay: extends the idle deadline now (counts as activity). Resolves
   * `true` once the server answered (the snapshot then says whether the session lives on).
   */
  extend(): Promise<boolean>;
  /**
   * Signs out on the server and in every tab. Resolves `true` once the server answered;
   * `false` when it could not be reached (this tab keeps retrying while it stays open, and
   * the leader sends it again if it later finds the session alive; the request names the
   * session it is meant for, so it never ends another).
   */
  logout(): Promise<boolean>;
  /** Silent re-authentication, single-flight across tabs. Resolves `true` when a fresh session is live. */
  reauthenticate(): Promise<boolean>;
  /** Re-validates with `/status` now. Resolves `true` once the server answered. */
  refresh(): Promise<boolean>;
  /**
   * `fetch` that keeps the session in step: reads `Session-Deadline`, marks hidden-tab
   * requests passive, and on a 401 session problem re-authenticates once and replays the
   * request once; otherwise rejects with `SessionExpiredError`.
   */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Removes every listener, timer, lock and channel. Idempotent. */
  destroy(): void;
}

/**
 * `window.Lifeline`, the one global the script-tag build defines (a TypeScript page
 * declares it on `Window` with this type): the running client (to
 * listen to events, call `fetch`, `extend` or `logout`) and a way to tear it all down.
 */
export interface LifelineGlobal {
  /** The session client this page started. */
  readonly client: SessionClient;
  /** The SDK version. */
  readonly version: string;
  /** Removes the dialog (if any) and stops the client. */
  destroy(): void;
}
