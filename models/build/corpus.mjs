// Builds the training streams for the tiny model from permissively licensed Python code on this machine: the standard
// library and a few pure-Python Debian packages (sources and licenses in SOURCES).
// Whole files are held out for evaluation (every 15th file after a seeded shuffle).
// Each example is one window of a file, as plain causal LM (30%) or as fill-in-the-middle in Code Llama's format (70%,
// half PSM, half SPM), built exactly as Meta's infilling_prompt_tokens builds prompts, with the middle ending in ▁<EOT>.
// FIM split points are character positions: 60% a whole line, 15% from inside a line to its end, 25% a random span.
// Usage: node corpus.mjs MODEL_DIR WORK_DIR   -> WORK_DIR/{train,val,endings}.u16, endings_weight.u8, eval_cases.jsonl,
//        corpus.json
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { AutoTokenizer, env } from '@huggingface/transformers';

const [modelDir, workDir] = process.argv.slice(2);
if (!modelDir || !workDir) throw new Error('usage: node corpus.mjs MODEL_DIR WORK_DIR');
const SOURCES = [
  { root: '/usr/lib/python3.11', license: 'PSF-2.0', what: 'Python 3.11 standard library (Debian python3.11)' },
  { root: '/usr/lib/python3/dist-packages/numpy', license: 'BSD-3-Clause', what: 'NumPy (Debian python3-numpy)' },
  { root: '/usr/lib/python3/dist-packages/requests', license: 'Apache-2.0', what: 'Requests (Debian python3-requests)' },
  { root: '/usr/lib/python3/dist-packages/urllib3', license: 'MIT', what: 'urllib3 (Debian python3-urllib3)' },
  { root: '/usr/lib/python3/dist-packages/click', license: 'BSD-3-Clause', what: 'Click (Debian python3-click)' },
  { root: '/usr/lib/python3/dist-packages/attr', license: 'MIT', what: 'attrs (Debian python3-attr)' },
  { root: '/usr/lib/python3/dist-packages/yaml', license: 'MIT', what: 'PyYAML (Debian python3-yaml)' },
  { root: '/usr/lib/python3/dist-packages/setuptools', license: 'MIT', what: 'setuptools (Debian python3-setuptools)' },
];
const EVAL_CASES = 600;
const BOS = 1, EOS = 2, PRE = 32007, SUF = 32008, MID = 32009, EOT = 32010;

env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(modelDir)) + '/';
const tokenizer = await AutoTokenizer.from_pretrained(path.basename(path.resolve(modelDir)), { local_files_only: true });
const encode = (s) => tokenizer.encode(s, { add_special_tokens: false });
const SMILE = encode('☺');
const encodeInfilling = (s) => encode('☺' + s).slice(SMILE.length);

let state = 20240607;
const random = () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state / 4294967296; };
const randInt = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const shuffle = (xs) => { for (let i = xs.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [xs[i], xs[j]] = [xs[j], xs[i]]; } return xs; };

const EXCLUDED = /\/(test|tests|idle_test|site-packages|dist-packages|__pycache__)\/|\/encodings\/(cp|mac|iso|koi|hp|tis|ptcp|kz)|pydoc_data/;
const present = SOURCES.filter((s) => fs.existsSync(s.root));
const files = present.flatMap((s) => execFileSync('find', [s.root, '-name', '*.py', '-size', '+1k', '-size', '-200k'], { maxBuffer: 1 << 26 })
  .toString().split('\n').filter((f) => f && !EXCLUDED.test(f.slice(s.root.length - 1)))).sort();
shuffle(files);

/** Text that looks like code a person wrote: ASCII, short lines. */
function usable(text) {
  if (text.length < 500 || (text.match(/[^\x00-\x7f]/g)?.length ?? 0) > text.length * 0.002) return false;
  const lines = text.split('\n');
  return lines.filter((l) => l.length > 100).length < lines.length * 0.05;
}

/** Windows of up to 28 lines / 900 characters, cut at line ends. */
function windows(text) {
  const lines = text.split('\n');
  const out = [];
  let cur = [];
  let len = 0;
  for (const line of lines) {
    cur.push(line);
    len += line.length + 1;
    if (cur.length >= 28 || len > 900) { out.push(cur.join('\n') + '\n'); cur = []; len = 0; }
  }
  if (cur.length > 4) out.push(cur.join('\n') + '\n');
  return out;
}

/** Character offsets [a, b) of the middle. */
function pickMiddle(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const r = random();
  const li = randInt(1, Math.max(1, starts.length - 3));
  const lineStart = starts[li], lineEnd = starts[li + 1] ?? text.length;
  if (r < 0.6) return [lineStart, lineEnd];
  if (r < 0.75) return [randInt(lineStart, Math.max(lineStart, lineEnd - 2)), lineEnd];
  const a = randInt(0, text.length - 2);
  return [a, Math.min(text.length, a + randInt(1, 200))];
}

function example(window) {
  const r = random();
  if (r < 0.3) return [BOS, ...encode(window), EOS];
  const [a, b] = pickMiddle(window);
  const prefix = window.slice(0, a), middle = window.slice(a, b), suffix = window.slice(b);
  return r < 0.65
    ? [BOS, PRE, ...encode(prefix), SUF, ...encodeInfilling(suffix), MID, ...encodeInfilling(middle), EOT]
    : [BOS, PRE, SUF, ...encodeInfilling(suffix), MID, ...encode(prefix), ...encodeInfilling(middle), EOT];
}

/** Single-line infilling cases in the style of HumanEval-SingleLineInfilling: the middle is one whole line. */
function evalCases(file, text) {
  const lines = text.split('\n');
  const cases = [];
  for (let tries = 0; tries < 40; tries++) {
    const i = randInt(3, lines.length - 3);
    if (lines[i].trim().length < 4 || lines[i].trim().startsWith('#')) continue;
    const prefix = lines.slice(Math.max(0, i - 20), i).join('\n') + '\n';
    const suffix = lines.slice(i + 1, i + 11).join('\n');
    cases.push({ file, line: i + 1, prefix: prefix.slice(-900), middle: lines[i] + '\n', suffix: suffix.slice(0, 500) });
  }
  return cases;
}

const train = [], val = [], heldOut = [], cases = [];
let trainFiles = 0, trainChars = 0;
const t0 = Date.now();
for (const [i, file] of files.entries()) {
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  if (!usable(text)) continue;
  if (i % 15 === 0) {
    heldOut.push(file);
    for (const w of windows(text)) val.push(...example(w));
    cases.push(...evalCases(file, text));
  } else {
    trainFiles++;
    trainChars += text.length;
    for (const w of windows(text)) train.push(...example(w));
  }
}
shuffle(cases);
fs.mkdirSync(workDir, { recursive: true });
fs.writeFileSync(path.join(workDir, 'train.u16'), Buffer.from(Uint16Array.from(train).buffer));
fs.writeFileSync(path.join(workDir, 'val.u16'), Buffer.from(Uint16Array.from(val).buffer));
fs.writeFileSync(path.join(workDir, 'eval_cases.jsonl'), cases.slice(0, EVAL_CASES).map((c) => JSON.stringify(c)).join('\n') + '\n');
const summary = {
  sources: present,
  trainFiles, trainChars, trainTokens: train.length, heldOutFiles: heldOut.length, valTokens: val.length,
  evalCases: Math.min(EVAL_CASES, cases.length), heldOut, seconds: (Date.now() - t0) / 1000,
};

// The endings stream (finetune.py): FIM examples shaped like the held-out cases (up to 20 lines / 900 characters of
// prefix, up to 10 lines / 500 characters of suffix) whose middle is one line (70%), the rest of a line (20%) or a
// short span in a line (10%), each whole inside the 512-token training window; weights mark the middle and its
// ▁<EOT> (what the model must learn to write and end) apart from the prompt.
// Generated after everything above, with its own seed: the streams above are the same as without it.
state = 20261207;
const endings = [], weights = [];
const MAX_EXAMPLE = 500;
for (const [i, file] of files.entries()) {
  if (i % 15 === 0) continue;
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  if (!usable(text)) continue;
  const lines = text.split('\n');
  for (let li = randInt(3, 12); li < lines.length - 1; li += randInt(8, 16)) {
    const line = lines[li] + '\n';
    if (line.trim().length < 2) continue;
    const before = lines.slice(Math.max(0, li - randInt(3, 20)), li).join('\n') + '\n';
    const after = lines.slice(li + 1, li + 1 + randInt(0, 10)).join('\n');
    const r = random();
    const [a, b] = r < 0.7 ? [0, line.length]
      : r < 0.9 ? [randInt(0, Math.max(0, line.length - 3)), line.length]
      : (() => { const x = randInt(0, Math.max(0, line.length - 3)); return [x, Math.min(line.length - 1, x + randInt(1, 20))]; })();
    if (b <= a) continue;
    const prefix = (before + line.slice(0, a)).slice(-900), middle = line.slice(a, b), suffix = (line.slice(b) + after).slice(0, 500);
    const prompt = random() < 0.5
      ? [BOS, PRE, ...encode(prefix), SUF, ...encodeInfilling(suffix), MID]
      : [BOS, PRE, SUF, ...encodeInfilling(suffix), MID, ...encode(prefix)];
    const answer = [...encodeInfilling(middle), EOT];
    if (prompt.length + answer.length > MAX_EXAMPLE) continue;
    endings.push(...prompt, ...answer);
    weights.push(...prompt.map(() => 0), ...answer.map(() => 1));
  }
}
fs.writeFileSync(path.join(workDir, 'endings.u16'), Buffer.from(Uint16Array.from(endings).buffer));
fs.writeFileSync(path.join(workDir, 'endings_weight.u8'), Buffer.from(Uint8Array.from(weights).buffer));
summary.endingsTokens = endings.length;
summary.endingsAnswerTokens = weights.reduce((x, y) => x + y, 0);
fs.writeFileSync(path.join(workDir, 'corpus.json'), JSON.stringify(summary, null, 2));
console.log({ ...summary, heldOut: undefined });
