import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('database pool settings', () => {
  it('defaults to two request connections per core (at least four) and eight for long-running work', () => {
    const config = loadConfig({}, []);
    expect(config.databasePoolSize).toBe(Math.max(4, 2 * os.availableParallelism()));
    expect(config.databaseStreamPoolSize).toBe(8);
    expect(config.exportWorkers).toBe(2);
  });

  it('takes DATABASE_POOL_SIZE and DATABASE_STREAM_POOL_SIZE, and refuses a size that is not a whole number of at least one', () => {
    expect(
      loadConfig({ DATABASE_POOL_SIZE: '12', DATABASE_STREAM_POOL_SIZE: '3' }, []),
    ).toMatchObject({ databasePoolSize: 12, databaseStreamPoolSize: 3 });
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' }, [])).toThrow(
      'DATABASE_POOL_SIZE must be at least 1',
    );
    expect(() => loadConfig({ DATABASE_STREAM_POOL_SIZE: 'many' }, [])).toThrow(
      'DATABASE_STREAM_POOL_SIZE must be a non-negative integer, got "many"',
    );
  });

  it('gives up a read’s lock wait after 3 s unless GONGSHU_READ_LOCK_TIMEOUT_MS says otherwise (0: never)', () => {
    expect(loadConfig({}, []).readLockTimeoutMs).toBe(3000);
    expect(loadConfig({ GONGSHU_READ_LOCK_TIMEOUT_MS: '0' }, []).readLockTimeoutMs).toBe(0);
    expect(() => loadConfig({ GONGSHU_READ_LOCK_TIMEOUT_MS: '-1' }, [])).toThrow(
      'GONGSHU_READ_LOCK_TIMEOUT_MS must be a non-negative integer, got "-1"',
    );
  });

  it('takes GONGSHU_EXPORT_WORKERS, at least one', () => {
    expect(loadConfig({ GONGSHU_EXPORT_WORKERS: '4' }, []).exportWorkers).toBe(4);
    expect(() => loadConfig({ GONGSHU_EXPORT_WORKERS: '0' }, [])).toThrow(
      'GONGSHU_EXPORT_WORKERS must be at least 1',
    );
  });
});

describe('session settings', () => {
  it('ends sessions after 30 minutes unused and 12 hours after sign-in unless told otherwise', () => {
    expect(loadConfig({}, [])).toMatchObject({ sessionIdleMinutes: 30, sessionMaxHours: 12 });
    expect(
      loadConfig({ GONGSHU_SESSION_IDLE_MINUTES: '15', GONGSHU_SESSION_MAX_HOURS: '8' }, []),
    ).toMatchObject({ sessionIdleMinutes: 15, sessionMaxHours: 8 });
    expect(() => loadConfig({ GONGSHU_SESSION_MAX_HOURS: '0' }, [])).toThrow(
      'GONGSHU_SESSION_MAX_HOURS must be at least 1',
    );
  });

  it('reads the former GONGSHU_SESSION_TTL_MINUTES as the idle timeout when the new name is unset', () => {
    expect(loadConfig({ GONGSHU_SESSION_TTL_MINUTES: '60' }, []).sessionIdleMinutes).toBe(60);
    expect(
      loadConfig({ GONGSHU_SESSION_TTL_MINUTES: '60', GONGSHU_SESSION_IDLE_MINUTES: '20' }, [])
        .sessionIdleMinutes,
    ).toBe(20);
  });
});
