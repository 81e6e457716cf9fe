import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { assertDurable } from '../../src/db/database.ts';

const key = 'a'.repeat(64);
const load = (env: Record<string, string>) => loadConfig({ DATA_ENCRYPTION_KEY: key, ...env } as NodeJS.ProcessEnv, { cwd: '/nonexistent' });

describe('configuration', () => {
  it('has working defaults', () => {
    const c = load({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.encryptionKey).toHaveLength(32);
  });
  it('names the variable in one line when a value is bad', () => {
    expect(() => load({ PORT: 'abc' })).toThrow(/^PORT: /);
    expect(() => load({ PORT: '70000' })).toThrow(/^PORT: /);
    expect(() => load({ DATABASE_URL: 'mysql://x' })).toThrow(/^DATABASE_URL: /);
    expect(() => load({ DEMO_SEED: 'maybe' })).toThrow(/^DEMO_SEED: /);
    expect(() => load({ DATA_ENCRYPTION_KEY: 'short' })).toThrow(ConfigError);
  });
  it('requires an encryption key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' } as NodeJS.ProcessEnv, { cwd: '/nonexistent' })).toThrow(/^DATA_ENCRYPTION_KEY: /);
  });
});

describe('durability guard', () => {
  const pool = (settings: Record<string, string>) =>
    ({ query: async () => ({ rows: Object.entries(settings).map(([name, setting]) => ({ name, setting })) }) }) as never;
  it('refuses fsync=off and full_page_writes=off', async () => {
    await expect(assertDurable(pool({ fsync: 'off', full_page_writes: 'on', server_version_num: '150004' }))).rejects.toThrow(/fsync=off/);
    await expect(assertDurable(pool({ fsync: 'on', full_page_writes: 'off', server_version_num: '150004' }))).rejects.toThrow(/full_page_writes=off/);
    await expect(assertDurable(pool({ fsync: 'on', full_page_writes: 'on', server_version_num: '140010' }))).rejects.toThrow(/15 or newer/);
    await expect(assertDurable(pool({ fsync: 'on', full_page_writes: 'on', server_version_num: '150004' }))).resolves.toBeUndefined();
  });
});
