// Measures the built model and writes MODEL_DIR/eval.json:
//  - validation loss (full vocabulary, from train.py's log);
//  - single-line infilling on held-out files: exact match (stripped), the share of middles ended with ▁<EOT> within
//    64 tokens, and the share ended with ▁<EOT> or </s> (both stop the engine), in SPM (what `auto` picks for a
//    whole-line hole) and PSM;
//  - greedy parity: PyTorch vs onnxruntime-node (fp32), onnxruntime-node vs transformers.js generate() (fp32 and q8);
//  - HumanEval-SingleLineInfilling pass@1 by execution, through `infill eval fim` (the CLI a user runs: the completion
//    pipeline and the sandbox), in PSM and SPM, as in the Code Llama paper's single-line table.
// Usage: node --import tsx models/build/evaluate.ts MODEL_DIR WORK_DIR
//        node --import tsx models/build/evaluate.ts MODEL_DIR --humaneval-only   (updates only that part of eval.json)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/core/engine';
import { buildFimPrompt, type FimOrder } from '../../src/core/fim';
import { transformersJsGreedy } from '../../test/helpers/transformersJs';

interface Case { file: string; line: number; prefix: string; middle: string; suffix: string }
interface Prompt { name: string; ids: number[]; maxNewTokens: number; stopIds: number[]; torch: number[] }

const trimStop = (tokens: number[], stops: number[]) => (stops.includes(tokens[tokens.length - 1]!) ? tokens.slice(0, -1) : tokens);

async function singleLine(engine: Engine, cases: Case[], order: FimOrder) {
  let exact = 0, eot = 0, ended = 0, ms = 0;
  for (const c of cases) {
    const prompt = buildFimPrompt(engine.tokenizer, c.prefix, c.suffix, { order });
    const r = await engine.generate({ promptIds: prompt.ids, maxNewTokens: 64, stopTokenIds: prompt.stopTokenIds });
    if (r.text.trim() === c.middle.trim()) exact++;
    if (r.stopReason === 'stop-token') eot++;
    if (r.stopReason === 'stop-token' || r.stopReason === 'eos') ended++;
    ms += r.totalMs;
  }
  const pct = (n: number) => Math.round((1000 * n) / cases.length) / 10;
  return { order, cases: cases.length, exactMatchPercent: pct(exact), eotWithin64Percent: pct(eot), endedWithEotOrEosWithin64Percent: pct(ended),
    meanMsPerCase: Math.round(ms / cases.length) };
}

async function parity(engine: Engine, prompts: Prompt[], reference: (p: Prompt, i: number) => number[]) {
  const rows = [];
  for (const [i, p] of prompts.entries()) {
    engine.clearCache();
    const ours = await engine.generate({ promptIds: p.ids, maxNewTokens: p.maxNewTokens, stopTokenIds: p.stopIds });
    const ref = trimStop(reference(p, i), p.stopIds);
    rows.push({ prompt: p.name, promptTokens: p.ids.length, tokens: ours.tokens.length, agree: JSON.stringify(ours.tokens) === JSON.stringify(ref) });
  }
  return { prompts: rows.length, agreeing: rows.filter((r) => r.agree).length, rows };
}

/** `infill eval fim --json` on the model folder, run as a user runs it (src/cli/main.ts through tsx). */
function humanEvalSingleLine(dir: string) {
  const cli = path.join(__dirname, '../../src/cli/main.ts');
  const rows = [];
  for (const [variant, fim] of [['q8', 'spm'], ['q8', 'psm'], ['fp32', 'spm'], ['fp32', 'psm']] as const) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', cli, 'eval', 'fim', '--model', dir, '--variant', variant, '--fim', fim, '--json'],
      { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
    const r = JSON.parse(out) as { tasks: number; passed: number; passAt1: number; exactMatch: number; latencyMs: { p50: number; p95: number } };
    const pct = (x: number) => Math.round(x * 1000) / 10;
    rows.push({ variant, order: fim, tasks: r.tasks, passed: r.passed, passAt1Percent: pct(r.passAt1), exactMatchPercent: pct(r.exactMatch), latencyMs: r.latencyMs });
    console.log('humaneval', JSON.stringify(rows[rows.length - 1]));
  }
  return { dataset: 'HumanEval-SingleLineInfilling (1,033 tasks, executed in the sandbox)', command: 'infill eval fim --variant V --fim ORDER', rows };
}

async function main(): Promise<void> {
  const [modelDir, work] = process.argv.slice(2);
  if (!modelDir || !work) throw new Error('usage: evaluate.ts MODEL_DIR WORK_DIR | evaluate.ts MODEL_DIR --humaneval-only');
  const dir = path.resolve(modelDir);
  if (work === '--humaneval-only') {
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'eval.json'), 'utf8')) as Record<string, unknown>;
    result['humanEvalSingleLineInfilling'] = humanEvalSingleLine(dir);
    fs.writeFileSync(path.join(dir, 'eval.json'), JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const cases = fs.readFileSync(path.join(work, 'eval_cases.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Case);
  const prompts = JSON.parse(fs.readFileSync(path.join(work, 'torch_reference.json'), 'utf8')) as Prompt[];
  const log = fs.readFileSync(path.join(dir, 'train_log.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t').map(Number));
  const last = log[log.length - 1]!;
  const corpus = JSON.parse(fs.readFileSync(path.join(work, 'corpus.json'), 'utf8')) as Record<string, unknown>;

  const result: Record<string, unknown> = {
    training: { steps: last[0], minutes: last[1], tokensSeen: last[2], finalTrainLoss: last[3], validationLoss: last[4], validationWindowTokens: last[5],
      trainTokens: corpus['trainTokens'], heldOutFiles: corpus['heldOutFiles'] },
  };
  for (const variant of ['fp32', 'q8'] as const) {
    const engine = await Engine.load({ modelDir: dir, variant, provider: 'cpu', threads: 2 });
    try {
      const tjs = await transformersJsGreedy(dir, variant, prompts.map((p) => p.ids), 32);
      result[`parity_${variant}`] = {
        ...(variant === 'fp32' ? { pytorchVsOnnxruntime: await parity(engine, prompts, (p) => p.torch) } : {}),
        onnxruntimeVsTransformersJs: await parity(engine, prompts, (_, i) => tjs[i]!),
      };
      // Both orders on fp32; the q8 file in the order `auto` picks for a whole-line hole (SPM).
      result[`singleLineInfilling_${variant}`] = variant === 'fp32'
        ? [await singleLine(engine, cases, 'spm'), await singleLine(engine, cases, 'psm')]
        : [await singleLine(engine, cases, 'spm')];
      console.log(variant, JSON.stringify(result[`singleLineInfilling_${variant}`]));
    } finally {
      await engine.dispose();
    }
  }
  result['humanEvalSingleLineInfilling'] = humanEvalSingleLine(dir);
  fs.writeFileSync(path.join(dir, 'eval.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, (k, v: unknown) => (k === 'rows' ? undefined : v), 2));
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
