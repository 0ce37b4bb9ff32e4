import { defaultNow, type SessionClient } from '@lifeline/client';
import type { DemoConfig } from './config.js';
import { byId, duration } from './dom.js';
import { isLive } from './live.js';

interface Meter {
  left: HTMLElement;
  fill: HTMLElement;
  warn: HTMLElement;
  totalMs: number;
}

function meter(prefix: string, totalS: number, warnBeforeS: number): Meter {
  const warn = byId(`${prefix}-warn`);
  // The shaded end of the bar is the warning window: once the fill reaches it, the dialog shows.
  warn.style.width = `${Math.min(100, (warnBeforeS / totalS) * 100)}%`;
  return {
    left: byId(`${prefix}-left`),
    fill: byId(`${prefix}-fill`),
    warn,
    totalMs: totalS * 1000,
  };
}

function draw(m: Meter, deadline: number | null, now: number, warnMs: number): void {
  const left = deadline === null ? null : Math.max(0, deadline - now);
  m.left.textContent = duration(left);
  m.left.dataset.ms = left === null ? '' : String(left);
  m.fill.style.width = `${left === null ? 0 : Math.min(100, (left / m.totalMs) * 100)}%`;
  m.fill.classList.toggle('warn', left !== null && left <= warnMs);
}

/**
 * The live timeline: how long until the idle and the absolute deadline, drawn as bars
 * that drain, with the warning window marked. Deadlines come from the client's snapshot
 * (already corrected for clock skew), so every tab shows the same instant.
 */
export function mountTimeline(client: SessionClient, config: DemoConfig): void {
  const idle = meter('idle', config.idleTimeoutS, config.warnBeforeS);
  const absolute = meter('absolute', config.absoluteTimeoutS, config.warnBeforeS);
  const warnMs = config.warnBeforeS * 1000;
  const tick = () => {
    const s = client.getSnapshot();
    const live = isLive(s);
    // The snapshot's clock, not Date.now(): after the computer's clock is set back the two
    // differ by the step, and the bars would show that much more time than the dialog.
    const now = defaultNow();
    draw(idle, live ? s.idleExpiresAt : null, now, warnMs);
    draw(absolute, live ? s.absoluteExpiresAt : null, now, warnMs);
  };
  client.subscribe(tick);
  setInterval(tick, 250);
  tick();
}
