/**
 * The client's default clock, epoch ms that do not run back when the computer's clock is
 * set back (NTP, or by hand): times the client keeps (last activity, last extension, next
 * poll) would otherwise lie in the future, and the keepalive stop for as long as the step.
 * The wall clock leads when it is ahead: some monotonic clocks stop while the computer
 * sleeps. The dialog counts down on it too, as the snapshot's deadlines are on it. A tab
 * opened before a step back reads ahead of one opened after, by the step, for as long as it
 * is open: the tabs tell each other times in the wall clock (see `retimed` in ./client.ts).
 */
export const defaultNow = () => Math.max(Date.now(), performance.timeOrigin + performance.now());
