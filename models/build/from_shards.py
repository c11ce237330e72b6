"""Rebuilds a train.py-style checkpoint from recipe.py's bf16 shards (weights.json + weights-NN.bin, what comes back
from a lent GPU), so that export.py, fuse.py and quantize.py make the ONNX files from it as from any other checkpoint.
Usage: python3 from_shards.py SHARD_DIR OUT_CKPT"""
import json, os, sys
import numpy as np
import torch
sys.path.insert(0, os.path.dirname(__file__))
from model import Shape, TinyCodeLlama

src, out = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(src, 'weights.json')))
if manifest['dtype'] != 'bfloat16':
    sys.exit(f"from_shards.py: expected bfloat16 shards, found {manifest['dtype']}")
blob = b''.join(open(os.path.join(src, name), 'rb').read() for name in manifest['shards'])
state = {}
for t in manifest['tensors']:
    bf16 = np.frombuffer(blob, dtype=np.uint16, count=t['bytes'] // 2, offset=t['offset'])
    # bfloat16 is the top half of a float32: widen exactly.
    state[t['name']] = torch.from_numpy((bf16.astype(np.uint32) << 16).view(np.float32).reshape(t['shape']).copy())
shape = Shape(**manifest['shape'])
model = TinyCodeLlama(shape)
model.load_state_dict(state)  # strict: every tensor the model has, no other
torch.save({'shape': shape.to_dict(), 'state': model.state_dict(), 'step': None}, out)
print(f'{out}: {sum(v.numel() for v in state.values()) / 1e6:.2f}M parameters from {len(manifest["shards"])} shards')
