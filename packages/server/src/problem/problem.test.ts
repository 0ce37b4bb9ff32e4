import { describe, expect, it } from 'vitest';
import { problemResponse } from './problem.js';

// Apps build their own errors with problemResponse (docs/server.md: a problem 404, the
// demo's onError). A misspelt code from JavaScript is looked up in STATUS/TITLE, finds
// nothing, and `new Response(…, { status: undefined })` answers 200 OK: an error the
// client (and the SDK) reads as a success, with a problem body lacking `status`/`title`.
describe('problemResponse with a code outside PROBLEM_CODES', () => {
  it('never answers a 2xx', () => {
    let res: Response | null = null;
    try {
      res = problemResponse('session_requird' as never);
    } catch (error) {
      expect(error).toBeInstanceOf(TypeError);
      return;
    }
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});
