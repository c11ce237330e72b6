"""Builds a Llama model of TinyLlama-1.1B's shape with deterministic random weights, for bench/scale:
  - Hugging Face ONNX layouts (config.json, tokenizer files, onnx/model*.onnx + external data) at fp32, int8 and int4,
    in the GroupQueryAttention style of onnxruntime-genai's model builder (packed QKV, rotary inside the attention op,
    past/present KV that may share one buffer), with a logits_to_keep input;
  - the same weights as GGUF (F16, Q8_0, Q4_0) for llama.cpp, written with llama.cpp's own gguf-py.
The int4 ONNX weights are the GGUF Q4_0 blocks re-packed for MatMulNBits (block 32, same scales, same zero point), so
both runtimes multiply by the same numbers. The int8 ONNX file quantizes the same fp32 weights per output column for
DynamicQuantizeMatMul (onnxruntime's int8 GEMM kernels: measured faster here than 8-bit MatMulNBits for both prefill
and decode); Q8_0 quantizes them per 32-weight block.
Usage: python3 build_model.py OUT_DIR GGUF_PY_DIR TOKENIZER_DIR"""
import json, os, shutil, sys, time
import numpy as np
import onnx
import onnx.numpy_helper
from onnx import TensorProto, helper

OUT = GGUF_PY = TOKENIZER = ''
gguf = quants = None  # llama.cpp's gguf-py (from node-llama-cpp's llama.cpp source bundle), imported by main()
TIED = False  # tie_word_embeddings: one [hidden, vocab] table for the embedding Gather and the LM head (fp32 only)

# CTX is 4,096 rather than TinyLlama's 2,048 so that a 2,048-token prompt still has room for the generated tokens.
V, H, I, L, NH, KVH, HD, CTX, THETA, EPS = 32016, 2048, 5632, 22, 32, 4, 64, 4096, 10000.0, 1e-5
SEED = 20261122
if os.environ.get('SMALL'):  # a quick check of the graph on a small shape
    H, I, L, NH, KVH = 256, 512, 2, 4, 2
if os.environ.get('TEST'):  # the engine's test fixture test/fixtures/gqa-int4 (int4 only, a few MB)
    H, I, L, NH, KVH = 64, 128, 2, 1, 1


def weight(name, shape):
    """Deterministic per-tensor random weights: the same on every build, whatever the order."""
    if name.endswith('norm.weight'):
        return np.ones(shape, np.float32)
    rng = np.random.default_rng([SEED, sum(map(ord, name)), len(name)])
    return (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float32)


def hf_tensors():
    yield 'model.embed_tokens.weight', (V, H)
    for i in range(L):
        p = f'model.layers.{i}.'
        for n, s in (('input_layernorm.weight', (H,)), ('self_attn.q_proj.weight', (H, H)), ('self_attn.k_proj.weight', (KVH * HD, H)),
                     ('self_attn.v_proj.weight', (KVH * HD, H)), ('self_attn.o_proj.weight', (H, H)),
                     ('post_attention_layernorm.weight', (H,)), ('mlp.gate_proj.weight', (I, H)), ('mlp.up_proj.weight', (I, H)),
                     ('mlp.down_proj.weight', (H, I))):
            yield p + n, s
    yield 'model.norm.weight', (H,)
    yield 'lm_head.weight', (V, H)


# ---------------------------------------------------------------- GGUF (llama.cpp)
def permute(w, heads):
    """convert_hf_to_gguf's permutation of q/k rows: HF's rotate-half rotary to GGML's interleaved one."""
    return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


GGUF_NAMES = {'input_layernorm.weight': 'attn_norm.weight', 'self_attn.q_proj.weight': 'attn_q.weight', 'self_attn.k_proj.weight': 'attn_k.weight',
              'self_attn.v_proj.weight': 'attn_v.weight', 'self_attn.o_proj.weight': 'attn_output.weight',
              'post_attention_layernorm.weight': 'ffn_norm.weight', 'mlp.gate_proj.weight': 'ffn_gate.weight',
              'mlp.up_proj.weight': 'ffn_up.weight', 'mlp.down_proj.weight': 'ffn_down.weight'}


def gguf_name(hf):
    if hf == 'model.embed_tokens.weight': return 'token_embd.weight'
    if hf == 'model.norm.weight': return 'output_norm.weight'
    if hf == 'lm_head.weight': return 'output.weight'
    i, rest = hf[len('model.layers.'):].split('.', 1)
    return f'blk.{i}.{GGUF_NAMES[rest]}'


def vocab():
    tok = json.load(open(os.path.join(TOKENIZER, 'tokenizer.json')))
    pieces = sorted(tok['model']['vocab'].items(), key=lambda kv: kv[1])
    specials = {t['id']: t['content'] for t in tok.get('added_tokens', [])}
    tokens, scores, types = [], [], []
    for i in range(V):
        if i < len(pieces) and pieces[i][1] == i:
            tokens.append(pieces[i][0])
        else:
            tokens.append(specials.get(i, f'<unused{i}>'))
        scores.append(-float(i))
        types.append(3 if i in specials or i < 3 else (6 if tokens[-1].startswith('<0x') else 1))
    return tokens, scores, types


def write_gguf(path, qtype):
    w = gguf.GGUFWriter(path, 'llama')
    w.add_name('infill-scale-tinyllama-shape')
    w.add_context_length(CTX); w.add_embedding_length(H); w.add_block_count(L); w.add_feed_forward_length(I)
    w.add_rope_dimension_count(HD); w.add_head_count(NH); w.add_head_count_kv(KVH); w.add_layer_norm_rms_eps(EPS)
    w.add_rope_freq_base(THETA); w.add_vocab_size(V)
    w.add_file_type({gguf.GGMLQuantizationType.F16: gguf.LlamaFileType.MOSTLY_F16, gguf.GGMLQuantizationType.Q8_0: gguf.LlamaFileType.MOSTLY_Q8_0,
                     gguf.GGMLQuantizationType.Q4_0: gguf.LlamaFileType.MOSTLY_Q4_0}[qtype])
    tokens, scores, types = vocab()
    w.add_tokenizer_model('llama'); w.add_token_list(tokens); w.add_token_scores(scores); w.add_token_types(types)
    w.add_bos_token_id(1); w.add_eos_token_id(2)
    for name, shape in hf_tensors():
        t = weight(name, shape)
        if name.endswith('q_proj.weight'): t = permute(t, NH)
        if name.endswith('k_proj.weight'): t = permute(t, KVH)
        if t.ndim == 1:
            w.add_tensor(gguf_name(name), t)
        elif qtype == gguf.GGMLQuantizationType.F16:
            w.add_tensor(gguf_name(name), t.astype(np.float16))
        else:
            q = quants.quantize(t, qtype)
            w.add_tensor(gguf_name(name), q, raw_shape=q.shape, raw_dtype=qtype)
    w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()


# ---------------------------------------------------------------- ONNX (Hugging Face layout)
class ExternalData:
    """Writes initializers straight into model.onnx_data, so no 4 GB protobuf is ever held in memory."""
    def __init__(self, onnx_path):
        self.location = os.path.basename(onnx_path) + '_data'
        self.f = open(os.path.join(os.path.dirname(onnx_path), self.location), 'wb')
        self.inits = []

    def add(self, name, array, dtype=None):
        array = np.ascontiguousarray(array)
        pad = (-self.f.tell()) % 64
        self.f.write(b'\0' * pad)
        offset = self.f.tell()
        self.f.write(array.tobytes())
        t = TensorProto(name=name, data_type=dtype or onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[array.dtype], dims=list(array.shape))
        t.data_location = TensorProto.EXTERNAL
        for k, v in (('location', self.location), ('offset', str(offset)), ('length', str(array.nbytes))):
            t.external_data.add(key=k, value=v)
        self.inits.append(t)
        return name


def q4_blocks(w):
    """The GGUF Q4_0 blocks of w [N, K], re-packed for MatMulNBits: ([N, K/32, 16] uint8, [N*K/32] fp32 scales)."""
    n, k = w.shape
    blocks = quants.quantize(w, gguf.GGMLQuantizationType.Q4_0).reshape(n, k // 32, -1)
    scales = blocks[..., :2].copy().view(np.float16).astype(np.float32).reshape(-1)
    qs = blocks[..., 2:]
    vals = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # Q4_0: low nibbles hold elements 0-15, high ones 16-31
    packed = (vals[..., 0::2] | (vals[..., 1::2] << 4)).astype(np.uint8)  # MatMulNBits: element 2j low, 2j+1 high
    return packed, scales


Q4_BLOCK = int(os.environ.get('Q4_BLOCK', '32'))


def q4_blocks_sym(w, block):
    """Q4_0's scheme (scale = the largest-magnitude value / -8, zero point 8) over `block` weights: ([N, K/block, block/2], scales)."""
    n, k = w.shape
    b = w.reshape(n, k // block, block)
    imax = np.abs(b).argmax(axis=-1)[..., None]
    d = np.take_along_axis(b, imax, axis=-1) / -8
    inv = np.where(d == 0, 0, 1 / np.where(d == 0, 1, d))
    q = np.clip(np.trunc(b * inv + 8.5), 0, 15).astype(np.uint8)
    return (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8), d.astype(np.float32).reshape(-1)


def build_onnx(folder, bits):
    os.makedirs(os.path.join(folder, 'onnx'), exist_ok=True)
    file = {32: 'model.onnx', 8: 'model_quantized.onnx', 4: 'model_q4.onnx'}[bits]
    path = os.path.join(folder, 'onnx', file)
    ext = ExternalData(path)
    nodes, n = [], [0]

    def node(op, ins, outs=1, domain='', **attrs):
        n[0] += 1
        names = [f'{op}_{n[0]}_{j}' for j in range(outs)] if isinstance(outs, int) else outs
        nodes.append(helper.make_node(op, ins, names, name=f'{op}_{n[0]}', domain=domain, **attrs))
        return names[0] if len(names) == 1 else names

    def linear(x, name, w):  # w: [out, in] (HF layout)
        if bits == 32:
            return node('MatMul', [x, ext.add(name, w.T)])
        if bits == 8:  # int8 weights per output column, activations quantized per run: onnxruntime's QGEMM kernels
            scale = np.maximum(np.abs(w).max(axis=1), 1e-8) / 127.0
            q = np.clip(np.round(w / scale[:, None]), -127, 127).astype(np.int8)
            return node('DynamicQuantizeMatMul', [x, ext.add(name + '.q', q.T), ext.add(name + '.scale', scale.astype(np.float32)),
                                                  ext.add(name + '.zero', np.zeros(w.shape[0], np.int8))], domain='com.microsoft')
        # int4: MatMulNBits, activations in int8 (accuracy level 4). Block 32: Q4_0's very blocks (fp32 scales: 5 bits
        # per weight); Q4_BLOCK=64: the same scheme over 64 weights, 4.5 bits per weight like Q4_0's.
        packed, scales = q4_blocks(w) if Q4_BLOCK == 32 else q4_blocks_sym(w, Q4_BLOCK)
        return node('MatMulNBits', [x, ext.add(name + '.q', packed), ext.add(name + '.scales', scales)], domain='com.microsoft',
                    K=w.shape[1], N=w.shape[0], bits=4, block_size=Q4_BLOCK, accuracy_level=4)

    get = lambda name: weight(name, dict(hf_tensors())[name])  # noqa: E731
    inline = []

    def const(name, arr):  # small constants stay in the graph: shape inference reads them
        inline.append(onnx.numpy_helper.from_array(np.array(arr), name))
        return name
    embed = get('model.embed_tokens.weight')
    if TIED:  # one [hidden, vocab] table, gathered by column, that is also the LM head's matrix
        table = ext.add('embed_t', np.ascontiguousarray(embed.T))
        x = node('Transpose', [node('Gather', [table, 'input_ids'], axis=1)], perm=[1, 2, 0])
    else:
        table = ext.add('embed_tokens', embed if bits == 32 else embed.astype(np.float16))
        x = node('Gather', [table, 'input_ids'], axis=0)
        if bits != 32: x = node('Cast', [x], to=TensorProto.FLOAT)  # fp16 table
    mask_sum = node('ReduceSum', ['attention_mask', const('axes1', [1])], keepdims=0)
    seqlens = node('Cast', [node('Sub', [mask_sum, const('one64', [1])])], to=TensorProto.INT32)
    total = node('Cast', [node('Gather', [node('Shape', ['attention_mask']), const('idx1', 1)], axis=0)], to=TensorProto.INT32)
    inv = 1.0 / THETA ** (np.arange(0, HD, 2, dtype=np.float64) / HD)
    freqs = np.outer(np.arange(CTX, dtype=np.float64), inv)
    cos, sin = const('cos_cache', np.cos(freqs).astype(np.float32)), const('sin_cache', np.sin(freqs).astype(np.float32))
    residual, pending = x, None
    for i in range(L):
        p = f'model.layers.{i}.'
        if pending is None:
            h = node('SimplifiedLayerNormalization', [residual, ext.add(p + 'ln1', get(p + 'input_layernorm.weight'))], axis=-1, epsilon=EPS)
        else:
            h, _, _, residual = node('SkipSimplifiedLayerNormalization', [pending, residual, ext.add(p + 'ln1', get(p + 'input_layernorm.weight'))], 4,
                                     domain='com.microsoft', epsilon=EPS)
        qkv = np.concatenate([get(p + 'self_attn.q_proj.weight'), get(p + 'self_attn.k_proj.weight'), get(p + 'self_attn.v_proj.weight')], axis=0)
        packed = linear(h, p + 'qkv', qkv)
        attn = node('GroupQueryAttention', [packed, '', '', f'past_key_values.{i}.key', f'past_key_values.{i}.value', seqlens, total, cos, sin],
                    [f'attn_{i}', f'present.{i}.key', f'present.{i}.value'], domain='com.microsoft',
                    num_heads=NH, kv_num_heads=KVH, do_rotary=1, rotary_interleaved=0, scale=float(HD ** -0.5), local_window_size=-1)[0]
        o = linear(attn, p + 'o_proj', get(p + 'self_attn.o_proj.weight'))
        h, _, _, residual = node('SkipSimplifiedLayerNormalization', [o, residual, ext.add(p + 'ln2', get(p + 'post_attention_layernorm.weight'))], 4,
                                 domain='com.microsoft', epsilon=EPS)
        gu = linear(h, p + 'gate_up', np.concatenate([get(p + 'mlp.gate_proj.weight'), get(p + 'mlp.up_proj.weight')], axis=0))
        g, u = node('Split', [gu, const(f'split{i}', [I, I])], 2, axis=-1)
        act = node('Mul', [node('Mul', [g, node('Sigmoid', [g])]), u])
        pending = linear(act, p + 'down_proj', get(p + 'mlp.down_proj.weight'))
    h, _, _, _ = node('SkipSimplifiedLayerNormalization', [pending, residual, ext.add('final_norm', get('model.norm.weight'))], 4,
                      domain='com.microsoft', epsilon=EPS)
    keep = node('Neg', [node('Reshape', ['num_logits_to_keep', const('shape1', [1])])])
    last = node('Slice', [h, keep, const('big', [2 ** 62]), const('axis1', [1])])
    logits = node('MatMul', [last, table]) if TIED else linear(last, 'lm_head', get('lm_head.weight'))
    nodes.append(helper.make_node('Identity', [logits], ['logits'], name='logits_out'))
    ext.f.close()

    kv = lambda name, seq: helper.make_tensor_value_info(name, TensorProto.FLOAT, ['batch_size', KVH, seq, HD])
    inputs = [helper.make_tensor_value_info('input_ids', TensorProto.INT64, ['batch_size', 'sequence_length']),
              helper.make_tensor_value_info('attention_mask', TensorProto.INT64, ['batch_size', 'total_sequence_length']),
              helper.make_tensor_value_info('num_logits_to_keep', TensorProto.INT64, [])]
    outputs = [helper.make_tensor_value_info('logits', TensorProto.FLOAT, ['batch_size', 'kept', V])]
    for i in range(L):
        inputs += [kv(f'past_key_values.{i}.key', 'past_sequence'), kv(f'past_key_values.{i}.value', 'past_sequence')]
        outputs += [kv(f'present.{i}.key', 'present_sequence'), kv(f'present.{i}.value', 'present_sequence')]
    graph = helper.make_graph(nodes, 'llama', inputs, outputs, initializer=ext.inits + inline)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17), helper.make_opsetid('com.microsoft', 1)], producer_name='infill-bench-scale')
    model.ir_version = 8
    onnx.save(model, path)
    return path


def write_folder_files(folder):
    cfg = {'architectures': ['LlamaForCausalLM'], 'model_type': 'llama', 'vocab_size': V, 'hidden_size': H, 'intermediate_size': I,
           'num_hidden_layers': L, 'num_attention_heads': NH, 'num_key_value_heads': KVH, 'head_dim': HD, 'max_position_embeddings': CTX,
           'rope_theta': THETA, 'rms_norm_eps': EPS, 'bos_token_id': 1, 'eos_token_id': 2, 'torch_dtype': 'float32',
           'tie_word_embeddings': False, 'transformers.js_config': {'dtype': 'q8', 'use_external_data_format': True}}
    json.dump(cfg, open(os.path.join(folder, 'config.json'), 'w'), indent=2)
    json.dump({'bos_token_id': 1, 'eos_token_id': 2}, open(os.path.join(folder, 'generation_config.json'), 'w'))
    for f in ('tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'):
        if os.path.exists(os.path.join(TOKENIZER, f)): shutil.copy(os.path.join(TOKENIZER, f), folder)


def main():
    onnx_dir, gguf_dir = os.path.join(OUT, 'onnx-model'), os.path.join(OUT, 'gguf')
    os.makedirs(onnx_dir, exist_ok=True); os.makedirs(gguf_dir, exist_ok=True)
    write_folder_files(onnx_dir)
    steps = [(f'onnx int4', lambda: build_onnx(onnx_dir, 4)), ('onnx int8', lambda: build_onnx(onnx_dir, 8)),
             ('gguf Q4_0', lambda: write_gguf(os.path.join(gguf_dir, 'model-Q4_0.gguf'), gguf.GGMLQuantizationType.Q4_0)),
             ('gguf Q8_0', lambda: write_gguf(os.path.join(gguf_dir, 'model-Q8_0.gguf'), gguf.GGMLQuantizationType.Q8_0)),
             ('onnx fp32', lambda: build_onnx(onnx_dir, 32)),
             ('gguf F16', lambda: write_gguf(os.path.join(gguf_dir, 'model-F16.gguf'), gguf.GGMLQuantizationType.F16))]
    only = os.environ.get('ONLY')
    for label, step in steps:
        if only and only not in label: continue
        t = time.time()
        step()
        print(f'built {label} in {time.time() - t:.0f} s', flush=True)
    open(os.path.join(OUT, 'BUILT'), 'w').write('ok\n')


if __name__ == '__main__':
    OUT, GGUF_PY, TOKENIZER = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, GGUF_PY)
    import gguf  # noqa: E402
    from gguf import quants  # noqa: E402
    main()
