// Writes the prompts (token ids) whose greedy decodes PyTorch (export.py) and onnxruntime (evaluate.ts) must agree on.
// Usage: node --import tsx models/build/prompts.ts MODEL_DIR OUT_JSON
import * as fs from 'node:fs';
import { Tokenizer } from '../../src/core/engine';
import { buildFimPrompt } from '../../src/core/fim';

async function main(): Promise<void> {
  const [modelDir, out] = process.argv.slice(2);
  if (!modelDir || !out) throw new Error('usage: prompts.ts MODEL_DIR OUT_JSON');
  const t = await Tokenizer.load(modelDir);
  const fim = (pre: string, suf: string, order: 'psm' | 'spm') => buildFimPrompt(t, pre, suf, { order }).ids;
  const prompts = [
    { name: 'fim-psm-return', ids: fim('def add(a, b):\n    return ', '\n\n\nprint(add(1, 2))\n', 'psm') },
    { name: 'fim-spm-init', ids: fim('class Point:\n    def __init__(self, x, y):\n        self.x = x\n', '\n    def norm(self):\n        return 0\n', 'spm') },
    { name: 'fim-psm-loop', ids: fim('total = 0\nfor item in items:\n    ', '\nprint(total)\n', 'psm') },
    { name: 'lm-imports', ids: [1, ...t.encode('import os\nimport sys\n\n\ndef main():\n    ')] },
    { name: 'lm-class', ids: [1, ...t.encode('class Config:\n    """Settings read from a file."""\n\n    def __init__(self, path):\n')] },
    { name: 'lm-long', ids: [1, ...t.encode(fs.readFileSync('/usr/lib/python3.11/argparse.py', 'utf8').slice(0, 5000))].slice(0, 1100) },
  ];
  fs.writeFileSync(out, JSON.stringify(prompts.map((p) => ({ ...p, maxNewTokens: 32, stopIds: [2, 32010] }))));
  console.log(`wrote ${prompts.length} prompts to ${out}`);
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
