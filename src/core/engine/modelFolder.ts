import * as fs from 'node:fs';
import * as path from 'node:path';
import { InfillError } from '../errors';

/** The quantization variants that Hugging Face ONNX exports (Optimum, transformers.js, onnx-community) ship. */
export type ModelVariant = 'fp32' | 'fp16' | 'q8' | 'q4';
export const MODEL_VARIANTS: readonly ModelVariant[] = ['q8', 'fp32', 'fp16', 'q4'];
/** `auto`: the dtype the export names in config.json's transformers.js_config, else q8. */
export type ModelVariantSetting = 'auto' | ModelVariant;

const DTYPE_TO_VARIANT: Record<string, ModelVariant> = {
  fp32: 'fp32',
  fp16: 'fp16',
  q8: 'q8',
  int8: 'q8',
  uint8: 'q8',
  q4: 'q4',
  q4f16: 'q4',
  bnb4: 'q4',
};

/** File names under onnx/ for each variant, in the order transformers.js looks for them. */
const VARIANT_FILES: Record<ModelVariant, readonly string[]> = {
  fp32: ['model.onnx', 'decoder_model_merged.onnx'],
  fp16: ['model_fp16.onnx', 'decoder_model_merged_fp16.onnx'],
  q8: ['model_quantized.onnx', 'model_int8.onnx', 'model_uint8.onnx', 'decoder_model_merged_quantized.onnx'],
  q4: ['model_q4.onnx', 'model_q4f16.onnx', 'model_bnb4.onnx', 'decoder_model_merged_q4.onnx'],
};

/** The parts of a Hugging Face config.json that the engine needs, resolved for every decoder family. */
export interface ModelConfig {
  modelType: string;
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  maxPositions: number;
  bosTokenId: number | undefined;
  eosTokenIds: number[];
}

export interface ModelFolder {
  dir: string;
  /** Folder name, or the `_name_or_path` of the config: what the user sees as the model's name. */
  name: string;
  config: ModelConfig;
  variant: ModelVariant;
  /** The graph; onnxruntime loads external weights (`model.onnx_data`) from beside it by itself. */
  onnxPath: string;
  /** Why the requested variant was not used, when it was not. */
  variantNote: string | undefined;
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json'];

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InfillError('model-not-found', `Cannot read ${file}`, 'Check that the model folder is complete', {
      cause: err,
    });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new InfillError('model-corrupt', `${file} is not valid JSON`, 'Download or rebuild the model folder again', {
      cause: err,
    });
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ids = (v: unknown): number[] =>
  Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : typeof v === 'number' ? [v] : [];

/** Reads config.json (and generation_config.json for extra eos ids) into the shapes the engine needs. */
export function readModelConfig(dir: string): ModelConfig {
  const raw = readJson(path.join(dir, 'config.json'));
  const text = (raw['text_config'] as Record<string, unknown> | undefined) ?? raw;
  const hiddenSize = num(text['hidden_size']) ?? num(text['n_embd']) ?? num(text['d_model']);
  const numLayers = num(text['num_hidden_layers']) ?? num(text['n_layer']) ?? num(text['num_layers']);
  const numHeads = num(text['num_attention_heads']) ?? num(text['n_head']);
  const vocabSize = num(text['vocab_size']);
  if (hiddenSize === undefined || numLayers === undefined || numHeads === undefined || vocabSize === undefined) {
    throw new InfillError(
      'model-corrupt',
      `${path.join(dir, 'config.json')} lacks hidden_size, num_hidden_layers, num_attention_heads or vocab_size`,
      'Use a Hugging Face decoder export whose config.json describes the model',
    );
  }
  let eos = ids(text['eos_token_id']);
  const genPath = path.join(dir, 'generation_config.json');
  if (fs.existsSync(genPath)) eos = [...new Set([...eos, ...ids(readJson(genPath)['eos_token_id'])])];
  return {
    modelType:
      typeof text['model_type'] === 'string'
        ? text['model_type']
        : typeof raw['model_type'] === 'string'
          ? raw['model_type']
          : 'unknown',
    vocabSize,
    hiddenSize,
    numLayers,
    numHeads,
    numKvHeads: num(text['num_key_value_heads']) ?? num(text['multi_query'] === true ? 1 : undefined) ?? numHeads,
    headDim: num(text['head_dim']) ?? hiddenSize / numHeads,
    maxPositions: num(text['max_position_embeddings']) ?? num(text['n_positions']) ?? 4096,
    bosTokenId: num(text['bos_token_id']),
    eosTokenIds: eos,
  };
}

/**
 * Opens a model folder in the Hugging Face ONNX layout and picks the ONNX file for `wanted`,
 * falling back to the other variants (in MODEL_VARIANTS order) when that one is not there.
 */
export function openModelFolder(dir: string, setting: ModelVariantSetting = 'auto'): ModelFolder {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new InfillError(
      'model-not-found',
      `Model folder ${abs} does not exist`,
      'Pass --model with a folder that holds config.json, tokenizer.json and onnx/model*.onnx (see README: Using a real model)',
    );
  }
  for (const f of REQUIRED_FILES) {
    if (!fs.existsSync(path.join(abs, f))) {
      throw new InfillError(
        'model-not-found',
        `Model folder ${abs} has no ${f}`,
        'Download the complete export (config.json, tokenizer.json, tokenizer_config.json, onnx/) into that folder',
      );
    }
  }
  const config = readModelConfig(abs);
  const raw = readJson(path.join(abs, 'config.json'));
  const tjs = raw['transformers.js_config'] as { dtype?: unknown } | undefined;
  const preferred = typeof tjs?.dtype === 'string' ? DTYPE_TO_VARIANT[tjs.dtype] : undefined;
  const wanted: ModelVariant = setting === 'auto' ? (preferred ?? 'q8') : setting;
  const order = [wanted, ...MODEL_VARIANTS.filter((v) => v !== wanted)];
  for (const variant of order) {
    for (const file of VARIANT_FILES[variant]) {
      const onnxPath = path.join(abs, 'onnx', file);
      if (!fs.existsSync(onnxPath)) continue;
      const name =
        typeof raw['_name_or_path'] === 'string' && raw['_name_or_path'] ? raw['_name_or_path'] : path.basename(abs);
      return {
        dir: abs,
        name,
        config,
        variant,
        onnxPath,
        variantNote:
          variant === wanted ? undefined : `variant ${wanted} is not in ${path.join(abs, 'onnx')}; using ${variant}`,
      };
    }
  }
  throw new InfillError(
    'model-not-found',
    `Model folder ${abs} has no onnx/model*.onnx`,
    'Download the ONNX export of the model (the onnx/ folder of an onnx-community or Xenova repository)',
  );
}
