import { disposeSharedEngines } from './model';

/** Root hooks: release every engine the tests loaded. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await disposeSharedEngines();
  },
};
