/**
 * `@lifeline/client/testing`: a virtual clock, an in-memory cross-tab channel, fake Web
 * Locks, a fake session server and simulated tabs, for testing sleep, throttling, clock
 * skew and multi-tab races in an app's own suite.
 */

export {
  type CountingTarget,
  createCountingTarget,
  createSimulatedBrowser,
  flush,
  type SimulatedBrowser,
  type SimulatedBrowserOptions,
  type SimulatedTab,
} from './browser.js';
export { createMemoryHub, type MemoryHub, type TabChannels } from './channel.js';
export { createVirtualClock, type TabTimers, type VirtualClock } from './clock.js';
export { createFakeLocks, type FakeLocks, type TabLocks } from './locks.js';
export { createFakeServer, type FakeServer, type FakeServerOptions } from './server.js';
