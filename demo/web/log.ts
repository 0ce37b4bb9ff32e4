import {
  defaultNow,
  type SessionClient,
  type SessionEvent,
  type SessionEventType,
} from '@lifeline/client';
import { byId, clockTime } from './dom.js';
import { isLive } from './live.js';

const TYPES: SessionEventType[] = [
  'warning',
  'warning-cleared',
  'extended',
  'expired',
  'signed-out',
  'reauthenticated',
  'reauth-failed',
  'leadership',
  'error',
];
const MAX_ROWS = 200;

/** A server audit event as the demo's `/api/events` lists it (session or remember-me). */
interface AuditEvent {
  at: number;
  type: string;
  source: 'session' | 'remember';
  reason?: string;
  detail?: string;
}

/** A time on the client's clock (the events' deadlines) as the time of day the wall clock shows. */
const wallTime = (ms: number) => clockTime(ms - defaultNow() + Date.now());

function detail(e: SessionEvent): string {
  switch (e.type) {
    case 'warning':
      return `${e.limit} limit at ${wallTime(e.expiresAt)}`;
    case 'extended':
      return `idle deadline now ${wallTime(e.idleExpiresAt)}`;
    case 'expired':
      return `${e.reason}${e.limit ? ` (${e.limit} limit)` : ''}`;
    case 'signed-out':
      return e.reason;
    case 'leadership':
      return e.isLeader ? 'this tab now polls and extends for all' : 'another tab leads';
    case 'error':
      return `${e.operation} failed${e.willRetry ? ', retrying' : ''}`;
    default:
      return '';
  }
}

/**
 * The lifecycle log: every client event with what triggered it and which tab acted, and
 * the server's audit events when the demo server offers them, newest first.
 */
export function mountLog(client: SessionClient): void {
  const list = byId('log');
  const add = (at: number, type: string, source: string, text: string, cls: string) => {
    const row = document.createElement('li');
    row.className = `${cls} ${type}`;
    for (const [tag, value, c] of [
      ['time', clockTime(at), ''],
      ['span', type, 'type'],
      ['span', source, 'src'],
      ['span', text, 'detail'],
    ] as const) {
      const cell = document.createElement(tag);
      cell.textContent = value;
      if (c) cell.className = c;
      row.append(cell);
    }
    // Newest first by when it happened, not when it arrived: a poll brings server events
    // after the client events of the same moment, sometimes from before them.
    row.dataset.at = String(at);
    const older = [...list.children].find((r) => Number((r as HTMLElement).dataset.at) <= at);
    list.insertBefore(row, older ?? null);
    while (list.childElementCount > MAX_ROWS) list.lastElementChild?.remove();
  };
  for (const type of TYPES) {
    client.on(type, (e: SessionEvent) => {
      const who = e.local ? 'this tab' : `tab ${e.tabId.slice(0, 4)}`;
      add(Date.now(), e.type, who, `${detail(e)} · ${e.trigger}`.replace(/^ · /, ''), 'client');
    });
  }
  pollAudit(client, (e) =>
    add(e.at, e.type, 'server', [e.reason, e.detail].filter(Boolean).join(' · '), 'server'),
  );
}

/** The place in the server's log: the newest millisecond shown, and how many of its events. */
interface AuditCursor {
  at: number;
  shown: number;
}

/**
 * The events of an oldest-first list not shown yet; moves `cursor` past them. A time alone
 * cannot mark the place: one request often logs several events in the same millisecond
 * (a sign-in creates a session and issues a credential), and a later poll can bring more
 * of that millisecond, so the events at the cursor's millisecond are counted.
 */
function unseenEvents<E extends { at: number }>(events: E[], cursor: AuditCursor): E[] {
  const fresh: E[] = [];
  let atCursor = 0;
  for (const e of events) {
    if (e.at < cursor.at) continue;
    if (e.at > cursor.at) {
      cursor.at = e.at;
      cursor.shown = atCursor = 0;
    }
    if (++atCursor <= cursor.shown) continue;
    cursor.shown = atCursor;
    fresh.push(e);
  }
  return fresh;
}

/**
 * Polls `/api/events` while the tab is visible and the session live, passively (it never
 * extends the session). The route needs a session: asking without one only fills the
 * console with 401s, every few seconds in every signed-out tab.
 */
function pollAudit(client: SessionClient, onEvent: (e: AuditEvent) => void): void {
  // The log starts with the last few minutes, then only what is new. Minutes of the
  // server's clock (its first answer's `Date`), as the events are dated by it: the
  // computer's clock may be minutes off, and every event would then look too old to show.
  let cursor: AuditCursor | undefined;
  const poll = async () => {
    if (document.visibilityState !== 'visible' || !isLive(client.getSnapshot())) return;
    const res = await fetch('/api/events', {
      headers: { accept: 'application/json', 'Session-Passive': '1' },
    }).catch(() => null);
    if (res?.status === 404) return clearInterval(timer);
    if (!res?.ok) return;
    const { events } = (await res.json()) as { events: AuditEvent[] };
    const serverNow = Date.parse(res.headers.get('date') ?? '') || Date.now();
    cursor ??= { at: serverNow - 5 * 60_000, shown: 0 };
    for (const e of unseenEvents(events, cursor)) onEvent(e);
  };
  const timer = setInterval(poll, 3000);
  // At once when a session starts (or the page learns of it), not at the next tick.
  let wasLive = false;
  client.subscribe(() => {
    const live = isLive(client.getSnapshot());
    if (live && !wasLive) void poll();
    wasLive = live;
  });
  void poll();
}
