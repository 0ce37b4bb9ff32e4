import { describe, expect, it } from 'vitest';
import { unhandledRejections } from '../events/unhandled-rejections.fixture.js';
import { Browser, routesTestApp } from '../routes/test-app.fixture.js';

// docs: "A throw or a non-string counts as unknown". An async lookup (a GeoIP service) is
// a function too, and passes the start-up check; clientFacts() calls it without awaiting,
// so its answer is a Promise (unknown, silently) and its failure an unhandled rejection,
// which ends a Node process under the default --unhandled-rejections=throw.
describe('session({ location }) given an async lookup that fails', () => {
  const seen = unhandledRejections();

  it('counts it as unknown without an unhandled rejection (or refuses it at start-up)', async () => {
    let t: ReturnType<typeof routesTestApp>;
    try {
      t = routesTestApp({
        session: {
          location: (async () => {
            throw new Error('geo lookup down');
          }) as never,
        },
      });
    } catch (error) {
      expect(String(error)).toMatch(/location/);
      return;
    }
    const res = await new Browser(t.app).post('/login');
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
  });
});
