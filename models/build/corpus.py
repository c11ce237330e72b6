"""Builds the training streams for the tiny model from permissively licensed Python code: a port of corpus.mjs for
machines with Python and the HF `tokenizers` package but no Node.js, byte for byte the same outputs from the same sources.
Sources (--sources): `debian` (default) is corpus.mjs's SOURCES (the standard library and a few pure-Python Debian
packages); `image` is the running interpreter's standard library plus every installed distribution whose metadata names
a permissive license (MIT, BSD, Apache-2.0, PSF, ISC, Unlicense; the others are listed in corpus.json as skipped),
leaving out vendored copies of other packages (_vendor/, third_party/, ...), whose licenses the metadata doesn't give.
Whole files are held out for evaluation (every 15th file after a seeded shuffle; --max-files N keeps the first N).
Each example is one window of a file, as plain causal LM (30%) or as fill-in-the-middle in Code Llama's format (70%,
half PSM, half SPM), built exactly as Meta's infilling_prompt_tokens builds prompts, with the middle ending in ▁<EOT>.
FIM split points are character positions: 60% a whole line, 15% from inside a line to its end, 25% a random span.
Strings are handled as JS handles them (lengths and slices in UTF-16 code units, JS's trim(), UTF-16 path order), and
all random numbers are drawn in corpus.mjs's order before any text is tokenized.
Usage: python3 corpus.py MODEL_DIR WORK_DIR [--sources debian|image] [--max-files N]
       -> WORK_DIR/{train,val,endings}.u16, endings_weight.u8, eval_cases.jsonl, corpus.json
"""
import argparse, importlib.metadata, json, math, os, re, subprocess, sys, sysconfig, time
from itertools import chain
import numpy as np
from tokenizers import Tokenizer

ap = argparse.ArgumentParser(usage=__doc__.split('Usage: ')[1].split('\n')[0])
ap.add_argument('model_dir'); ap.add_argument('work_dir')
ap.add_argument('--sources', choices=['debian', 'image'], default='debian')
ap.add_argument('--max-files', type=int)
args = ap.parse_args()
DEBIAN = [
  ('/usr/lib/python3.11', 'PSF-2.0', 'Python 3.11 standard library (Debian python3.11)'),
  ('/usr/lib/python3/dist-packages/numpy', 'BSD-3-Clause', 'NumPy (Debian python3-numpy)'),
  ('/usr/lib/python3/dist-packages/requests', 'Apache-2.0', 'Requests (Debian python3-requests)'),
  ('/usr/lib/python3/dist-packages/urllib3', 'MIT', 'urllib3 (Debian python3-urllib3)'),
  ('/usr/lib/python3/dist-packages/click', 'BSD-3-Clause', 'Click (Debian python3-click)'),
  ('/usr/lib/python3/dist-packages/attr', 'MIT', 'attrs (Debian python3-attr)'),
  ('/usr/lib/python3/dist-packages/yaml', 'MIT', 'PyYAML (Debian python3-yaml)'),
  ('/usr/lib/python3/dist-packages/setuptools', 'MIT', 'setuptools (Debian python3-setuptools)'),
]
EVAL_CASES, MAX_EXAMPLE = 600, 500
BOS, EOS, PRE, SUF, MID, EOT = 1, 2, 32007, 32008, 32009, 32010
EXCLUDED = re.compile(r'/(test|tests|idle_test|site-packages|dist-packages|__pycache__)/|/encodings/(cp|mac|iso|koi|hp|tis|ptcp|kz)|pydoc_data')
VENDORED = re.compile(r'/(_vendor|vendor|vendored|_vendored|extern|_extern|third_party|_third_party)/')  # image mode only
JS_WS = '\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
PERMISSIVE = [('MIT', r'\bMIT\b|\bExpat\b|Permission is hereby granted, free of charge'),
              ('BSD-3-Clause', r'BSD[- ]?3|\b(New|Modified|Revised) BSD|Neither the name'), ('BSD-2-Clause', r'BSD[- ]?2|Simplified BSD'),
              ('BSD', r'\bBSD\b|Redistribution and use in source and binary forms'), ('Apache-2.0', r'\bApache\b'),
              ('PSF-2.0', r'\bPSF\b|Python Software Foundation'), ('ISC', r'\bISC\b'), ('Unlicense', r'\bUnlicense\b')]
OTHER = r'GPL|\bMPL|Mozilla|EUPL|CDDL|\bEPL|Eclipse|Commons Clause|Proprietary|LicenseRef'

def license_of(term):
  """The permissive license `term` (an SPDX expression, a classifier or a License field) names, else None."""
  term = re.sub(r' WITH [\w.+-]+', '', term)  # an SPDX exception only adds permissions
  if re.fullmatch(r'[\w.+()-]+( (AND|OR) [\w.+()-]+)+', term):  # SPDX: each AND part needs a permissive OR part
    parts = [[license_of(x) for x in p.split(' OR ')] for p in term.replace('(', '').replace(')', '').split(' AND ')]
    return ' AND '.join(next(x for x in p if x) for p in parts) if all(any(p) for p in parts) else None
  if re.search(OTHER, term, re.I): return None
  return next((name for name, pat in PERMISSIVE if re.search(pat, term)), None)

def image_sources():
  """The interpreter's standard library and each permissively licensed distribution's top-level package folders."""
  sources, skipped, seen = [(sysconfig.get_paths()['stdlib'], 'PSF-2.0', f'Python {sys.version.split()[0]} standard library')], [], set()
  for dist in importlib.metadata.distributions():
    name, meta = dist.metadata['Name'], dist.metadata
    if not name or name.lower() in seen: continue
    seen.add(name.lower())
    terms = [meta.get('License-Expression') or '', *[c.split(' :: ')[-1] for c in meta.get_all('Classifier') or [] if c.startswith('License ::')]]
    terms = [t for t in terms if t and t != 'OSI Approved'] + ([meta['License']] if meta.get('License') else [])
    found = next((lic for lic in map(license_of, terms[:1] if meta.get('License-Expression') else terms) if lic), None)
    if not found:
      skipped.append({'name': name, 'version': dist.version, 'license': ' | '.join(t[:80] for t in terms) or 'none'})
      continue
    tops = {p.parts[0] if os.path.isfile(dist.locate_file(p.parts[0]) / '__init__.py') else '/'.join(p.parts[:2])
            for p in dist.files or [] if p.suffix == '.py' and len(p.parts) > 1 and p.parts[0] not in ('..', '__pycache__')}
    tops = tops or set((dist.read_text('top_level.txt') or '').split()) or {re.sub(r'[-.]', '_', name)}  # egg-info, no file list
    for top in sorted(tops):
      root = str(dist.locate_file(top))
      if os.path.isdir(root) and not any(root == s[0] or root.startswith(s[0] + '/') for s in sources[1:]):
        sources.append((root, found, f'{name} {dist.version}'))
  return sources, skipped

sources, skipped = image_sources() if args.sources == 'image' else (DEBIAN, None)
present = [s for s in sources if os.path.exists(s[0])]
tokenizer = Tokenizer.from_file(os.path.join(args.model_dir, 'tokenizer.json'))
SMILE = len(tokenizer.encode('☺', add_special_tokens=False).ids)

state = 20240607
def random():
  global state
  state = (state * 1664525 + 1013904223) % 4294967296
  return state / 4294967296
def rand_int(lo, hi): return lo + math.floor(random() * (hi - lo + 1))
def shuffle(xs):
  for i in range(len(xs) - 1, 0, -1):
    j = math.floor(random() * (i + 1)); xs[i], xs[j] = xs[j], xs[i]
  return xs

def js_string(text):
  """The text as JS holds it: one character per UTF-16 code unit (characters beyond U+FFFF become surrogate pairs)."""
  return text if not text or max(text) <= '\uffff' else ''.join(map(chr, np.frombuffer(text.encode('utf-16-le'), '<u2').tolist()))
def from_utf16(s): return s.encode('utf-16-le', 'surrogatepass').decode('utf-16-le')  # joins surrogate pairs
LONE = re.compile('[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]')  # from slicing through a pair
# JS's tokenizer byte-falls back on a lone surrogate as TextEncoder writes it (U+FFFD's bytes); MARK stands in for it
# here (it is not in the vocabulary either, so it splits the same way) and its bytes are swapped for U+FFFD's after.
MARK = '\U0010fffd'
MARK_IDS, FFFD_IDS = ([tokenizer.token_to_id(f'<0x{b:02X}>') for b in c.encode()] for c in (MARK, '\ufffd'))
def unmark(ids):
  out, k = [], 0
  while k < len(ids):
    if ids[k:k + 4] == MARK_IDS: out += FFFD_IDS; k += 4
    else: out.append(ids[k]); k += 1
  return out

def listing(root):
  out = subprocess.run(['find', root, '-name', '*.py', '-size', '+1k', '-size', '-200k'], check=True, capture_output=True).stdout
  return [f for f in out.decode('utf-8', 'replace').split('\n') if f and not EXCLUDED.search(f[len(root) - 1:])
          and not (args.sources == 'image' and VENDORED.search(f[len(root) - 1:]))]
files = shuffle(sorted(chain.from_iterable(listing(s[0]) for s in present), key=lambda f: f.encode('utf-16-be', 'surrogatepass')))
if args.max_files is not None: files = files[:args.max_files]

jobs = []  # (string, infilling, marked) to tokenize; examples hold -(k + 1) in place of job k's tokens
def encode(s, infilling=False):
  marked = False
  if re.search('[\ud800-\udfff]', s):
    marked = bool(LONE.search(s)); assert '\udbff\udffd' not in s; s = from_utf16(LONE.sub(MARK, s))
  jobs.append(('☺' + s if infilling else s, infilling, marked))
  return -len(jobs)
def encode_infilling(s): return encode(s, True)

def usable(text):
  """Text that looks like code a person wrote: ASCII, short lines."""
  if len(text) < 500 or len(re.findall(r'[^\x00-\x7f]', text)) > len(text) * 0.002: return False
  lines = text.split('\n')
  return sum(len(l) > 100 for l in lines) < len(lines) * 0.05

def windows(text):
  """Windows of up to 28 lines / 900 characters, cut at line ends."""
  out, cur, n = [], [], 0
  for line in text.split('\n'):
    cur.append(line); n += len(line) + 1
    if len(cur) >= 28 or n > 900: out.append('\n'.join(cur) + '\n'); cur, n = [], 0
  if len(cur) > 4: out.append('\n'.join(cur) + '\n')
  return out

def pick_middle(text):
  """Character offsets [a, b) of the middle."""
  starts = [0] + [m.end() for m in re.finditer('\n', text)]
  r = random()
  li = rand_int(1, max(1, len(starts) - 3))
  line_start, line_end = starts[li], starts[li + 1] if li + 1 < len(starts) else len(text)
  if r < 0.6: return line_start, line_end
  if r < 0.75: return rand_int(line_start, max(line_start, line_end - 2)), line_end
  a = rand_int(0, len(text) - 2)
  return a, min(len(text), a + rand_int(1, 200))

def example(window):
  r = random()
  if r < 0.3: return [BOS, encode(window), EOS]
  a, b = pick_middle(window)
  prefix, middle, suffix = window[:a], window[a:b], window[b:]
  return ([BOS, PRE, encode(prefix), SUF, encode_infilling(suffix), MID, encode_infilling(middle), EOT] if r < 0.65
          else [BOS, PRE, SUF, encode_infilling(suffix), MID, encode(prefix), encode_infilling(middle), EOT])

def eval_cases(file, text):
  """Single-line infilling cases in the style of HumanEval-SingleLineInfilling: the middle is one whole line."""
  lines, cases = text.split('\n'), []
  for _ in range(40):
    i = rand_int(3, len(lines) - 3)
    if len(lines[i].strip(JS_WS)) < 4 or lines[i].strip(JS_WS).startswith('#'): continue
    prefix = '\n'.join(lines[max(0, i - 20):i]) + '\n'
    suffix = '\n'.join(lines[i + 1:i + 11])
    cases.append({'file': file, 'line': i + 1, 'prefix': prefix[-900:], 'middle': lines[i] + '\n', 'suffix': suffix[:500]})
  return cases

def read(file):
  with open(file, 'rb') as f: return js_string(f.read().decode('utf-8', 'replace').replace('\r\n', '\n'))
t0 = time.time()
texts = [(i, file, text) for i, file in enumerate(files) if usable(text := read(file))]
train, val, held_out, cases, train_files, train_chars = [], [], [], [], 0, 0
for i, file, text in texts:
  if i % 15 == 0:
    held_out.append(file)
    val += [example(w) for w in windows(text)]
    cases += eval_cases(file, text)
  else:
    train_files += 1; train_chars += len(text)
    train += [example(w) for w in windows(text)]
shuffle(cases)

# The endings stream (finetune.py): FIM examples shaped like the held-out cases (up to 20 lines / 900 characters of
# prefix, up to 10 lines / 500 characters of suffix) whose middle is one line (70%), the rest of a line (20%) or a
# short span in a line (10%), each whole inside the 512-token training window; weights mark the middle and its
# ▁<EOT> (what the model must learn to write and end) apart from the prompt.
# Generated after everything above, with its own seed: the streams above are the same as without it.
state = 20261207
def line_indices(n):  # for (let li = randInt(3, 12); li < n - 1; li += randInt(8, 16)), drawn lazily as in JS
  li = rand_int(3, 12)
  while li < n - 1: yield li; li += rand_int(8, 16)
endings = []  # (prompt, answer)
for i, file, text in texts:
  if i % 15 == 0: continue
  lines = text.split('\n')
  for li in line_indices(len(lines)):
    line = lines[li] + '\n'
    if len(line.strip(JS_WS)) < 2: continue
    before = '\n'.join(lines[max(0, li - rand_int(3, 20)):li]) + '\n'
    after = '\n'.join(lines[li + 1:li + 1 + rand_int(0, 10)])
    r = random()
    if r < 0.7: a, b = 0, len(line)
    elif r < 0.9: a, b = rand_int(0, max(0, len(line) - 3)), len(line)
    else: a = rand_int(0, max(0, len(line) - 3)); b = min(len(line) - 1, a + rand_int(1, 20))
    if b <= a: continue
    prefix, middle, suffix = (before + line[:a])[-900:], line[a:b], (line[b:] + after)[:500]
    prompt = ([BOS, PRE, encode(prefix), SUF, encode_infilling(suffix), MID] if random() < 0.5
              else [BOS, PRE, SUF, encode_infilling(suffix), MID, encode(prefix)])
    endings.append((prompt, [encode_infilling(middle), EOT]))

ids = []
for k in range(0, len(jobs), 4096):
  batch = jobs[k:k + 4096]
  for e, (_, infilling, marked) in zip(tokenizer.encode_batch([j[0] for j in batch], add_special_tokens=False), batch):
    ids.append(unmark(e.ids[SMILE if infilling else 0:]) if marked else e.ids[SMILE if infilling else 0:])
def tokens(example): return list(chain.from_iterable(ids[-t - 1] if t < 0 else (t,) for t in example))
def stream(examples): return np.array(list(chain.from_iterable(map(tokens, examples))), dtype=np.uint16)
endings = [(p, a) for p, a in ((tokens(p), tokens(a)) for p, a in endings) if len(p) + len(a) <= MAX_EXAMPLE]

def js_json(obj, **kw):
  """JSON.stringify's text: lone surrogates escaped, surrogate pairs joined back into characters."""
  return from_utf16(LONE.sub(lambda m: f'\\u{ord(m[0]):04x}', json.dumps(obj, ensure_ascii=False, **kw)))
os.makedirs(args.work_dir, exist_ok=True)
out = lambda name: os.path.join(args.work_dir, name)
train, val = stream(train), stream(val)
train.tofile(out('train.u16')); val.tofile(out('val.u16'))
np.array(list(chain.from_iterable(p + a for p, a in endings)), dtype=np.uint16).tofile(out('endings.u16'))
np.array(list(chain.from_iterable([0] * len(p) + [1] * len(a) for p, a in endings)), dtype=np.uint8).tofile(out('endings_weight.u8'))
with open(out('eval_cases.jsonl'), 'w', encoding='utf-8', newline='\n') as f:
  f.write('\n'.join(js_json(c, separators=(',', ':')) for c in cases[:EVAL_CASES]) + '\n')
summary = {
  'sources': [{'root': r, 'license': lic, 'what': what} for r, lic, what in present],
  'trainFiles': train_files, 'trainChars': train_chars, 'trainTokens': len(train), 'heldOutFiles': len(held_out),
  'valTokens': len(val), 'evalCases': min(EVAL_CASES, len(cases)), 'heldOut': held_out,
  'seconds': round(time.time() - t0, 3),
  'endingsTokens': sum(len(p) + len(a) for p, a in endings), 'endingsAnswerTokens': sum(len(a) for _, a in endings),
  **({'skipped': skipped} if skipped is not None else {}), **({'maxFiles': args.max_files} if args.max_files is not None else {}),
}
with open(out('corpus.json'), 'w', encoding='utf-8') as f: f.write(js_json(summary, indent=2))
print(json.dumps({k: v for k, v in summary.items() if k not in ('heldOut', 'skipped')}, indent=2))
