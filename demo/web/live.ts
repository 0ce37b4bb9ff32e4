import type { SessionSnapshot } from '@lifeline/client';

/** Whether the snapshot shows a live session: active, or active with a warning up. */
export const isLive = (s: SessionSnapshot): boolean =>
  s.state === 'active' || s.state === 'warning';
