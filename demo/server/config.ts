import { z } from 'zod';

/** The demo's settings, durations in milliseconds. */
export interface DemoConfig {
  port: number;
  /** The address to listen on: loopback only unless set (the demo account is public). */
  host: string;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  rotateEveryMs: number;
  /** How long before the idle deadline the page warns (the client option). */
  warnBeforeMs: number;
  /** When set, sessions live in Redis instead of memory. */
  redisUrl: string | null;
  /** What every Redis key the demo writes starts with, so it can share a Redis. */
  redisPrefix: string;
}

const seconds = (fallback: number, min = 1) =>
  z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(min, `must be at least ${min}`)
    .max(400 * 24 * 60 * 60, 'must be at most 400 days')
    .default(fallback);

const env = z
  .object({
    PORT: z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a port number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(3000),
    HOST: z
      .string()
      .regex(/^[\w.:-]+$/, 'must be an address or a host name, such as 127.0.0.1 or 0.0.0.0')
      .default('127.0.0.1'),
    IDLE_TIMEOUT_S: seconds(30 * 60),
    ABSOLUTE_TIMEOUT_S: seconds(8 * 60 * 60),
    ROTATE_EVERY_S: seconds(15 * 60, 2),
    // WCAG 2.2.1 asks for at least 20 seconds to react to a timeout warning.
    WARN_BEFORE_S: seconds(120, 20),
    REDIS_URL: z
      .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
      .optional(),
    // The store refuses braces (Redis Cluster hash tags) and the demo takes printable
    // ASCII only, so a stray space or quote from a shell is named here, not in a key.
    REDIS_PREFIX: z
      .string()
      .regex(/^[!-z|~]{1,64}$/, 'must be 1-64 printable ASCII characters, without { or }')
      .default('lifeline-demo:'),
  })
  .refine((e) => e.ABSOLUTE_TIMEOUT_S >= e.IDLE_TIMEOUT_S, {
    path: ['ABSOLUTE_TIMEOUT_S'],
    message: 'must not be shorter than IDLE_TIMEOUT_S',
  })
  // The client warns at most half the idle timeout ahead (a longer lead would have every
  // fresh session soon inside its warning): refuse a lead it would not use, rather than
  // show a page and a timeline that differ from the setting.
  .refine((e) => e.WARN_BEFORE_S * 2 <= e.IDLE_TIMEOUT_S, {
    path: ['WARN_BEFORE_S'],
    message: 'must be at most half of IDLE_TIMEOUT_S (the client caps its warning there)',
  });

/**
 * Reads the demo's environment: `PORT` (3000), `HOST` (127.0.0.1), `IDLE_TIMEOUT_S` (1800),
 * `ABSOLUTE_TIMEOUT_S` (28800), `ROTATE_EVERY_S` (900), `WARN_BEFORE_S` (120) and
 * `REDIS_URL` (unset: memory store) with `REDIS_PREFIX` (`lifeline-demo:`). Empty values
 * count as unset. Throws one error that names every bad variable; the checks between two
 * variables (absolute not shorter than idle, warning at most half of idle) run once each
 * variable is valid on its own.
 *
 * @example
 * const config = loadConfig({ IDLE_TIMEOUT_S: '60', ABSOLUTE_TIMEOUT_S: '300' });
 */
export function loadConfig(source: Record<string, string | undefined>): DemoConfig {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = env.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid demo configuration:\n${lines.join('\n')}`);
  }
  const e = result.data;
  return {
    port: e.PORT,
    host: e.HOST,
    idleTimeoutMs: e.IDLE_TIMEOUT_S * 1000,
    absoluteTimeoutMs: e.ABSOLUTE_TIMEOUT_S * 1000,
    rotateEveryMs: e.ROTATE_EVERY_S * 1000,
    warnBeforeMs: e.WARN_BEFORE_S * 1000,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
  };
}
