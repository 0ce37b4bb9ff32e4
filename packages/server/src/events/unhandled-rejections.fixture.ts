import { afterEach, beforeEach } from 'vitest';

/**
 * The unhandled rejections seen during each test of the calling `describe`: a hook's
 * promise left unhandled ends a Node process under the default
 * `--unhandled-rejections=throw`, so tests of guarded hooks expect this to stay empty.
 */
export function unhandledRejections(): unknown[] {
  const seen: unknown[] = [];
  const record = (reason: unknown) => seen.push(reason);
  beforeEach(() => {
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('unhandledRejection', record);
    seen.length = 0;
  });
  return seen;
}
