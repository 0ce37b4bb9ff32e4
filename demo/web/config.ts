/** The demo server's timeouts, so the timeline can draw proportions and the client warns in time. */
export interface DemoConfig {
  idleTimeoutS: number;
  absoluteTimeoutS: number;
  warnBeforeS: number;
}

const DEFAULTS: DemoConfig = { idleTimeoutS: 1800, absoluteTimeoutS: 28_800, warnBeforeS: 120 };

/** Reads `GET /api/config`; falls back to the library defaults if the server has none. */
export async function loadConfig(): Promise<DemoConfig> {
  try {
    const res = await fetch('/api/config', { headers: { accept: 'application/json' } });
    if (!res.ok) return DEFAULTS;
    return { ...DEFAULTS, ...((await res.json()) as Partial<DemoConfig>) };
  } catch {
    return DEFAULTS;
  }
}
