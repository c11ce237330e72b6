export * from './codeLlamaInstruct';
export * from './context';
export * from './conversation';
export * from './prompt';
export type * from './types';
