export * from './asserts';
export * from './candidates';
export * from './generateTests';
export * from './locate';
export * from './prompts';
export * from './selfInstruct';
export * from './testFile';
export type * from './types';
