/**
 * The demo's environment for the browser tests: a one-minute idle timeout with the
 * shortest warning WCAG allows (20 s). Tests move the server's and the browsers' clocks
 * together instead of sleeping, so a "minute" costs milliseconds.
 */
export const DEMO_ENV = {
  IDLE_TIMEOUT_S: '60',
  WARN_BEFORE_S: '20',
  ABSOLUTE_TIMEOUT_S: '3600',
  ROTATE_EVERY_S: '900',
};

export const IDLE_MS = 60_000;
export const WARN_MS = 20_000;
