export { runInSandbox, sandboxPassed, SANDBOX_DEFAULTS, SANDBOX_LANGUAGES } from './sandbox';
export type { SandboxLanguage, SandboxRequest, SandboxResult } from './sandbox';
export { isolationPlan } from './isolation';
