import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      idleTimeoutMs: 30 * 60_000,
      absoluteTimeoutMs: 8 * 60 * 60_000,
      rotateEveryMs: 15 * 60_000,
      warnBeforeMs: 120_000,
      redisUrl: null,
      redisPrefix: 'lifeline-demo:',
    });
  });

  it('reads seconds and converts them to milliseconds', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      IDLE_TIMEOUT_S: '60',
      ABSOLUTE_TIMEOUT_S: '300',
      ROTATE_EVERY_S: '20',
      WARN_BEFORE_S: '30',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'shop:sessions:',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      idleTimeoutMs: 60_000,
      absoluteTimeoutMs: 300_000,
      rotateEveryMs: 20_000,
      warnBeforeMs: 30_000,
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'shop:sessions:',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: ' ' }).port).toBe(3000);
  });

  it('names every bad variable in one error', () => {
    const bad = {
      PORT: 'eighty',
      HOST: 'http://x/',
      IDLE_TIMEOUT_S: '-5',
      WARN_BEFORE_S: '5',
      REDIS_URL: 'http://x',
      REDIS_PREFIX: 'app:{tag}:',
    };
    expect(() => loadConfig(bad)).toThrow(
      /PORT[\s\S]*HOST[\s\S]*IDLE_TIMEOUT_S[\s\S]*WARN_BEFORE_S[\s\S]*REDIS_URL[\s\S]*REDIS_PREFIX/,
    );
  });

  it('refuses a Redis prefix the store would refuse or a shell would have mangled', () => {
    for (const prefix of ['{tag}', 'a}', 'my app:', 'x'.repeat(65), 'caf\u00e9:']) {
      expect(() => loadConfig({ REDIS_PREFIX: prefix })).toThrow(/REDIS_PREFIX: must be 1-64/);
    }
  });

  it('refuses a warning lead over half the idle timeout (the default 120 s included)', () => {
    // The client warns at most half the idle timeout ahead: a longer lead would not be
    // what the page does, nor what its timeline draws.
    expect(() => loadConfig({ IDLE_TIMEOUT_S: '200' })).toThrow(
      /WARN_BEFORE_S: must be at most half of IDLE_TIMEOUT_S/,
    );
    expect(() => loadConfig({ IDLE_TIMEOUT_S: '60', WARN_BEFORE_S: '40' })).toThrow(
      /WARN_BEFORE_S: must be at most half of IDLE_TIMEOUT_S/,
    );
    expect(() => loadConfig({ IDLE_TIMEOUT_S: '60', WARN_BEFORE_S: '31' })).toThrow(
      /WARN_BEFORE_S: must be at most half of IDLE_TIMEOUT_S/,
    );
    expect(loadConfig({ IDLE_TIMEOUT_S: '60', WARN_BEFORE_S: '30' }).warnBeforeMs).toBe(30_000);
  });

  it('refuses an idle timeout too short for the shortest warning WCAG allows', () => {
    expect(() => loadConfig({ IDLE_TIMEOUT_S: '39', WARN_BEFORE_S: '20' })).toThrow(
      /WARN_BEFORE_S: must be at most half of IDLE_TIMEOUT_S/,
    );
    expect(loadConfig({ IDLE_TIMEOUT_S: '40', WARN_BEFORE_S: '20' }).warnBeforeMs).toBe(20_000);
  });

  it('refuses an absolute timeout shorter than the idle one', () => {
    expect(() => loadConfig({ IDLE_TIMEOUT_S: '600', ABSOLUTE_TIMEOUT_S: '60' })).toThrow(
      /ABSOLUTE_TIMEOUT_S: must not be shorter than IDLE_TIMEOUT_S/,
    );
  });
});
