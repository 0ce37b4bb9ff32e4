import { vi } from 'vitest';

/** Stubs the global `fetch` with a server that has no session for this browser. */
export function stubFetchWithNoSession(): void {
  const body = {
    state: 'none',
    reason: 'missing',
    now: Date.now(),
    idleTimeoutMs: 60_000,
    canReauth: false,
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => Response.json(body, { headers: { 'Cache-Control': 'no-store' } })),
  );
}
