import { Hono, type MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonBody } from './body.js';

/** An app whose one route reads its body with `schema`, after `before` if given. */
function appReading(schema: z.ZodType, before?: MiddlewareHandler) {
  const app = new Hono();
  if (before) app.use(before);
  app.post('/', async (c) => {
    const body = await readJsonBody(c, schema);
    return body.ok ? c.json({ ok: true }) : body.response;
  });
  const post = (text: string) =>
    app.request('/', {
      method: 'POST',
      body: text,
      headers: { 'Content-Type': 'application/json' },
    });
  return { app, post };
}

describe('readJsonBody', () => {
  it('answers 400 for a body nested too deeply for a recursive schema, within the size limit', async () => {
    const { post } = appReading(z.object({ value: z.json() }).strict());
    expect((await post('{"value":[[1]]}')).status).toBe(200);
    // About 4 KB of brackets: zod's walk of z.json() overflows the stack on it.
    const deep = `{"value":${'['.repeat(2040)}${']'.repeat(2040)}}`;
    expect(deep.length).toBeLessThanOrEqual(4096);
    const res = await post(deep);
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'invalid_request' });
  });

  it('reads a body that an earlier middleware read through Hono, within the same limit', async () => {
    // A logging middleware or a validator: Hono keeps what it read for later readers.
    const { post } = appReading(z.object({}).strict(), async (c, next) => {
      await c.req.json().catch(() => undefined);
      await next();
    });
    expect((await post('{}')).status).toBe(200);
    expect((await post('{"a":1}')).status).toBe(400);
    expect((await post(`{"a":"${'x'.repeat(5000)}"}`)).status).toBe(413);
  });

  it("passes the app's own errors from a schema on, as the bugs they are", async () => {
    const schema = z.object({ n: z.number() }).refine(({ n }) => {
      if (n === 1) throw new TypeError('a bug in the refinement');
      return n.toFixed(200) !== ''; // a RangeError of its own, not a deep body
    });
    const { app, post } = appReading(schema);
    app.onError((error, c) => c.text(error.message, 500));
    const res = await post('{"n":1}');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('a bug in the refinement');
    expect((await post('{"n":2}')).status).toBe(500);
  });
});
