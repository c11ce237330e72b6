export { Engine, type EngineStats, type EngineInfo, type EngineOptions, type CompleteOptions } from './engine';
export {
  openModelFolder,
  readModelConfig,
  MODEL_VARIANTS,
  type ModelVariant,
  type ModelVariantSetting,
  type ModelConfig,
  type ModelFolder,
} from './modelFolder';
export { autoProviders, PROVIDER_LABELS, type ExecutionProvider, type ExecutionProviderSetting } from './providers';
export { Tokenizer, type ChatMessage } from './tokenizer';
export { GREEDY, sampleToken, seededRandom, argmax, type SamplingOptions } from './sampling';
export { TextStream } from './textStream';
export { PreemptedError, type GenerateRequest, type GenerateResult, type StopReason } from './types';
