/** The element with `id`; throws if the page lacks it, so a broken template fails loudly. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo page is missing #${id}`);
  return el as T;
}

/** `HH:MM:SS` of an epoch-ms instant in local time. */
export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/** `m:ss` of a duration; `–` for none. */
export function duration(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
