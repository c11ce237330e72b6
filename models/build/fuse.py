"""Rewrites the trained model's PyTorch export (about 700 small ONNX nodes) as the fused graph onnxruntime-genai's model
builder makes: GroupQueryAttention with packed QKV and rotary inside, SkipSimplifiedLayerNormalization, SiLU-gated
MLP with one gate+up matrix, num_logits_to_keep. Same weights, same function; about 60 nodes, and past/present KV
that can share one buffer (the engine's `shared` KV layout). The graph itself is built by bench/scale/build_model.py.
Usage: python3 fuse.py MODEL_DIR   (rewrites MODEL_DIR/onnx/model.onnx in place; keep a copy to compare)"""
import json, os, sys, tempfile
import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'bench', 'scale'))
import build_model as bm  # noqa: E402

PROJ = {'q_proj': 'self_attn.q_proj', 'k_proj': 'self_attn.k_proj', 'v_proj': 'self_attn.v_proj', 'o_proj': 'self_attn.o_proj',
        'gate_proj': 'mlp.gate_proj', 'up_proj': 'mlp.up_proj', 'down_proj': 'mlp.down_proj'}


def hf_weights(model):
    """The export's initializers under Hugging Face names, matrices as [out, in]."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    out = {k: v for k, v in inits.items() if k.endswith('layernorm.weight') or k == 'model.norm.weight'}
    out['model.embed_tokens.weight'] = inits['model.embed_t'].T  # the export keeps the tied table as [hidden, vocab]
    for n in model.graph.node:
        if n.op_type != 'MatMul' or not n.name.startswith('/layers.'):
            continue
        layer, proj = n.name.split('/')[1].split('.')[1], n.name.split('/')[2]
        if proj in PROJ:
            out[f'model.layers.{layer}.{PROJ[proj]}.weight'] = inits[n.input[1]].T
    return out


def main(model_dir):
    cfg = json.load(open(os.path.join(model_dir, 'config.json')))
    src = os.path.join(model_dir, 'onnx', 'model.onnx')
    weights = hf_weights(onnx.load(src))
    bm.V, bm.H, bm.I, bm.L = cfg['vocab_size'], cfg['hidden_size'], cfg['intermediate_size'], cfg['num_hidden_layers']
    bm.NH, bm.KVH, bm.HD, bm.CTX = cfg['num_attention_heads'], cfg['num_key_value_heads'], cfg['head_dim'], cfg['max_position_embeddings']
    bm.THETA, bm.EPS, bm.TIED = cfg['rope_theta'], cfg['rms_norm_eps'], cfg['tie_word_embeddings']
    bm.weight = lambda name, shape: weights[name].astype(np.float32).reshape(shape)
    with tempfile.TemporaryDirectory() as tmp:
        built = bm.build_onnx(tmp, 32)
        fused = onnx.load(built)  # reads the external data back in: the shipped file keeps its weights inside
        onnx.save(fused, src)
    print(f'fused {src}: {len(fused.graph.node)} nodes')


if __name__ == '__main__':
    main(sys.argv[1])
