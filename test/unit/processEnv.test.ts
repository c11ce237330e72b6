import { strict as assert } from 'node:assert';
import { ENGINE_MALLOC_TUNABLES, engineProcessEnv } from '../../src/engine-client/processEnv';

describe('engine process environment (glibc malloc tunables)', () => {
  it('adds the malloc tunables and keeps the rest of the environment', () => {
    const env = engineProcessEnv({ PATH: '/usr/bin', HOME: '/home/u' });
    assert.equal(env['GLIBC_TUNABLES'], ENGINE_MALLOC_TUNABLES);
    assert.equal(env['PATH'], '/usr/bin');
    assert.equal(env['HOME'], '/home/u');
    assert.match(ENGINE_MALLOC_TUNABLES, /^glibc\.malloc\.mmap_threshold=\d+:glibc\.malloc\.trim_threshold=\d+$/);
  });

  it('appends to tunables of other glibc parts the user set', () => {
    const env = engineProcessEnv({ GLIBC_TUNABLES: 'glibc.rtld.optional_static_tls=2048' });
    assert.equal(env['GLIBC_TUNABLES'], `glibc.rtld.optional_static_tls=2048:${ENGINE_MALLOC_TUNABLES}`);
  });

  it("leaves the user's own malloc tunables alone", () => {
    const env = engineProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    assert.equal(env['GLIBC_TUNABLES'], 'glibc.malloc.arena_max=2');
  });

  it('does not change the environment it was given', () => {
    const base = { PATH: '/bin' };
    engineProcessEnv(base);
    assert.deepEqual(base, { PATH: '/bin' });
  });
});
