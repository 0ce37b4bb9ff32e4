import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ReadJsonOptions, readJsonBody } from './body.js';

// `maxBytes` is the only thing between a client and an unbounded buffer. A value that is
// not a number (`'64kb'`, as body-limit middlewares spell it, or NaN from an env var) makes
// every `size > maxBytes` comparison false: the limit silently vanishes.
describe('readJsonBody: a maxBytes that is not a byte count', () => {
  function appWith(options: ReadJsonOptions) {
    const app = new Hono();
    app.post('/', async (c) => {
      let body: Awaited<ReturnType<typeof readJsonBody>>;
      try {
        body = await readJsonBody(c, z.object({ note: z.string() }).strict(), options);
      } catch (error) {
        return c.text(`refused: ${(error as Error).message}`, 500);
      }
      return body.ok ? c.json({ bytes: JSON.stringify(body.data).length }) : body.response;
    });
    return app;
  }
  const huge = JSON.stringify({ note: 'x'.repeat(2_000_000) }); // 2 MB

  it.each<[string, unknown]>([
    ['a string like "64kb"', '64kb'],
    ['NaN (Number(process.env.UNSET))', Number.NaN],
  ])('does not read a 2 MB body with maxBytes %s', async (_, maxBytes) => {
    const res = await appWith({ maxBytes: maxBytes as number }).request('/', {
      method: 'POST',
      body: huge,
      headers: { 'Content-Type': 'application/json' },
    });
    // Either a clear refusal of the option (TypeError naming maxBytes) or a 413: never a 200.
    expect(res.status).not.toBe(200);
  });
});
