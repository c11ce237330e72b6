"""Dynamic int8 quantization of the exported fp32 graph with standard ONNX ops (onnxruntime's Python quantizer is not
installable here). Weights are quantized symmetrically per output column. Activations are quantized per row (per
token), not per tensor as DynamicQuantizeLinear does: with a per-tensor scale a token's result would depend on the
other tokens in the same forward pass, so a prompt prefilled in pieces (KV-cache reuse) would not give exactly the
logits of a cold run. Every MatMul with a large fp32 weight becomes
  s = max(|A|, row) / 127;  A_u8 = clip(round(A / s) + 128);  MatMulInteger(A_u8, W_s8, 128, 0) -> Cast -> * s * scale_W[col]
and the embedding Gather reads int8 rows and rescales them.
Usage: python3 quantize.py IN.onnx OUT.onnx"""
import os, sys
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

MIN_ELEMENTS = 4096


def quantize(src, dst):
    model = onnx.load(src)
    graph = model.graph
    weights = {i.name: i for i in graph.initializer}
    large = {n for n, i in weights.items() if i.data_type == TensorProto.FLOAT and len(i.dims) == 2 and np.prod(i.dims) >= MIN_ELEMENTS}
    done, added, nodes = set(), [], []

    def int8_weight(name):
        if name in done:
            return
        w = numpy_helper.to_array(weights[name])
        scale = np.maximum(np.abs(w).max(axis=0), 1e-8) / 127.0
        added.extend([
            numpy_helper.from_array(np.clip(np.round(w / scale), -127, 127).astype(np.int8), name + '_int8'),
            numpy_helper.from_array(scale.astype(np.float32), name + '_scale'),
            numpy_helper.from_array(np.zeros(w.shape[1], np.int8), name + '_zero'),
        ])
        done.add(name)

    for k, node in enumerate(graph.node):
        t = f'quant{k}_'
        if node.op_type == 'MatMul' and node.input[1] in large:
            w = node.input[1]
            int8_weight(w)
            a = node.input[0]
            nodes += [
                helper.make_node('Abs', [a], [t + 'abs']),
                helper.make_node('ReduceMax', [t + 'abs'], [t + 'absmax'], axes=[-1], keepdims=1),
                helper.make_node('Max', [t + 'absmax', 'quant_eps'], [t + 'range']),
                helper.make_node('Div', [t + 'range', 'quant_127'], [t + 'a_scale']),
                helper.make_node('Div', [a, t + 'a_scale'], [t + 'scaled']),
                helper.make_node('Round', [t + 'scaled'], [t + 'rounded']),
                helper.make_node('Add', [t + 'rounded', 'quant_128'], [t + 'shifted']),
                helper.make_node('Clip', [t + 'shifted', 'quant_1', 'quant_255'], [t + 'clipped']),
                helper.make_node('Cast', [t + 'clipped'], [t + 'a_u8'], to=TensorProto.UINT8),
                helper.make_node('MatMulInteger', [t + 'a_u8', w + '_int8', 'quant_zero_u8', w + '_zero'], [t + 'int32']),
                helper.make_node('Cast', [t + 'int32'], [t + 'float'], to=TensorProto.FLOAT),
                helper.make_node('Mul', [t + 'float', t + 'a_scale'], [t + 'row_scaled']),
                helper.make_node('Mul', [t + 'row_scaled', w + '_scale'], [node.output[0]]),
            ]
        elif node.op_type == 'Gather' and node.input[0] in large:
            axis = next(helper.get_attribute_value(a) for a in node.attribute if a.name == 'axis')
            if axis != 1:
                raise ValueError(f'embedding Gather on axis {axis}; expected the [hidden, vocab] layout (axis 1)')
            w = node.input[0]
            int8_weight(w)
            nodes += [
                helper.make_node('Gather', [w + '_int8', node.input[1]], [t + 'rows'], axis=1),
                helper.make_node('Cast', [t + 'rows'], [t + 'float'], to=TensorProto.FLOAT),
                helper.make_node('Gather', [w + '_scale', node.input[1]], [t + 'scale'], axis=0),
                helper.make_node('Mul', [t + 'float', t + 'scale'], [node.output[0]]),
            ]
        else:
            nodes.append(node)
    constants = [numpy_helper.from_array(np.array(v, np.float32), n) for n, v in
                 (('quant_eps', 1e-8), ('quant_127', 127.0), ('quant_128', 128.0), ('quant_1', 1.0), ('quant_255', 255.0))]
    constants.append(numpy_helper.from_array(np.array(128, np.uint8), 'quant_zero_u8'))
    added.extend(constants)
    kept = [i for i in graph.initializer if i.name not in done]
    del graph.initializer[:]
    graph.initializer.extend(kept + added)
    del graph.node[:]
    graph.node.extend(nodes)
    # The checker knows only standard ops; a fused graph (fuse.py) also has onnxruntime's contrib ops.
    if all(n.domain in ('', 'ai.onnx') and n.op_type != 'SimplifiedLayerNormalization' for n in graph.node):
        onnx.checker.check_model(model)
    onnx.save(model, dst)
    return len(done)


if __name__ == '__main__':
    n = quantize(sys.argv[1], sys.argv[2])
    print(f'quantized {n} weights -> {sys.argv[2]} ({os.path.getsize(sys.argv[2])} bytes)')
