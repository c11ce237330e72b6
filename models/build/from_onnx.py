"""Rebuilds a train.py checkpoint from the shipped fp32 graph (models/tiny-codellama/onnx/model.onnx, as fuse.py wrote
it: packed QKV and gate+up, matrices stored [in, out]), so that a later training phase (finetune.py) can start from
the shipped weights without the original checkpoint. Exact: the fp32 initializers are the trained weights.
Usage: python3 from_onnx.py MODEL_DIR OUT_CKPT"""
import json, os, sys
import numpy as np
import onnx
import torch
from onnx import numpy_helper
sys.path.insert(0, os.path.dirname(__file__))
from model import Shape, TinyCodeLlama

model_dir, out = sys.argv[1], sys.argv[2]
cfg = json.load(open(os.path.join(model_dir, 'config.json')))
shape = Shape(vocab_size=cfg['vocab_size'], hidden_size=cfg['hidden_size'], num_hidden_layers=cfg['num_hidden_layers'],
              num_attention_heads=cfg['num_attention_heads'], num_key_value_heads=cfg['num_key_value_heads'],
              intermediate_size=cfg['intermediate_size'], rope_theta=cfg['rope_theta'], rms_norm_eps=cfg['rms_norm_eps'],
              max_position_embeddings=cfg['max_position_embeddings'])
inits = {i.name: numpy_helper.to_array(i) for i in onnx.load(os.path.join(model_dir, 'onnx', 'model.onnx')).graph.initializer}
q_out, kv_out = shape.num_attention_heads * shape.head_dim, shape.num_key_value_heads * shape.head_dim
t = lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))  # noqa: E731
state = {'embed_t': t(inits['embed_t']), 'norm.weight': t(inits['final_norm'])}
for i in range(shape.num_hidden_layers):
    p = f'model.layers.{i}.'
    qkv = inits[p + 'qkv'].T  # [out, in]
    gate_up = inits[p + 'gate_up'].T
    state.update({
        f'layers.{i}.input_layernorm.weight': t(inits[p + 'ln1']),
        f'layers.{i}.post_attention_layernorm.weight': t(inits[p + 'ln2']),
        f'layers.{i}.q_proj.weight': t(qkv[:q_out]),
        f'layers.{i}.k_proj.weight': t(qkv[q_out:q_out + kv_out]),
        f'layers.{i}.v_proj.weight': t(qkv[q_out + kv_out:]),
        f'layers.{i}.o_proj.weight': t(inits[p + 'o_proj'].T),
        f'layers.{i}.gate_proj.weight': t(gate_up[:shape.intermediate_size]),
        f'layers.{i}.up_proj.weight': t(gate_up[shape.intermediate_size:]),
        f'layers.{i}.down_proj.weight': t(inits[p + 'down_proj'].T),
    })
model = TinyCodeLlama(shape)
model.load_state_dict(state)  # strict: every parameter of the model, and nothing else
torch.save({'shape': shape.to_dict(), 'state': model.state_dict(), 'step': 0, 'from': 'onnx'}, out)
print('wrote', out, sum(v.numel() for v in state.values()), 'parameters')
