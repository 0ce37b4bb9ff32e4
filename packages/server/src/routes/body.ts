import type { Context } from 'hono';
import type { z } from 'zod';
import { problemResponse } from '../problem/problem.js';

/** Largest request body the session routes read. Their bodies are a few dozen bytes. */
export const MAX_BODY_BYTES = 4096;

/** A parsed body, or the 4xx problem response to send instead. */
export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Options of {@link readJsonBody}. */
export interface ReadJsonOptions {
  /** Accept a request without a body (parsed as `{}`). Default `false`. */
  optional?: boolean;
  /** Byte limit, a positive integer (anything else throws a `TypeError`). Default {@link MAX_BODY_BYTES}. */
  maxBytes?: number;
}

const invalid = (status: number, detail: string) =>
  ({ ok: false, response: problemResponse('invalid_request', { status, detail }) }) as const;

/**
 * Reads a small JSON body and validates it with a (strict) zod schema. Every failure is a
 * 4xx `invalid_request` problem, never an exception: wrong media type 415, too large 413,
 * not JSON or not matching the schema 400. The body is read as a stream and abandoned at
 * the limit, so a lying or absent `Content-Length` cannot make the server buffer more.
 *
 * @example
 * const body = await readJsonBody(c, z.object({ id: z.string() }).strict());
 * if (!body.ok) return body.response;
 */
export async function readJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  options: ReadJsonOptions = {},
): Promise<BodyResult<z.infer<S>>> {
  const { optional = false, maxBytes = MAX_BODY_BYTES } = options;
  // A limit that is not a byte count ('64kb', NaN) fails every `size > maxBytes`: the app's
  // mistake, thrown rather than answered as a 4xx, or the limit would silently vanish.
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError('readJsonBody: `maxBytes` must be a positive integer (bytes)');
  }
  const declared = Number(c.req.header('Content-Length') ?? Number.NaN);
  if (declared > maxBytes) return invalid(413, `the body must be at most ${maxBytes} bytes`);
  let text: string | null;
  try {
    text = await readText(c, maxBytes);
  } catch {
    // Consumed by an earlier middleware outside Hono, or the client aborted mid-body.
    return invalid(400, 'the body could not be read');
  }
  if (text === null) return invalid(413, `the body must be at most ${maxBytes} bytes`);
  if (text === '' && optional) return validate(schema, {});
  const mediaType = c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return invalid(415, 'the body must be application/json');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid(400, 'the body is not valid JSON');
  }
  return validate(schema, json);
}

function validate<S extends z.ZodType>(schema: S, value: unknown): BodyResult<z.infer<S>> {
  let result: z.ZodSafeParseResult<z.infer<S>>;
  try {
    result = schema.safeParse(value);
  } catch (error) {
    // A recursive schema (`z.json()`, `z.lazy`) walks as deep as the body nests; 4 KB of
    // `[` overflows the stack, which `safeParse` does not catch. Anything else is the app's.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return invalid(400, 'the body is nested too deeply');
    }
    throw error;
  }
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `\`${issue.path.join('.')}\`: ` : '';
  return invalid(400, `${where}${issue?.message ?? 'the body does not match the schema'}`);
}

/** The body as UTF-8 text, or `null` once it exceeds `maxBytes`. */
async function readText(c: Context, maxBytes: number): Promise<string | null> {
  const request = c.req.raw;
  if (request.bodyUsed) {
    // An earlier middleware (a logger, a validator) read it through Hono, which keeps it
    // for later readers: take it from there. Throws if it was read some other way.
    const text = await c.req.text();
    return new TextEncoder().encode(text).byteLength > maxBytes ? null : text;
  }
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}
