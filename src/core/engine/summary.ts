import type { Engine } from './engine';
import type { FimSelfCheck } from './selfCheck';

/** How the engine host is asked to load a model (the editor's settings). */
export interface LoadParams {
  modelDir: string;
  variant: 'auto' | 'fp32' | 'fp16' | 'q8' | 'q4';
  provider: 'auto' | 'cpu' | 'cuda' | 'dml';
  threads: number;
  /** On the CPU, onnxruntime's C API with IO binding (see SessionOptions.ioBinding). */
  ioBinding: boolean;
  /** Run the FIM self-check after loading (the completion engine; not chat's). */
  selfCheck?: boolean;
}

/** What a loaded model is, for the status bar, the logs and Select Model. */
export interface ModelSummary {
  name: string;
  dir: string;
  variant: string;
  /** cpu | cuda | dml */
  provider: string;
  providerNote: string;
  fimFamily: string | undefined;
  hasChatTemplate: boolean;
  maxPositions: number;
  /** How the CPU provider runs: onnxruntime's C API with IO binding, or onnxruntime-node's session API. */
  runtime: 'io-binding' | 'session-api';
  /** The FIM self-check, when the load asked for it. */
  selfCheck?: FimSelfCheck;
}

export function summarize(engine: Engine): ModelSummary {
  const info = engine.info;
  return {
    name: info.name,
    dir: info.dir,
    variant: info.variant,
    provider: info.provider,
    providerNote: info.providerNote,
    fimFamily: info.fimFamily,
    hasChatTemplate: info.hasChatTemplate,
    maxPositions: info.config.maxPositions,
    runtime: info.runtime,
  };
}
