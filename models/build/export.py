"""Exports a checkpoint from train.py to the Hugging Face ONNX layout that Optimum and transformers.js use:
config.json, generation_config.json and onnx/model.onnx (fp32) with the past_key_values.* / present.* KV-cache signature
and dynamic batch / sequence / past axes. Then runs PyTorch greedy decoding on the prompts in PROMPTS_JSON (token ids)
and writes the reference tokens to OUT_JSON, for the onnxruntime parity check.
Usage: python3 export.py CKPT MODEL_DIR [PROMPTS_JSON OUT_JSON]"""
import json, os, sys
import torch
sys.path.insert(0, os.path.dirname(__file__))
from model import Shape, TinyCodeLlama, OnnxDecoder

ckpt_path, model_dir = sys.argv[1], sys.argv[2]
ckpt = torch.load(ckpt_path)
shape = Shape(**ckpt['shape'])
model = TinyCodeLlama(shape)
model.load_state_dict(ckpt['state'])
model.eval()
L, KV, HD = shape.num_hidden_layers, shape.num_key_value_heads, shape.head_dim

os.makedirs(os.path.join(model_dir, 'onnx'), exist_ok=True)
torch.manual_seed(0)
b, s, p = 2, 3, 5  # trace with a non-empty past so the concatenation path is in the graph
example = (torch.randint(3, 32000, (b, s)), torch.ones(b, p + s, dtype=torch.long),
           torch.arange(p, p + s).unsqueeze(0).repeat(b, 1), *[torch.randn(b, KV, p, HD) for _ in range(2 * L)])
inputs = ['input_ids', 'attention_mask', 'position_ids'] + [f'past_key_values.{i}.{kv}' for i in range(L) for kv in ('key', 'value')]
outputs = ['logits'] + [f'present.{i}.{kv}' for i in range(L) for kv in ('key', 'value')]
axes = {'input_ids': {0: 'batch_size', 1: 'sequence_length'},
        'attention_mask': {0: 'batch_size', 1: 'total_sequence_length'},
        'position_ids': {0: 'batch_size', 1: 'sequence_length'},
        'logits': {0: 'batch_size', 1: 'sequence_length'}}
axes.update({n: {0: 'batch_size', 2: 'past_sequence_length'} for n in inputs[3:]})
axes.update({n: {0: 'batch_size', 2: 'total_sequence_length'} for n in outputs[1:]})
onnx_path = os.path.join(model_dir, 'onnx', 'model.onnx')
with torch.no_grad():
    torch.onnx.export(OnnxDecoder(model), example, onnx_path, input_names=inputs, output_names=outputs,
                      dynamic_axes=axes, opset_version=14, do_constant_folding=True)
print('wrote', onnx_path, os.path.getsize(onnx_path), 'bytes')

config = {
    'architectures': ['LlamaForCausalLM'], 'model_type': 'llama',
    'vocab_size': shape.vocab_size, 'hidden_size': shape.hidden_size, 'intermediate_size': shape.intermediate_size,
    'num_hidden_layers': L, 'num_attention_heads': shape.num_attention_heads, 'num_key_value_heads': KV,
    'head_dim': HD, 'hidden_act': 'silu', 'max_position_embeddings': shape.max_position_embeddings,
    'rms_norm_eps': shape.rms_norm_eps, 'rope_theta': shape.rope_theta, 'rope_scaling': None,
    'attention_bias': False, 'mlp_bias': False, 'tie_word_embeddings': True,
    'bos_token_id': 1, 'eos_token_id': 2, 'pad_token_id': None, 'torch_dtype': 'float32', 'use_cache': True,
    'transformers_version': '4.46.0',
    'transformers.js_config': {'dtype': 'q8', 'use_external_data_format': False},
}
with open(os.path.join(model_dir, 'config.json'), 'w') as f:
    json.dump(config, f, indent=2)
with open(os.path.join(model_dir, 'generation_config.json'), 'w') as f:
    json.dump({'bos_token_id': 1, 'eos_token_id': [2, 32010], 'max_new_tokens': 64, 'transformers_version': '4.46.0'}, f, indent=2)


def greedy(prompt, max_new, stop_ids):
    with torch.no_grad():
        ids = torch.tensor([prompt])
        mask = torch.ones_like(ids)
        pos = torch.arange(len(prompt)).unsqueeze(0)
        past = [torch.zeros(1, KV, 0, HD) for _ in range(2 * L)]
        out = []
        for _ in range(max_new):
            logits, past = model.forward_with_cache(ids, mask, pos, past)
            token = int(logits[0, -1].argmax())
            out.append(token)
            if token in stop_ids:
                break
            ids = torch.tensor([[token]])
            mask = torch.cat([mask, torch.ones(1, 1, dtype=torch.long)], 1)
            pos = pos[:, -1:] + 1
        return out


if len(sys.argv) > 4:
    prompts = json.load(open(sys.argv[3]))
    for prompt in prompts:
        prompt['torch'] = greedy(prompt['ids'], prompt['maxNewTokens'], set(prompt['stopIds']))
    json.dump(prompts, open(sys.argv[4], 'w'))
    print('reference greedy decodes:', len(prompts))
