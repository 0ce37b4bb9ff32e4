import { z } from 'zod';
import { END_REASONS, PROBLEM_CODES } from './protocol.js';

const epochMs = z.number().int().nonnegative();

/** Public claims about the user that the app chooses to expose. Never secrets. */
export const publicUserSchema = z.record(z.string(), z.json()).nullable();

/** `GET /status` (and `POST /extend`, `/reauth`, `/logout`) body for a live session. */
export const activeStatusSchema = z.object({
  state: z.literal('active'),
  now: epochMs,
  idleExpiresAt: epochMs,
  absoluteExpiresAt: epochMs,
  idleTimeoutMs: epochMs,
  canReauth: z.boolean(),
  user: publicUserSchema,
});

/** Status body when there is no session, with the reason it ended (or `missing`). */
export const noneStatusSchema = z.object({
  state: z.literal('none'),
  reason: z.enum(END_REASONS),
  now: epochMs,
  idleTimeoutMs: epochMs,
  canReauth: z.boolean(),
});

/** The status body: the single source of the client's `SessionStatus` type. */
export const statusSchema = z.discriminatedUnion('state', [activeStatusSchema, noneStatusSchema]);

/** RFC 9457 problem details with Lifeline's stable `code`. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.enum(PROBLEM_CODES),
  detail: z.string().optional(),
  reason: z.enum(END_REASONS).optional(),
  /** The app's handler ran before the refusal: not to be repeated unless idempotent. */
  handled: z.literal(true).optional(),
});

export type ActiveStatus = z.infer<typeof activeStatusSchema>;
export type NoneStatus = z.infer<typeof noneStatusSchema>;
export type SessionStatus = z.infer<typeof statusSchema>;
export type Problem = z.infer<typeof problemSchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;
